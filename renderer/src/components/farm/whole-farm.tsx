import { useState, type ReactNode } from 'react';
import type { FarmBidding, FarmStatus } from '../../../../src/api/schemas/farm.js';
import { useClient } from '../../api/client-context.js';
import { toRigError } from '../../api/hooks.js';
import { ErrorView } from '../error-view.js';

/**
 * The whole farm's pause: the provider's bid table (no bid for any machine), as opposed to one
 * machine's "Pause this machine" (its node cordoned, the others keep bidding).
 */
export function WholeFarm({ bidding, machines, onChange }: { bidding: FarmStatus['bidding']; machines: number; onChange: () => void }): ReactNode {
  const client = useClient();
  const [error, setError] = useState<unknown>(null);
  const [result, setResult] = useState<FarmBidding | null>(null);
  const [busy, setBusy] = useState(false);
  const paused = bidding?.paused ?? false;
  const toggle = () => {
    setError(null);
    setBusy(true);
    (paused ? client.call('farm.resumeAll', {}) : client.call('farm.pauseAll', {}))
      .then((r) => {
        setResult(r);
        onChange();
      })
      .catch((err: unknown) => setError(toRigError(err)))
      .finally(() => setBusy(false));
  };
  return (
    <section className="card stack" data-testid="fleet-whole-farm">
      <div className="row">
        <span className={paused ? 'badge-warn' : 'badge-ok'} data-testid="fleet-farm-bidding">
          {paused ? `Whole farm paused${bidding?.reason ? ` (${bidding.reason})` : ''}: no bids for any machine` : 'The farm bids'}
        </span>
        <button type="button" className="button button-small" disabled={busy} onClick={toggle} data-testid="fleet-pause-all">
          {paused ? 'Resume the whole farm' : 'Pause the whole farm'}
        </button>
      </div>
      <span className="muted small">
        {paused
          ? 'The provider bids again for every machine that is not paused on its own.'
          : `Stops new bids for all ${machines} machines at once; running leases continue. To pause one machine only (e.g. for gaming), use "Pause this machine" on its card, or its own tray.`}
      </span>
      {result ? <span className="small" data-testid="fleet-farm-result">{result.message}</span> : null}
      {error ? <ErrorView error={error} /> : null}
    </section>
  );
}
