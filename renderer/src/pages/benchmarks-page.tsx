import { useCallback, useEffect, useState, type ReactNode } from 'react';
import type { RigError } from '../../../src/api/errors.js';
import { BenchRun, Ladder, type BenchKind } from '../../../src/api/schemas/bench.js';
import type { TaskRef } from '../../../src/api/schemas/task.js';
import { useClient } from '../api/client-context.js';
import { toRigError, useCall, useTask } from '../api/hooks.js';
import { HistoryChart } from '../components/bench/history-chart.js';
import { LadderView } from '../components/bench/ladder-view.js';
import { ResultCards } from '../components/bench/result-cards.js';
import { RunProgress } from '../components/bench/run-progress.js';
import { ErrorView } from '../components/error-view.js';

const KINDS: Array<{ kind: BenchKind; label: string }> = [
  { kind: 'all', label: 'All quick checks (GPU, disk, network, ports)' },
  { kind: 'gpu', label: 'GPU compute only' },
  { kind: 'disk', label: 'Disk only' },
  { kind: 'network', label: 'Network only' },
  { kind: 'ports', label: 'Ports only' },
  { kind: 'stability', label: 'Stability under sustained load' },
];

/**
 * Benchmarks: what this rig really delivers (CUDA n-body GFLOP/s, disk, network, ports), with
 * progress and cancel, compared with published figures, kept as history; and the pre-flight
 * ladder that says exactly which rung (driver, Docker, Kubernetes, bid engine) fails.
 */
export function BenchmarksPage(): ReactNode {
  const client = useClient();
  const history = useCall('bench.history', { limit: 50 });
  const [kind, setKind] = useState<BenchKind>('all');
  const [minutes, setMinutes] = useState(5);
  const [runRef, setRunRef] = useState<TaskRef | null>(null);
  const [ladderRef, setLadderRef] = useState<TaskRef | null>(null);
  const { snapshot: runTask } = useTask(runRef);
  const { snapshot: ladderTask } = useTask(ladderRef);
  const [actionError, setActionError] = useState<RigError | null>(null);
  const [cancelling, setCancelling] = useState(false);
  const busy = runTask?.state === 'running' || ladderTask?.state === 'running';

  // A window opened late picks up a benchmark or ladder that is still running.
  useEffect(() => {
    let current = true;
    client
      .call('task.list', {})
      .then((list) => {
        if (!current) return;
        const run = list.find((t) => t.kind === 'bench.run' && t.state === 'running');
        const ladder = list.find((t) => t.kind === 'bench.ladder');
        if (run) setRunRef((r) => r ?? { id: run.task, kind: run.kind });
        if (ladder) setLadderRef((r) => r ?? { id: ladder.task, kind: ladder.kind });
      })
      .catch(() => undefined);
    return () => {
      current = false;
    };
  }, [client]);

  // A finished run is in the history now.
  const refreshHistory = history.refresh;
  const runState = runTask?.state;
  useEffect(() => {
    if (runState && runState !== 'running') {
      refreshHistory();
      setCancelling(false);
    }
  }, [runState, refreshHistory]);

  const start = useCallback(() => {
    setActionError(null);
    setCancelling(false);
    client
      .call('bench.run', kind === 'stability' ? { kind, minutes } : { kind })
      .then(setRunRef)
      .catch((err: unknown) => setActionError(toRigError(err)));
  }, [client, kind, minutes]);

  const cancel = useCallback(() => {
    if (!runRef) return;
    setCancelling(true);
    client.call('task.cancel', { id: runRef.id }).catch((err: unknown) => setActionError(toRigError(err)));
  }, [client, runRef]);

  const checkLadder = useCallback(() => {
    setActionError(null);
    client
      .call('bench.ladder', {})
      .then(setLadderRef)
      .catch((err: unknown) => setActionError(toRigError(err)));
  }, [client]);

  const justRan = runTask?.state === 'succeeded' ? BenchRun.safeParse(runTask.result) : null;
  const latest = justRan?.success ? justRan.data : history.data?.runs[0];
  const ladderResult = ladderTask?.state === 'succeeded' ? Ladder.safeParse(ladderTask.result) : null;
  const rerun = history.data?.rerun;

  return (
    <div className="page" data-testid="benchmarks-page">
      <div className="page-header">
        <div className="stack">
          <h1>Benchmarks</h1>
          <span className="muted">What this rig really delivers, measured before a tenant finds out.</span>
        </div>
        <div className="row">
          <select className="button" value={kind} onChange={(e) => setKind(e.target.value as BenchKind)} disabled={busy} data-testid="bench-kind" aria-label="What to measure">
            {KINDS.map((k) => (
              <option key={k.kind} value={k.kind}>
                {k.label}
              </option>
            ))}
          </select>
          {kind === 'stability' ? (
            <label className="row small">
              Minutes
              <input className="button" type="number" min={0.1} max={240} step={0.5} value={minutes} onChange={(e) => setMinutes(Number(e.target.value) || 5)} disabled={busy} data-testid="bench-minutes" style={{ width: 80 }} />
            </label>
          ) : null}
          <button type="button" className="button button-primary" onClick={start} disabled={busy} data-testid="bench-run">
            {runTask?.state === 'running' ? 'Running…' : 'Run benchmarks'}
          </button>
        </div>
      </div>

      {actionError ? <ErrorView error={actionError} /> : null}
      {rerun?.suggested ? (
        <section className="card stack" data-testid="bench-rerun" style={{ borderLeft: '6px solid var(--warn)' }}>
          <strong>{(history.data?.runs.length ?? 0) > 0 ? 'A new run is suggested' : 'No benchmark yet'}</strong>
          {rerun.reasons.map((r) => (
            <span key={r}>{r}</span>
          ))}
        </section>
      ) : null}
      {runTask ? <RunProgress task={runTask} onCancel={cancel} cancelling={cancelling} title="Benchmark run" /> : null}

      {latest ? <ResultCards run={latest} /> : history.loading ? <div className="card skeleton skeleton-block" /> : null}
      {history.error ? <ErrorView error={history.error} onRetry={history.refresh} title="The history could not be read" /> : null}
      {history.data ? <HistoryChart runs={history.data.runs} /> : null}

      <section className="card stack" data-testid="ladder-card">
        <div className="card-header">
          <div className="stack">
            <h2>Pre-flight ladder</h2>
            <span className="muted small">Driver → Docker → Kubernetes → bid engine: can a tenant really use this GPU?</span>
          </div>
          <button type="button" className="button" onClick={checkLadder} disabled={busy} data-testid="ladder-check">
            {ladderTask?.state === 'running' ? 'Checking…' : ladderTask ? 'Check again' : 'Check the ladder'}
          </button>
        </div>
        {ladderTask?.state === 'running' ? (
          <div className="stack" data-testid="ladder-progress">
            <span>{ladderTask.message}</span>
            <div className="progress progress-indeterminate">
              <span />
            </div>
          </div>
        ) : null}
        {ladderTask && (ladderTask.state === 'failed' || ladderTask.state === 'cancelled') && ladderTask.error ? <ErrorView error={ladderTask.error} title="The ladder check stopped" /> : null}
        {ladderResult?.success ? <LadderView ladder={ladderResult.data} /> : null}
        {!ladderTask ? <span className="muted">Not checked yet in this window.</span> : null}
      </section>
    </div>
  );
}
