import type { ReactNode } from 'react';
import type { TaskSnapshot } from '../../../../src/api/schemas/task.js';
import { ErrorView } from '../error-view.js';

/** A running (or just ended) benchmark task: step, message, a bar, the last lines of its log, Cancel. */
export function RunProgress({ task, onCancel, cancelling, title }: { task: TaskSnapshot; onCancel: () => void; cancelling: boolean; title: string }): ReactNode {
  const running = task.state === 'running';
  const tail = task.log.slice(-8);
  return (
    <section className="card stack" data-testid="bench-progress" data-state={task.state}>
      <div className="card-header">
        <h2>{title}</h2>
        {running ? (
          <button type="button" className="button" onClick={onCancel} disabled={cancelling} data-testid="bench-cancel">
            {cancelling ? 'Cancelling…' : 'Cancel'}
          </button>
        ) : (
          <span className={task.state === 'succeeded' ? 'badge-ok' : task.state === 'cancelled' ? 'badge-warn' : 'badge-block'} data-testid="bench-progress-state">
            {task.state === 'succeeded' ? 'Done' : task.state === 'cancelled' ? 'Cancelled' : 'Failed'}
          </span>
        )}
      </div>
      <div className="row">
        <span className="muted small" data-testid="bench-progress-step">
          Step {task.step} of {task.of}
        </span>
        <span data-testid="bench-progress-message">{task.message}</span>
      </div>
      {running ? (
        <div className={task.percent === undefined || task.percent === 0 ? 'progress progress-indeterminate' : 'progress'} role="progressbar" aria-valuemin={0} aria-valuemax={100} aria-valuenow={task.percent}>
          <span style={task.percent ? { width: `${task.percent}%` } : undefined} />
        </div>
      ) : null}
      {tail.length > 0 ? (
        <pre className="mono small bench-log" data-testid="bench-log" style={{ margin: 0, whiteSpace: 'pre-wrap', maxHeight: 180, overflow: 'auto', background: 'var(--code-bg)', padding: 8, borderRadius: 6 }}>
          {tail.join('\n')}
        </pre>
      ) : null}
      {task.state === 'cancelled' ? <span className="muted" data-testid="bench-cancelled-note">Stopped. The benchmark container was removed and nothing was stored.</span> : null}
      {task.state === 'failed' && task.error ? <ErrorView error={task.error} title="The benchmark stopped" /> : null}
    </section>
  );
}
