import { useEffect, useRef, type ReactNode } from 'react';
import type { TaskSnapshot } from '../../../../src/api/schemas/task.js';
import { ErrorView } from '../error-view.js';

/** Overall percent of a task: finished steps plus the share of the current one. */
export function overallPercent(t: TaskSnapshot): number {
  if (t.state === 'succeeded') return 100;
  if (t.of === 0) return 0;
  const within = (t.percent ?? 0) / 100;
  return Math.max(0, Math.min(100, ((Math.max(1, t.step) - 1 + within) / t.of) * 100));
}

const TITLE: Record<TaskSnapshot['state'], string> = {
  running: 'Starting the provider stack…',
  succeeded: 'The provider stack is up',
  failed: 'Start providing stopped',
  cancelled: 'Cancelled',
};

/** "Start providing" while it runs and after: step, progress bar, live log, and the error with its fix. */
export function UpProgress({ task, onCancel }: { task: TaskSnapshot; onCancel: () => void }): ReactNode {
  const logRef = useRef<HTMLPreElement>(null);
  const pct = overallPercent(task);
  useEffect(() => {
    const el = logRef.current;
    if (el) el.scrollTop = el.scrollHeight;
  }, [task.log.length]);
  return (
    <section className="card stack" data-testid="up-progress" data-state={task.state} aria-live="polite">
      <div className="card-header">
        <h2>{task.kind === 'stack.upgrade' ? TITLE[task.state].replace('Starting', 'Upgrading') : TITLE[task.state]}</h2>
        {task.state === 'running' ? (
          <button type="button" className="button button-small" onClick={onCancel} data-testid="up-cancel">
            Cancel
          </button>
        ) : null}
      </div>
      <div className="row">
        <span data-testid="up-step">
          Step {task.failedStep ?? task.step} of {task.of}
        </span>
        {task.state === 'failed' ? null : (
          <span className="muted" data-testid="up-message">
            {task.message}
          </span>
        )}
      </div>
      <div className="progress" role="progressbar" aria-valuemin={0} aria-valuemax={100} aria-valuenow={Math.round(pct)} data-testid="up-progressbar">
        <span style={{ width: `${pct}%` }} />
      </div>
      {task.state === 'failed' && task.error ? <ErrorView error={task.error} title={`Stopped at step ${task.failedStep ?? task.step} of ${task.of}`} /> : null}
      <details open={task.state !== 'succeeded'}>
        <summary>Live log ({task.log.length} lines)</summary>
        <pre ref={logRef} className="copy-code mono" data-testid="up-log" style={{ maxHeight: 260, overflow: 'auto', margin: '8px 0 0', whiteSpace: 'pre-wrap' }}>
          {task.log.join('\n')}
        </pre>
      </details>
    </section>
  );
}
