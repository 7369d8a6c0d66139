import { useCallback, useEffect, useState, type ReactNode } from 'react';
import type { RepairAction, RepairPreview } from '../../../../src/api/schemas/diagnostics.js';
import type { TaskRef } from '../../../../src/api/schemas/task.js';
import { useClient } from '../../api/client-context.js';
import { toRigError, useTask } from '../../api/hooks.js';
import { ErrorView } from '../error-view.js';
import { overallPercent } from '../stack/up-progress.js';

const ACTIONS: Array<{ action: RepairAction; label: string; what: string; danger: boolean }> = [
  { action: 'restart-stack', label: 'Restart stack', what: 'Restarts the k3s container. Nothing is deleted.', danger: false },
  { action: 'reset-k3s', label: 'Reset k3s', what: 'A fresh cluster: the k3s container and its data volumes are deleted and created again. Your wallet and RigLease settings stay.', danger: true },
  { action: 'factory-reset', label: 'Factory reset', what: 'RigLease as newly installed: the stack, settings, logs and state are deleted. The wallet stays unless you tick it too.', danger: true },
];

/**
 * Graduated repairs, mildest first. Each button first asks the agent what the action would
 * delete (a preview, by name) and runs it only after the user confirmed exactly that list.
 */
export function RepairCard({ onFinished }: { onFinished?: () => void }): ReactNode {
  const client = useClient();
  const [preview, setPreview] = useState<RepairPreview | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [task, setTask] = useState<TaskRef | null>(null);
  // The box shows the user's choice at once; the preview for it follows.
  const [wipe, setWipe] = useState(false);
  const live = useTask(task).snapshot;
  const running = live?.state === 'running';
  const finished = live !== null && live.state !== 'running';
  useEffect(() => {
    if (finished) onFinished?.();
  }, [finished, onFinished]);

  const ask = useCallback(
    (action: RepairAction, wipeWallet = false) => {
      setWipe(wipeWallet);
      setBusy(true);
      setError(null);
      client
        .call('diagnostics.repairPreview', { action, wipeWallet })
        .then(setPreview)
        .catch((err: unknown) => {
          setPreview(null);
          setError(toRigError(err));
        })
        .finally(() => setBusy(false));
    },
    [client],
  );
  const confirm = (): void => {
    if (!preview) return;
    setBusy(true);
    setError(null);
    client
      .call('diagnostics.repair', { action: preview.action, wipeWallet: preview.wipeWallet, confirmToken: preview.confirmToken })
      .then((ref) => {
        setTask(ref);
        setPreview(null);
      })
      .catch((err: unknown) => setError(toRigError(err)))
      .finally(() => setBusy(false));
  };

  return (
    <section className="card stack" data-testid="repair-card">
      <div className="card-header">
        <h2>Repair</h2>
      </div>
      <p className="muted">Try these in order. Each one says exactly what it deletes before it does anything.</p>
      <ul className="plain-list repair-actions">
        {ACTIONS.map((a) => (
          <li key={a.action} className="row repair-action">
            <button
              type="button"
              className={`button${a.danger ? ' button-danger' : ''}`}
              onClick={() => ask(a.action)}
              disabled={busy || running}
              data-testid={`repair-${a.action}`}
            >
              {a.label}…
            </button>
            <span className="muted small">{a.what}</span>
          </li>
        ))}
      </ul>
      {error ? <ErrorView error={error} /> : null}
      {preview ? <Confirm preview={preview} wipe={wipe} busy={busy} onWipe={(wipe) => ask(preview.action, wipe)} onConfirm={confirm} onCancel={() => setPreview(null)} /> : null}
      {live ? (
        <div className="stack" data-testid="repair-progress" data-state={live.state} aria-live="polite">
          <strong>
            {live.state === 'running' ? 'Working' : live.state === 'succeeded' ? 'Done' : live.state === 'failed' ? 'Stopped' : 'Cancelled'}: step {live.failedStep ?? live.step} of {live.of}
          </strong>
          <span className={live.state === 'succeeded' ? undefined : 'muted'} data-testid="repair-message">
            {live.state === 'succeeded' ? summaryOf(live.result) ?? live.message : live.message}
          </span>
          <progress className="repair-progressbar" max={100} value={Math.round(overallPercent(live))} aria-label="Repair progress" />
          {live.state === 'failed' && live.error ? <ErrorView error={live.error} /> : null}
          <pre className="copy-code mono repair-log" data-testid="repair-log">
            {live.log.join('\n')}
          </pre>
        </div>
      ) : null}
    </section>
  );
}

function Confirm({ preview, wipe, busy, onWipe, onConfirm, onCancel }: { preview: RepairPreview; wipe: boolean; busy: boolean; onWipe: (wipe: boolean) => void; onConfirm: () => void; onCancel: () => void }): ReactNode {
  const destructive = preview.deletes.length > 0;
  return (
    <div className={`stack repair-confirm${destructive ? ' repair-confirm-danger' : ''}`} role="alertdialog" aria-labelledby="repair-confirm-title" data-testid="repair-confirm" data-action={preview.action}>
      <h3 id="repair-confirm-title">{preview.title}?</h3>
      <p>{preview.consequences}</p>
      {destructive ? (
        <>
          <strong>This deletes:</strong>
          <ul data-testid="repair-deletes">
            {preview.deletes.map((d) => (
              <li key={d}>{d}</li>
            ))}
          </ul>
        </>
      ) : null}
      <strong>This keeps:</strong>
      <ul data-testid="repair-keeps">
        {preview.keeps.map((k) => (
          <li key={k}>{k}</li>
        ))}
      </ul>
      {preview.action === 'factory-reset' ? (
        <label className="row check-label warn-text">
          <input type="checkbox" checked={wipe} disabled={busy} onChange={(e) => onWipe(e.target.checked)} data-testid="repair-wipe-wallet" />
          Also erase the wallet (its recovery phrase, provider key and certificate key). Any AKT in it is lost unless you wrote the recovery phrase down.
        </label>
      ) : null}
      <div className="row">
        <button type="button" className={`button${destructive ? ' button-danger' : ' button-primary'}`} onClick={onConfirm} disabled={busy || wipe !== preview.wipeWallet} data-testid="repair-confirm-run">
          {destructive ? `Delete and ${preview.title.toLowerCase()}` : preview.title}
        </button>
        <button type="button" className="button" onClick={onCancel} disabled={busy} data-testid="repair-cancel">
          Cancel
        </button>
      </div>
    </div>
  );
}

/** The repair task's result says in one line where things stand. */
function summaryOf(result: unknown): string | null {
  if (typeof result === 'object' && result !== null && 'summary' in result && typeof result.summary === 'string') return result.summary;
  return null;
}
