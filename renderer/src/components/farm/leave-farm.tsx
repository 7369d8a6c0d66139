import { useState, type ReactNode } from 'react';
import { useClient } from '../../api/client-context.js';
import { toRigError } from '../../api/hooks.js';
import { ErrorView } from '../error-view.js';

/**
 * A member leaves its farm only when its person says so: a controller's "unauthorized" (or
 * anything answering on its address) never removes the agent by itself. Asks first, saying what goes.
 */
export function LeaveFarm({ controller, onLeft }: { controller: string; onLeft: () => void }): ReactNode {
  const client = useClient();
  const [asking, setAsking] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const leave = async (): Promise<void> => {
    setBusy(true);
    setError(null);
    try {
      await client.call('farm.leave', { confirm: true });
      onLeft();
    } catch (err) {
      setError(toRigError(err));
    } finally {
      setBusy(false);
      setAsking(false);
    }
  };
  return (
    <div className="stack" data-testid="fleet-leave">
      {asking ? (
        <div className="card" data-testid="fleet-leave-confirm">
          <p>Leaving the farm of {controller} removes this machine's k3s agent: tenants' containers running here stop, and its pairing is forgotten.</p>
          <button type="button" className="button button-small" disabled={busy} onClick={() => void leave()}>
            Leave the farm
          </button>{' '}
          <button type="button" className="button button-small button-primary" onClick={() => setAsking(false)}>
            Stay
          </button>
        </div>
      ) : (
        <button type="button" className="button button-small" onClick={() => setAsking(true)}>
          Leave the farm…
        </button>
      )}
      {error ? <ErrorView error={error} /> : null}
    </div>
  );
}
