import { useState, type ReactNode } from 'react';
import { useClient } from '../../api/client-context.js';
import { toRigError } from '../../api/hooks.js';
import { ErrorView } from '../error-view.js';
import { PassphraseGate } from './passphrase-gate.js';

/** Import from a 12–24 word phrase; the field is cleared whatever the answer. */
export function ImportWallet({ onDone, onCancel }: { onDone: () => void; onCancel: () => void }): ReactNode {
  // The passphrase first: a typed recovery phrase is never sent to an agent that cannot save it.
  return (
    <PassphraseGate onCancel={onCancel}>
      <ImportForm onDone={onDone} onCancel={onCancel} />
    </PassphraseGate>
  );
}

function ImportForm({ onDone, onCancel }: { onDone: () => void; onCancel: () => void }): ReactNode {
  const client = useClient();
  const [phrase, setPhrase] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const submit = (): void => {
    setBusy(true);
    setError(null);
    client
      .call('wallet.import', { mnemonic: phrase })
      .then(() => onDone())
      .catch((e: unknown) => setError(toRigError(e)))
      .finally(() => {
        setBusy(false);
        setPhrase('');
      });
  };
  return (
    <section className="card stack" data-testid="import-wallet">
      <h3>Import a wallet</h3>
      <label className="stack">
        <span>Recovery phrase (12, 15, 18, 21 or 24 words)</span>
        <textarea className="input mono" rows={3} autoComplete="off" spellCheck={false} value={phrase} onChange={(e) => setPhrase(e.target.value)} data-testid="import-phrase" />
      </label>
      {error ? <ErrorView error={error} /> : null}
      <div className="row">
        <button type="button" className="button button-primary" disabled={busy || phrase.trim() === ''} onClick={submit} data-testid="import-submit">
          {busy ? 'Importing…' : 'Import'}
        </button>
        <button type="button" className="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </section>
  );
}
