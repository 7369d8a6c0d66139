import { useEffect, useState, type ReactNode } from 'react';
import { useClient } from '../../api/client-context.js';
import { toRigError } from '../../api/hooks.js';
import { ErrorView } from '../error-view.js';

/**
 * The phrase again, only after the passphrase is re-entered (or, in the desktop app, the OS
 * confirmation: Touch ID or the address's last characters); hidden on Hide or leaving the page.
 */
export function RevealCard({ revealBy }: { revealBy: 'passphrase' | 'os' }): ReactNode {
  const client = useClient();
  const [passphrase, setPassphrase] = useState('');
  const [words, setWords] = useState<string[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => () => setWords(null), []);
  const reveal = (): void => {
    setBusy(true);
    setError(null);
    client
      // The OS confirmation asks for itself; the passphrase field is then a placeholder the host ignores.
      .call('wallet.reveal', { passphrase: revealBy === 'os' ? 'os-confirmation' : passphrase })
      .then((r) => setWords(r.mnemonic.split(' ')))
      .catch((e: unknown) => setError(toRigError(e)))
      .finally(() => {
        setBusy(false);
        setPassphrase('');
      });
  };
  return (
    <section className="card stack" data-testid="reveal-card">
      <h3>Recovery phrase</h3>
      {words ? (
        <>
          <ol className="word-grid" data-testid="revealed-words">
            {words.map((w, i) => (
              <li key={i}>
                <span className="muted small">{i + 1}.</span> <span className="mono">{w}</span>
              </li>
            ))}
          </ol>
          <div>
            <button type="button" className="button" onClick={() => setWords(null)} data-testid="reveal-hide">
              Hide
            </button>
          </div>
        </>
      ) : (
        <>
          {revealBy === 'os' ? (
            <div className="stack">
              <span className="muted">Your system asks you to confirm first: Touch ID, or the last 6 characters of the wallet address in a window that opens.</span>
              <div>
                <button type="button" className="button" disabled={busy} onClick={reveal} data-testid="reveal-submit">
                  Show the phrase
                </button>
              </div>
            </div>
          ) : (
          <>
          <span className="muted">Type the passphrase that protects this wallet to see its 24 words.</span>
          <form
            className="row"
            onSubmit={(e) => {
              e.preventDefault();
              reveal();
            }}
          >
            <input className="input" type="password" autoComplete="current-password" value={passphrase} onChange={(e) => setPassphrase(e.target.value)} aria-label="Passphrase" data-testid="reveal-passphrase" />
            <button type="submit" className="button" disabled={busy || passphrase === ''} data-testid="reveal-submit">
              Show the phrase
            </button>
          </form>
          </>
          )}
          {error ? <ErrorView error={error} /> : null}
        </>
      )}
    </section>
  );
}
