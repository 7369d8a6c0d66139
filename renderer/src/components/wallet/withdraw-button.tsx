import { useEffect, useState, type ReactNode } from 'react';
import type { TaskRef } from '../../../../src/api/schemas/task.js';
import { useClient } from '../../api/client-context.js';
import { toRigError, useTask } from '../../api/hooks.js';
import { ErrorView } from '../error-view.js';

/** Withdraw from every active lease (batched MsgWithdrawLease), with the task's progress. */
export function WithdrawButton({ onDone }: { onDone: () => void }): ReactNode {
  const client = useClient();
  const [task, setTask] = useState<TaskRef | null>(null);
  const [note, setNote] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const { snapshot } = useTask(task);
  const running = task !== null && (!snapshot || snapshot.state === 'running');
  const state = snapshot?.state;
  useEffect(() => {
    if (state && state !== 'running') onDone();
  }, [state, onDone]);
  const start = (): void => {
    setError(null);
    setNote(null);
    client
      .call('leases.withdraw', {})
      .then((r) => {
        if (r.task) setTask(r.task);
        else setNote('No active leases: nothing to withdraw.');
      })
      .catch((e: unknown) => setError(toRigError(e)));
  };
  const result = snapshot?.state === 'succeeded' ? (snapshot.result as { leases: number; txs: { hash: string }[] }) : null;
  return (
    <div className="stack" data-testid="withdraw">
      <div className="row">
        <button type="button" className="button button-primary" onClick={start} disabled={running} data-testid="withdraw-button">
          {running ? 'Withdrawing…' : 'Withdraw now'}
        </button>
        {running ? <span className="muted small">{snapshot?.message ?? 'Starting…'}</span> : null}
      </div>
      {note ? <span className="muted small">{note}</span> : null}
      {result ? (
        <span className="small" data-testid="withdraw-result">
          Withdrew from {result.leases} leases in {result.txs.length} transaction{result.txs.length === 1 ? '' : 's'}.
        </span>
      ) : null}
      {snapshot?.state === 'failed' ? <ErrorView error={snapshot.error} /> : null}
      {error ? <ErrorView error={error} /> : null}
    </div>
  );
}
