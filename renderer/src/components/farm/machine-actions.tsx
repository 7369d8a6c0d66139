import { useState, type ReactNode } from 'react';
import type { FarmActionResult, FleetMachine } from '../../../../src/api/schemas/farm.js';
import { useClient } from '../../api/client-context.js';
import { toRigError } from '../../api/hooks.js';
import { ErrorView } from '../error-view.js';

/**
 * One machine's buttons: pause or resume its node, take it offline, remove it. Offline and
 * remove end leases, so each asks first; the controller's outcome or error shows below them.
 */
export function MachineActions({ m, paused, onChange }: { m: FleetMachine; paused: boolean; onChange: () => void }): ReactNode {
  const client = useClient();
  const [error, setError] = useState<unknown>(null);
  const [result, setResult] = useState<FarmActionResult | null>(null);
  const [confirmRemove, setConfirmRemove] = useState(false);
  /** The server's own list of the leases that would end, shown before offline is confirmed. */
  const [confirmOffline, setConfirmOffline] = useState<string | null>(null);
  const askOffline = () => {
    setError(null);
    client
      .call('farm.offline', { machine: m.machineId, confirm: false })
      .then((r) => setResult(r))
      .catch((err: unknown) => {
        const e = toRigError(err);
        if (e.code === 'precondition_failed') setConfirmOffline(e.message);
        else setError(e);
      });
  };
  const act = (method: 'farm.pause' | 'farm.resume' | 'farm.remove' | 'farm.offline') => {
    setError(null);
    const call = method === 'farm.remove' || method === 'farm.offline' ? client.call(method, { machine: m.machineId, confirm: true }) : client.call(method, { machine: m.machineId });
    call
      .then((r) => {
        setResult(r);
        setConfirmRemove(false);
        setConfirmOffline(null);
        onChange();
      })
      .catch((err: unknown) => setError(toRigError(err)));
  };
  return (
    <>
      <div className="row">
        <button type="button" className="button button-small" onClick={() => act(paused ? 'farm.resume' : 'farm.pause')} data-testid="fleet-pause" title={paused ? `Let new leases land on ${m.hostname} again` : `Cordon ${m.hostname}'s node only: no new lease lands there, its leases continue, the other machines keep bidding`}>
          {paused ? 'Resume this machine' : 'Pause this machine'}
        </button>
        {m.role === 'agent' && confirmOffline === null ? (
          <button type="button" className="button button-small" onClick={askOffline} data-testid="fleet-offline">
            Take offline…
          </button>
        ) : null}
        {m.role === 'agent' && !confirmRemove ? (
          <button type="button" className="button button-small" onClick={() => setConfirmRemove(true)} data-testid="fleet-remove">
            Remove…
          </button>
        ) : null}
      </div>
      {confirmOffline !== null ? (
        <div className="stack small" data-testid="fleet-offline-confirm">
          <span>{confirmOffline}</span>
          <div className="row">
            <button type="button" className="button button-small button-primary" onClick={() => act('farm.offline')}>
              Take {m.hostname} offline
            </button>
            <button type="button" className="button button-small" onClick={() => setConfirmOffline(null)}>
              Keep it online
            </button>
          </div>
        </div>
      ) : null}
      {confirmRemove ? (
        <div className="stack small" data-testid="fleet-remove-confirm">
          <span>Removing {m.hostname} drains its node: the leases running on it end. Its node is deleted, its pairing forgotten, and its agent stops on its next heartbeat.</span>
          <div className="row">
            <button type="button" className="button button-small button-primary" onClick={() => act('farm.remove')}>
              Remove {m.hostname}
            </button>
            <button type="button" className="button button-small" onClick={() => setConfirmRemove(false)}>
              Keep it
            </button>
          </div>
        </div>
      ) : null}
      {result ? <span className="small muted" data-testid="fleet-action-result">{result.message}</span> : null}
      {error ? <ErrorView error={error} /> : null}
    </>
  );
}
