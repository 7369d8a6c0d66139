import { useCallback, useEffect, useState, type ReactNode } from 'react';
import type { StackStatus } from '../../../src/api/schemas/stack.js';
import type { TaskRef } from '../../../src/api/schemas/task.js';
import { useClient } from '../api/client-context.js';
import { toRigError, useCall, useTask } from '../api/hooks.js';
import { ErrorView } from '../components/error-view.js';
import { ComponentsTable } from '../components/stack/components-table.js';
import { GpuInventory } from '../components/stack/gpu-inventory.js';
import { LogsViewer } from '../components/stack/logs-viewer.js';
import { PlanSummary } from '../components/stack/plan-summary.js';
import { StackActions, type StackAction } from '../components/stack/stack-actions.js';
import { ProviderEmail } from '../components/stack/provider-email.js';
import { StackSetup } from '../components/stack/stack-setup.js';
import { UpProgress } from '../components/stack/up-progress.js';
import { requestStatusRefresh, type StatusLevel } from '../components/status-store.js';
import { formatTime } from '../format.js';
import type { RigError } from '../../../src/api/errors.js';

const OVERALL: Record<StackStatus['overall'], { badge: string; text: string; level: StatusLevel }> = {
  not_installed: { badge: 'badge', text: 'Not installed', level: 'info' },
  stopped: { badge: 'badge-warn', text: 'Stopped', level: 'warn' },
  starting: { badge: 'badge-warn', text: 'Starting', level: 'info' },
  running: { badge: 'badge-ok', text: 'Running', level: 'ok' },
  degraded: { badge: 'badge-block', text: 'Degraded', level: 'block' },
};

/** While something is changing, look every 5 s; otherwise every 30 s (ARCHITECTURE: cheap polling). */
const FAST_MS = 5_000;
const SLOW_MS = 30_000;

/**
 * The provider stack: one button to start providing (with progress and a live log), the true
 * state of every component read from Docker and k3s, the GPUs as the cluster sees them, and
 * stop/restart/upgrade/uninstall, each saying first what happens to leases and data.
 */
export function StackPage(): ReactNode {
  const client = useClient();
  const status = useCall('stack.status', {});
  const [taskRef, setTaskRef] = useState<TaskRef | null>(null);
  const { snapshot: task } = useTask(taskRef);
  const [actionError, setActionError] = useState<RigError | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [acting, setActing] = useState(false);
  // Bumped when the setup is saved, so the plan below is read again.
  const [planVersion, setPlanVersion] = useState(0);
  const s = status.data;
  const running = task?.state === 'running';

  // A window opened late (or after the app restarted) picks up a stack task that is still running.
  useEffect(() => {
    let current = true;
    client
      .call('task.list', {})
      .then((list) => {
        const t = list.find((x) => (x.kind === 'stack.up' || x.kind === 'stack.upgrade') && x.state === 'running');
        if (current && t) setTaskRef((ref) => ref ?? { id: t.task, kind: t.kind });
      })
      .catch(() => undefined);
    return () => {
      current = false;
    };
  }, [client]);

  // When the task ends, the state it left behind is what the table must show.
  const refresh = status.refresh;
  const taskState = task?.state;
  useEffect(() => {
    if (taskState && taskState !== 'running') refresh();
  }, [taskState, refresh]);

  useEffect(() => {
    const ms = running || s?.overall === 'starting' ? FAST_MS : SLOW_MS;
    const timer = setInterval(refresh, ms);
    return () => clearInterval(timer);
  }, [running, s?.overall, refresh]);

  // The stack's state is part of the rig's: the top bar asks the agent again when it changes.
  useEffect(() => {
    if (s) requestStatusRefresh();
  }, [s?.overall]);

  const startProviding = useCallback(() => {
    setActionError(null);
    setNotice(null);
    client
      .call('stack.up', {})
      .then(setTaskRef)
      .catch((err: unknown) => setActionError(toRigError(err)));
  }, [client]);

  const run = useCallback(
    (action: StackAction) => {
      setActionError(null);
      setNotice(null);
      if (action === 'upgrade') {
        client
          .call('stack.upgrade', {})
          .then(setTaskRef)
          .catch((err: unknown) => setActionError(toRigError(err)));
        return;
      }
      setActing(true);
      const call =
        action === 'stop'
          ? client.call('stack.down', {})
          : action === 'start'
            ? client.call('stack.start', {})
            : action === 'restart'
              ? client.call('stack.restart', {})
              : client.call('stack.uninstall', { purge: action === 'purge', confirm: true });
      call
        .then((r) => setNotice(r.message))
        .catch((err: unknown) => setActionError(toRigError(err)))
        .finally(() => {
          setActing(false);
          refresh();
        });
    },
    [client, refresh],
  );

  const o = s ? OVERALL[s.overall] : null;
  // Before the first start the choices come first; afterwards they sit below the state.
  const onSaved = (): void => {
    setPlanVersion((v) => v + 1);
    refresh();
  };
  const setup = (
    <>
      <StackSetup onSaved={onSaved} />
      <ProviderEmail onSaved={onSaved} />
    </>
  );
  return (
    <div className="page" data-testid="stack-page">
      <div className="page-header">
        <div className="stack">
          <h1>Provider stack</h1>
          <span className="muted">k3s with your GPUs and the Akash provider, in Docker on this computer.</span>
        </div>
        <div className="row">
          {o ? (
            <span className={o.badge} data-testid="stack-overall" data-overall={s?.overall}>
              {o.text}
            </span>
          ) : null}
          {s ? <span className="muted small">Checked {formatTime(s.checkedAt)}</span> : null}
          <button type="button" className="button button-primary" onClick={startProviding} disabled={running || acting} data-testid="start-providing">
            {running ? 'Starting…' : 'Start providing'}
          </button>
        </div>
      </div>
      {actionError ? <ErrorView error={actionError} /> : null}
      {notice ? (
        <div className="card" role="status" data-testid="stack-notice">
          {notice}
        </div>
      ) : null}
      {task ? <UpProgress task={task} onCancel={() => void client.call('task.cancel', { id: task.task }).catch(() => undefined)} /> : null}
      {status.error ? <ErrorView error={status.error} onRetry={refresh} title="Could not read the stack's state" /> : null}
      {!s || s.overall === 'not_installed' ? setup : null}
      {s ? (
        <>
          <ComponentsTable status={s} />
          <GpuInventory status={s} />
          <StackActions status={s} busy={running || acting} onRun={run} />
          <LogsViewer installed={s.overall !== 'not_installed'} />
        </>
      ) : status.loading ? (
        <div className="card">
          <div className="skeleton" />
        </div>
      ) : null}
      {s && s.overall !== 'not_installed' ? setup : null}
      <PlanSummary key={planVersion} />
    </div>
  );
}
