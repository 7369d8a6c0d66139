import { useState, type ReactNode } from 'react';
import { useClient } from '../../api/client-context.js';
import { toRigError, useCall } from '../../api/hooks.js';
import { ErrorView } from '../error-view.js';

/**
 * Before a new wallet's words are shown: where the agent keeps the key under a passphrase and has
 * none yet (a browser on the headless agent), it is asked here first. Otherwise the words would
 * appear and then fail to be saved. A new passphrase is typed twice; the agent checks its strength.
 */
export function PassphraseGate({ children, onCancel }: { children: ReactNode; onCancel: () => void }): ReactNode {
  const client = useClient();
  const status = useCall('secrets.status', {});
  const [first, setFirst] = useState('');
  const [again, setAgain] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [open, setOpen] = useState(false);

  if (status.error) return <ErrorView error={status.error} onRetry={status.refresh} />;
  if (!status.data) return <div className="muted">Checking how the wallet key is protected…</div>;
  if (open || !status.data.needsPassphrase) return <>{children}</>;
  const isNew = status.data.isNew;
  const mismatch = isNew && again !== '' && first !== again;
  const submit = (): void => {
    setBusy(true);
    setError(null);
    client
      .call('secrets.unlock', { passphrase: first })
      .then(() => setOpen(true))
      .catch((e: unknown) => setError(toRigError(e)))
      .finally(() => setBusy(false));
  };
  return (
    <section className="card stack" data-testid="passphrase-gate">
      <h3>{isNew ? 'Choose a passphrase first' : 'Enter your RigLease passphrase'}</h3>
      <span className="small">
        {isNew
          ? 'The wallet key is saved on this computer encrypted with this passphrase. Choose several uncommon words; you need it again after every restart of the agent. Nothing is shown or saved until it is set.'
          : 'The wallet key on this computer is encrypted with it. It stays in the agent\'s memory until the agent stops.'}
      </span>
      <input className="input" type="password" autoComplete={isNew ? 'new-password' : 'current-password'} value={first} onChange={(e) => setFirst(e.target.value)} aria-label="Passphrase" data-testid="passphrase-input" />
      {isNew ? <input className="input" type="password" autoComplete="new-password" value={again} onChange={(e) => setAgain(e.target.value)} aria-label="Passphrase again" data-testid="passphrase-again" /> : null}
      {mismatch ? <span className="field-error small">The two are not the same yet.</span> : null}
      <div className="row">
        <button type="button" className="button button-primary" disabled={busy || first === '' || (isNew && first !== again)} onClick={submit} data-testid="passphrase-submit">
          {busy ? 'Checking…' : isNew ? 'Set the passphrase' : 'Unlock'}
        </button>
        <button type="button" className="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
      {error ? <ErrorView error={error} title="Not accepted" /> : null}
    </section>
  );
}
