import { useState, type ReactNode } from 'react';
import type { RigError } from '../../../../src/api/errors.js';
import type { PortMapResult } from '../../../../src/api/schemas/bench.js';
import { useClient } from '../../api/client-context.js';
import { toRigError, useCall } from '../../api/hooks.js';
import { ErrorView } from '../error-view.js';

const METHOD_NAME = { 'nat-pmp': 'NAT-PMP', upnp: 'UPnP' } as const;

/**
 * "Ask the router": NAT-PMP, else UPnP IGD mappings for the provider ports, with what the router
 * really did; while mappings exist the agent renews them, and "Remove mappings" takes them away —
 * also mappings made before a restart or by `riglease ports map` (bench.portsStatus remembers them).
 * `onlyWhenHeld`: show nothing unless RigLease holds mappings (the machine needs none).
 */
export function PortMapper({ routerSupports, onlyWhenHeld = false }: { routerSupports: boolean; onlyWhenHeld?: boolean }): ReactNode {
  const client = useClient();
  const status = useCall('bench.portsStatus', {});
  const held = status.data?.held ?? null;
  const [result, setResult] = useState<PortMapResult | null>(null);
  const [removed, setRemoved] = useState(false);
  const [error, setError] = useState<RigError | null>(null);
  const [busy, setBusy] = useState(false);
  const ask = (remove: boolean) => {
    setBusy(true);
    setError(null);
    client
      .call('bench.mapPorts', remove ? { remove: true } : {})
      .then((r) => {
        setResult(r);
        setRemoved(remove);
        status.refresh();
      })
      .catch((err: unknown) => setError(toRigError(err)))
      .finally(() => setBusy(false));
  };
  const mapped = result ? !removed && result.mappings.some((m) => m.ok) : held !== null;
  if (onlyWhenHeld && !held && !result) return null;
  return (
    <div className="stack" data-testid="port-mapper">
      <div className="row">
        <button type="button" className="button" onClick={() => ask(false)} disabled={busy} data-testid="port-map">
          {busy ? 'Asking the router…' : 'Ask the router to forward them (NAT-PMP or UPnP)'}
        </button>
        {mapped ? (
          <button type="button" className="button" onClick={() => ask(true)} disabled={busy} data-testid="port-unmap">
            Remove mappings
          </button>
        ) : null}
        <span className="muted small">{routerSupports ? 'Your router answered NAT-PMP.' : 'Works if the router has NAT-PMP or UPnP switched on.'}</span>
      </div>
      {held && !result ? (
        <div className="muted small" data-testid="port-map-held">
          The router forwards {held.mappings.map((m) => m.port).join(', ')} for RigLease ({METHOD_NAME[held.method]} at {held.gateway}
          {held.mappings.some((m) => m.expired) ? '; expired — ask again' : held.mappings[0]?.expiresAt ? `; until ${new Date(held.mappings[0].expiresAt).toLocaleTimeString()}` : '; permanent'}).
        </div>
      ) : null}
      {error ? <ErrorView error={error} /> : null}
      {result ? (
        <ul className="plain-list small" data-testid="port-map-result">
          {result.method && !removed ? (
            <li data-testid="port-map-method">
              Mapped with {METHOD_NAME[result.method]}
              {result.externalAddress ? `; the router\u2019s outside address is ${result.externalAddress}` : ''}
              {result.renewsAt ? `; renewed automatically at ${new Date(result.renewsAt).toLocaleTimeString()} while RigLease runs` : ''}.
            </li>
          ) : null}
          {result.mappings.map((m) => (
            <li key={m.port}>
              <span className={m.ok ? 'badge-ok' : 'badge-block'}>{removed ? (m.ok ? 'removed' : 'not removed') : m.ok ? 'mapped' : 'not mapped'}</span> {m.port} → this computer&apos;s {m.internalPort}: {m.message}
            </li>
          ))}
          {result.attempts.map((a) => (
            <li key={a} className="muted">
              {a}
            </li>
          ))}
          {result.advice.map((a) => (
            <li key={a}>{a}</li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
