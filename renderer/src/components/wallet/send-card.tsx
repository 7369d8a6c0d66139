import { useState, type ReactNode } from 'react';
import type { Out } from '../../../../src/api/contract.js';
import type { TaskRef } from '../../../../src/api/schemas/task.js';
import { useClient } from '../../api/client-context.js';
import { toRigError, useTask } from '../../api/hooks.js';
import { ErrorView } from '../error-view.js';
import { KeyValues } from '../readiness/key-values.js';
import { aktToMicro, formatAkt } from './akt.js';

type Preview = Out<'wallet.previewSend'>;

/** Send AKT: form → confirmation screen with the simulated fee → signing task → receipt. */
export function SendCard({ onSent }: { onSent: () => void }): ReactNode {
  const client = useClient();
  const [to, setTo] = useState('');
  const [amount, setAmount] = useState('');
  const [preview, setPreview] = useState<Preview | null>(null);
  const [task, setTask] = useState<TaskRef | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const { snapshot } = useTask(task);
  const micro = aktToMicro(amount);

  const run = <T,>(p: Promise<T>, then: (v: T) => void): void => {
    setBusy(true);
    setError(null);
    p.then(then)
      .catch((e: unknown) => setError(toRigError(e)))
      .finally(() => setBusy(false));
  };
  const reset = (): void => {
    setPreview(null);
    setTask(null);
    setError(null);
  };

  const receipt = snapshot?.state === 'succeeded' ? (snapshot.result as { hash: string; height: number; feeUakt: string; explorerUrl: string | null }) : null;
  return (
    <section className="card stack" data-testid="send-card">
      <div className="card-header">
        <h3>Send AKT</h3>
      </div>
      {!preview ? (
        <>
          <label className="stack">
            <span>To (akash1…)</span>
            <input className="input mono" value={to} onChange={(e) => setTo(e.target.value.trim())} autoComplete="off" spellCheck={false} data-testid="send-to" />
          </label>
          <label className="stack">
            <span>Amount (AKT)</span>
            <input className="input" value={amount} onChange={(e) => setAmount(e.target.value)} inputMode="decimal" data-testid="send-amount" />
          </label>
          {amount !== '' && !micro ? <span className="small warn-text">An amount like 1.5 (at most 6 decimals).</span> : null}
          {error ? <ErrorView error={error} /> : null}
          <div>
            <button type="button" className="button button-primary" disabled={busy || !micro || to === ''} onClick={() => run(client.call('wallet.previewSend', { to, amountUakt: micro! }), setPreview)} data-testid="send-preview">
              {busy ? 'Estimating the fee…' : 'Review'}
            </button>
          </div>
        </>
      ) : !task ? (
        <div className="stack" data-testid="send-confirm">
          <strong>Check before sending — a transaction cannot be undone.</strong>
          <KeyValues
            testId="send-summary"
            rows={[
              ['From', <span className="mono">{preview.from}</span>],
              ['To', <span className="mono">{preview.to}</span>],
              ['Amount', formatAkt(preview.amountUakt)],
              ['Network fee (simulated)', formatAkt(preview.feeUakt)],
              ['Total', formatAkt(preview.totalUakt)],
              ['Left after', formatAkt(preview.balanceAfterUakt)],
            ]}
          />
          {error ? <ErrorView error={error} /> : null}
          <div className="row">
            <button type="button" className="button button-primary" disabled={busy} onClick={() => run(client.call('wallet.send', { previewId: preview.previewId, confirm: true }), setTask)} data-testid="send-confirm-button">
              Send {formatAkt(preview.amountUakt)}
            </button>
            <button type="button" className="button" onClick={reset}>
              Back
            </button>
          </div>
        </div>
      ) : (
        <div className="stack" data-testid="send-result" data-state={snapshot?.state ?? 'running'}>
          {snapshot?.state === 'running' || !snapshot ? <span className="muted">{snapshot?.message ?? 'Sending…'}</span> : null}
          {snapshot?.state === 'failed' ? <ErrorView error={snapshot.error} /> : null}
          {receipt ? (
            <>
              <span className="badge badge-ok">Sent</span>
              <KeyValues
                rows={[
                  ['Transaction', <span className="mono" data-testid="send-hash">{receipt.hash}</span>],
                  ['Block', String(receipt.height)],
                  ['Fee', formatAkt(receipt.feeUakt)],
                  ['Explorer', receipt.explorerUrl ? <a href={receipt.explorerUrl} target="_blank" rel="noreferrer">{receipt.explorerUrl}</a> : 'no public explorer for this network'],
                ]}
              />
            </>
          ) : null}
          {snapshot && snapshot.state !== 'running' ? (
            <div>
              <button
                type="button"
                className="button"
                onClick={() => {
                  reset();
                  setAmount('');
                  onSent();
                }}
              >
                Done
              </button>
            </div>
          ) : null}
        </div>
      )}
    </section>
  );
}
