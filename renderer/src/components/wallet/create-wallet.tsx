import { useEffect, useState, type ReactNode } from 'react';
import type { Out } from '../../../../src/api/contract.js';
import { useClient } from '../../api/client-context.js';
import { toRigError } from '../../api/hooks.js';
import { ErrorView } from '../error-view.js';
import { PassphraseGate } from './passphrase-gate.js';

type Created = Out<'wallet.create'>;

/**
 * New wallet: the 24 words are shown once, then three of them are asked back by position.
 * Only when they match does the agent save the wallet. The phrase lives in this component's
 * state only while it is on screen, and is dropped on confirm, cancel or leaving the page.
 */
export function CreateWallet({ onDone, onCancel }: { onDone: () => void; onCancel: () => void }): ReactNode {
  // The passphrase first: no word is shown that could not then be saved.
  return (
    <PassphraseGate onCancel={onCancel}>
      <NewWallet onDone={onDone} onCancel={onCancel} />
    </PassphraseGate>
  );
}

function NewWallet({ onDone, onCancel }: { onDone: () => void; onCancel: () => void }): ReactNode {
  const client = useClient();
  const [created, setCreated] = useState<Created | null>(null);
  const [stage, setStage] = useState<'show' | 'confirm'>('show');
  const [wrote, setWrote] = useState(false);
  const [answers, setAnswers] = useState<string[]>(['', '', '']);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    let current = true;
    client
      .call('wallet.create', {})
      .then((c) => current && setCreated(c))
      .catch((e: unknown) => current && setError(toRigError(e)));
    return () => {
      current = false;
      setCreated(null);
    };
  }, [client]);

  const confirm = (): void => {
    if (!created) return;
    setBusy(true);
    setError(null);
    client
      .call('wallet.confirmBackup', { pendingId: created.pendingId, words: created.confirmPositions.map((position, i) => ({ position, word: (answers[i] ?? '').trim() })) })
      .then(() => {
        setCreated(null);
        onDone();
      })
      .catch((e: unknown) => setError(toRigError(e)))
      .finally(() => setBusy(false));
  };

  if (!created) return error ? <ErrorView error={error} onRetry={onCancel} /> : <div className="muted">Making a new wallet…</div>;
  const words = created.mnemonic.split(' ');
  return (
    <section className="card stack" data-testid="create-wallet">
      <h3>New wallet {created.address}</h3>
      {stage === 'show' ? (
        <>
          <p className="warn-text" data-testid="shown-once">
            Write these 24 words down, in order, on paper. They are the only way to recover the wallet and its AKT, and RigLease shows them only this once.
          </p>
          <ol className="word-grid" data-testid="mnemonic-words">
            {words.map((w, i) => (
              <li key={i}>
                <span className="muted small">{i + 1}.</span> <span className="mono">{w}</span>
              </li>
            ))}
          </ol>
          <label className="row">
            <input type="checkbox" checked={wrote} onChange={(e) => setWrote(e.target.checked)} data-testid="wrote-it-down" /> I wrote all 24 words down
          </label>
          <div className="row">
            <button type="button" className="button button-primary" disabled={!wrote} onClick={() => setStage('confirm')} data-testid="to-confirm">
              Next: check three words
            </button>
            <button type="button" className="button" onClick={onCancel}>
              Cancel
            </button>
          </div>
        </>
      ) : (
        <>
          <p>Type these words from your written copy. The wallet is saved only when they match.</p>
          <div className="grid-3">
            {created.confirmPositions.map((p, i) => (
              <label key={p} className="stack">
                <span>Word #{p}</span>
                <input
                  className="input mono"
                  autoComplete="off"
                  spellCheck={false}
                  value={answers[i] ?? ''}
                  onChange={(e) => setAnswers((a) => a.map((x, j) => (j === i ? e.target.value : x)))}
                  data-testid={`confirm-word-${p}`}
                />
              </label>
            ))}
          </div>
          {error ? <ErrorView error={error} /> : null}
          <div className="row">
            <button type="button" className="button button-primary" disabled={busy || answers.some((a) => a.trim() === '')} onClick={confirm} data-testid="confirm-backup">
              {busy ? 'Saving…' : 'Save the wallet'}
            </button>
            <button type="button" className="button" onClick={() => setStage('show')}>
              Show the words again
            </button>
          </div>
        </>
      )}
    </section>
  );
}
