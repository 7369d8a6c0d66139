import { useEffect, useState, type ReactNode } from 'react';
import type { Reachability } from '../../../../src/api/schemas/network.js';
import { useClient } from '../../api/client-context.js';
import { useCall } from '../../api/hooks.js';
import { ErrorView } from '../error-view.js';

const BOX = { margin: 0, padding: '8px 12px', borderLeft: '4px solid var(--warn)', background: 'var(--warn-bg)', borderRadius: 6 } as const;

/**
 * The outside check (`network.reachability`): the provider ports as the outside probe sees them
 * and the DNS names by resolving. `onResult` lets the wizard's last panel and the dashboard say
 * "providing" only once it passed. `onlyWhenFailing` hides it once verified (the dashboard).
 */
export function ReachabilityCard({ onResult, onlyWhenFailing = false }: { onResult?: (r: Reachability) => void; onlyWhenFailing?: boolean }): ReactNode {
  const client = useClient();
  const last = useCall('network.reachability', { refresh: false });
  const [fresh, setFresh] = useState<Reachability | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const r = fresh ?? last.data ?? null;
  useEffect(() => {
    if (r && onResult) onResult(r);
  }, [r, onResult]);
  const again = () => {
    setBusy(true);
    setError(null);
    client
      .call('network.reachability', { refresh: true })
      .then((v) => setFresh(v))
      .catch(setError)
      .finally(() => setBusy(false));
  };
  if (onlyWhenFailing && (!r || r.verified)) return null;
  return (
    <section className="card stack" data-testid="reachability" data-state={r?.state ?? 'loading'}>
      <div className="card-header">
        <h3>{r?.verified ? 'Reachable from the internet' : 'Not yet reachable from the internet'}</h3>
        <button type="button" className="button" onClick={again} disabled={busy} data-testid="reachability-again">
          {busy ? 'Checking from outside…' : 'Check from outside again'}
        </button>
      </div>
      {error || last.error ? <ErrorView error={error ?? last.error} title="The outside check could not run" /> : null}
      {!r ? (
        <div className="skeleton skeleton-block" />
      ) : (
        <>
          <p style={r.verified ? undefined : BOX} data-testid="reachability-headline">
            {r.headline}
          </p>
          {r.reasons.map((reason) => (
            <p key={reason} className="small">
              {reason}
            </p>
          ))}
        </>
      )}
    </section>
  );
}
