import { useEffect, useState, type ReactNode } from 'react';
import { StackComponentName } from '../../../../src/api/schemas/stack.js';
import type { TaskRef } from '../../../../src/api/schemas/task.js';
import { useClient } from '../../api/client-context.js';
import { toRigError, useCall, useTask } from '../../api/hooks.js';
import { ErrorView } from '../error-view.js';

type Component = (typeof StackComponentName.options)[number];

/** The last lines of one component's log (k3s by default), or its live stream while following. */
export function LogsViewer({ installed }: { installed: boolean }): ReactNode {
  const client = useClient();
  const [component, setComponent] = useState<Component>('k3s');
  const [follow, setFollow] = useState<TaskRef | null>(null);
  const [followError, setFollowError] = useState<unknown>(null);
  const logs = useCall('stack.logs', installed && !follow ? { component, tail: 200 } : null);
  const live = useTask(follow).snapshot;
  // A follow ends with the screen: the agent stops streaming for nobody.
  useEffect(() => {
    if (!follow) return undefined;
    return () => void client.call('task.cancel', { id: follow.id }).catch(() => undefined);
  }, [client, follow]);
  const startFollow = (): void => {
    setFollowError(null);
    client
      .call('stack.logsFollow', { component })
      .then(setFollow)
      .catch((err: unknown) => setFollowError(toRigError(err)));
  };
  return (
    <section className="card stack" data-testid="stack-logs">
      <div className="card-header">
        <h2>Logs</h2>
        <div className="row">
          <label className="row small">
            Component
            <select
              value={component}
              onChange={(e) => {
                setFollow(null);
                setComponent(e.target.value as Component);
              }}
              data-testid="logs-component"
            >
              {StackComponentName.options.map((c) => (
                <option key={c} value={c}>
                  {c}
                </option>
              ))}
            </select>
          </label>
          <button type="button" className="button button-small" onClick={logs.refresh} disabled={!installed || logs.loading || follow !== null} data-testid="logs-refresh">
            Refresh
          </button>
          <button type="button" className="button button-small" onClick={() => (follow ? setFollow(null) : startFollow())} disabled={!installed} data-testid="logs-follow">
            {follow ? 'Stop following' : 'Follow'}
          </button>
        </div>
      </div>
      {!installed ? <p className="muted">No logs yet: the stack is not installed.</p> : null}
      {logs.error ? <ErrorView error={logs.error} onRetry={logs.refresh} /> : null}
      {followError ? <ErrorView error={followError} /> : null}
      {follow && live ? (
        <pre className="copy-code mono" data-testid="logs-live" style={{ maxHeight: 320, overflow: 'auto', margin: 0, whiteSpace: 'pre-wrap' }}>
          {live.log.slice(1).join('\n') || 'Waiting for new lines…'}
        </pre>
      ) : null}
      {installed && !follow && logs.data ? (
        <pre className="copy-code mono" data-testid="logs-lines" style={{ maxHeight: 320, overflow: 'auto', margin: 0, whiteSpace: 'pre-wrap' }}>
          {logs.data.lines.length ? logs.data.lines.map((l) => l.line).join('\n') : `(no log lines from ${logs.data.component})`}
        </pre>
      ) : null}
    </section>
  );
}
