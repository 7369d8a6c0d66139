import { useState, type ReactNode } from 'react';
import type { RigError } from '../../../../src/api/errors.js';
import type { PortMapResult } from '../../../../src/api/schemas/bench.js';
import { useClient } from '../../api/client-context.js';
import { toRigError } from '../../api/hooks.js';
import { ErrorView } from '../error-view.js';

/** "Ask the router": NAT-PMP mappings for the provider ports, with what the router really did. */
export function PortMapper({ routerSupports }: { routerSupports: boolean }): ReactNode {
  const client = useClient();
  const [result, setResult] = useState<PortMapResult | null>(null);
  const [error, setError] = useState<RigError | null>(null);
  const [busy, setBusy] = useState(false);
  const ask = () => {
    setBusy(true);
    setError(null);
    client
      .call('bench.mapPorts', {})
      .then(setResult)
      .catch((err: unknown) => setError(toRigError(err)))
      .finally(() => setBusy(false));
  };
  return (
    <div className="stack" data-testid="port-mapper">
      <div className="row">
        <button type="button" className="button" onClick={ask} disabled={busy} data-testid="port-map">
          {busy ? 'Asking the router…' : 'Ask the router to forward them (NAT-PMP)'}
        </button>
        <span className="muted small">{routerSupports ? 'Your router answered NAT-PMP.' : 'Works only if the router supports NAT-PMP.'}</span>
      </div>
      {error ? <ErrorView error={error} /> : null}
      {result ? (
        <ul className="plain-list small" data-testid="port-map-result">
          {result.mappings.map((m) => (
            <li key={m.port}>
              <span className={m.ok ? 'badge-ok' : 'badge-block'}>{m.ok ? 'mapped' : 'not mapped'}</span> {m.port} → this computer&apos;s {m.internalPort}: {m.message}
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
