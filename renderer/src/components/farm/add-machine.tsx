import { useState, type ReactNode } from 'react';
import type { FarmToken } from '../../../../src/api/schemas/farm.js';
import { useClient } from '../../api/client-context.js';
import { toRigError } from '../../api/hooks.js';
import { formatTime } from '../../format.js';
import { CopyCode } from '../copy-code.js';
import { ErrorView } from '../error-view.js';
import { JoinQr } from './join-qr.js';
import { RevokeCode } from './revoke-code.js';
import { StackForFarm } from './stack-for-farm.js';

/**
 * "Add a machine": a join code for one more machine, as text, a command and a QR code.
 * The code shown is the page's, not this card's: making the first code turns this machine into a
 * controller, the page (told by farm.changed) re-renders as a controller's, and this card moves
 * with the code and its stack re-creation still shown.
 */
export function AddMachine({ first = false, token, setToken }: { first?: boolean; token: FarmToken | null; setToken: (t: FarmToken) => void }): ReactNode {
  const client = useClient();
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const make = (recreate = false) => {
    setError(null);
    setBusy(true);
    client
      .call('farm.token', { validMinutes: 60, recreate })
      .then(setToken)
      .catch((err: unknown) => setError(toRigError(err)))
      .finally(() => setBusy(false));
  };
  return (
    <section className="card stack" data-testid="fleet-add">
      <h2>Add a machine</h2>
      <p className="muted small">
        {first ? 'Makes this machine the farm\'s controller: its provider bids for the GPUs of every machine that joins. ' : ''}
        The code below lets one machine join for an hour. It is a secret: share it only with your own machines.
      </p>
      {token ? (
        <div className="row">
          <JoinQr code={token.code} />
          <div className="stack">
            <CopyCode code={token.code} />
            <span className="small">On the other machine: Fleet → Join a farm, or</span>
            <CopyCode code="riglease farm join -" />
            <span className="small muted">Expires {formatTime(token.expiresAt)}. It lets one machine in, once.</span>
            {token.tokenId ? <RevokeCode id={token.tokenId} onRevoked={() => undefined} /> : null}
            {token.notes
              .filter((n) => n !== token.stack?.message)
              .map((n) => (
                <span key={n} className="small muted">
                  {n}
                </span>
              ))}
            {token.stack ? <StackForFarm stack={token.stack} busy={busy} onRecreate={() => make(true)} /> : null}
          </div>
        </div>
      ) : (
        <div className="row">
          <button type="button" className="button button-primary" disabled={busy} onClick={() => make()} data-testid="fleet-make-code">
            Show a join code
          </button>
        </div>
      )}
      {error ? <ErrorView error={error} /> : null}
    </section>
  );
}
