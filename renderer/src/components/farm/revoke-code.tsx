import { useState, type ReactNode } from 'react';
import { useClient } from '../../api/client-context.js';
import { toRigError } from '../../api/hooks.js';
import { ErrorView } from '../error-view.js';

/** Revokes a join code shown on screen (its k3s token deleted, its pairing void): a code pasted somewhere wrong lets nobody in. */
export function RevokeCode({ id, onRevoked }: { id: string; onRevoked: () => void }): ReactNode {
  const client = useClient();
  const [message, setMessage] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const revoke = (): void => {
    setBusy(true);
    setError(null);
    client
      .call('farm.revokeToken', { id })
      .then((r) => {
        setMessage(r.message);
        onRevoked();
      })
      .catch((err: unknown) => setError(toRigError(err)))
      .finally(() => setBusy(false));
  };
  return (
    <span className="stack" data-testid="fleet-revoke-code">
      <button type="button" className="button button-small" disabled={busy} onClick={revoke}>
        Revoke this code ({id})
      </button>
      {message ? <span className="small">{message}</span> : null}
      {error ? <ErrorView error={error} /> : null}
    </span>
  );
}
