import { useCallback, useState, type ReactNode } from 'react';
import type { RigError } from '../../../src/api/errors.js';
import type { DiagnosticCheck, DiagnosticStatus, DiagnosticsExportResult } from '../../../src/api/schemas/diagnostics.js';
import { useClient } from '../api/client-context.js';
import { toRigError, useCall } from '../api/hooks.js';
import { CheckList, type CheckRow } from '../components/check-list.js';
import { CopyCode } from '../components/copy-code.js';
import { RepairCard } from '../components/diagnostics/repair-card.js';
import { LogsViewer } from '../components/stack/logs-viewer.js';
import { ErrorView } from '../components/error-view.js';
import { formatDuration, formatTime } from '../format.js';

const BADGE: Record<DiagnosticStatus, { className: string; text: string }> = {
  ok: { className: 'badge-ok', text: 'OK' },
  warn: { className: 'badge-warn', text: 'Warning' },
  fail: { className: 'badge-block', text: 'Failed' },
};
const ORDER: Record<DiagnosticStatus, number> = { fail: 0, warn: 1, ok: 2 };
const OVERALL: Record<DiagnosticStatus, string> = {
  ok: 'Everything RigLease can check looks fine.',
  warn: 'Some things need attention.',
  fail: 'Something is broken; the fix is under each failed check.',
};

/**
 * Diagnostics: every independent check (hardware, Docker, files, disk…) with why and the fix,
 * and "Export diagnostics", a zip for a bug report with every secret removed.
 */
export function DiagnosticsPage(): ReactNode {
  const report = useCall('diagnostics.checks', {});
  const r = report.data;
  // A finished repair changes the stack: the logs card reads it again.
  const [logsGeneration, setLogsGeneration] = useState(0);
  const bumpLogs = useCallback(() => setLogsGeneration((g) => g + 1), []);

  return (
    <div className="page" data-testid="diagnostics-page">
      <div className="page-header">
        <div className="stack">
          <h1>Diagnostics</h1>
          <span className="muted">Independent checks of everything RigLease relies on, and a redacted bundle for bug reports.</span>
        </div>
        <div className="row">
          {r ? (
            <span className="muted small" data-testid="checked-at">
              Checked at {formatTime(r.checkedAt)} in {formatDuration(r.durationMs)}
            </span>
          ) : null}
          <button type="button" className="button" onClick={report.refresh} disabled={report.loading} data-testid="check-again">
            {report.loading ? 'Checking…' : 'Check again'}
          </button>
        </div>
      </div>
      <ExportCard />
      {report.error ? <ErrorView error={report.error} onRetry={report.refresh} title="The checks did not run" /> : null}
      {r ? (
        <section className="card" data-testid="diagnostic-checks" data-overall={r.overall}>
          <div className="card-header">
            <h2>Checks</h2>
            <span className={BADGE[r.overall].className} data-testid="diagnostics-overall">
              {BADGE[r.overall].text}
            </span>
          </div>
          <p>{OVERALL[r.overall]}</p>
          <CheckList rows={r.checks.map(row)} rowTestId="diagnostic-check" fixTestId="diagnostic-fix" />
        </section>
      ) : report.loading ? (
        <div className="card" role="status">
          <span className="muted">Running the checks…</span>
          <div className="progress progress-indeterminate">
            <span />
          </div>
        </div>
      ) : null}
      <RepairCard onFinished={bumpLogs} />
      <ComponentLogs key={logsGeneration} />
    </div>
  );
}

/** A diagnostic as a row: what, its area, why; the fix and docs link only while it is not OK. */
function row(c: DiagnosticCheck): CheckRow {
  const bad = c.status !== 'ok';
  return {
    id: c.id,
    status: c.status,
    problem: bad,
    rank: ORDER[c.status],
    badge: BADGE[c.status],
    title: (
      <>
        {c.what} <span className="muted small">· {c.area}</span>
      </>
    ),
    detail: c.why,
    fix: bad ? c.fix : null,
    link: bad ? c.docsUrl : null,
  };
}

function ExportCard(): ReactNode {
  const client = useClient();
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<DiagnosticsExportResult | null>(null);
  const [error, setError] = useState<RigError | null>(null);
  const exportNow = useCallback(() => {
    setBusy(true);
    setError(null);
    client
      .call('diagnostics.export', {})
      .then(setResult)
      .catch((err: unknown) => setError(toRigError(err)))
      .finally(() => setBusy(false));
  }, [client]);

  return (
    <section className="card" data-testid="export-card">
      <div className="card-header">
        <h2>Export diagnostics</h2>
        <button type="button" className="button button-primary" onClick={exportNow} disabled={busy} data-testid="export-diagnostics">
          {busy ? 'Exporting…' : 'Export diagnostics'}
        </button>
      </div>
      <p className="muted">
        A zip of the logs, settings, state, crash reports and the last hardware report. Recovery phrases, keys, tokens and passwords are replaced by [redacted]; the encrypted wallet is never
        included.
      </p>
      {error ? <ErrorView error={error} onRetry={exportNow} title="The export did not finish" /> : null}
      {result ? (
        <div className="stack" role="status" data-testid="export-result">
          <strong>
            Saved {result.files.length} files ({Math.ceil(result.bytes / 1024)} KiB) to:
          </strong>
          <CopyCode code={result.path} />
          {result.leftOut.length > 0 ? (
            <span className="muted small" data-testid="export-left-out">
              Left out: {result.leftOut.map((l) => `${l.file} (${l.reason})`).join(', ')}
            </span>
          ) : null}
        </div>
      ) : null}
    </section>
  );
}

/** Each provider component's log (the Provider stack screen's viewer), once the stack exists. */
function ComponentLogs(): ReactNode {
  const status = useCall('stack.status', {});
  if (status.error) {
    return (
      <section className="card" data-testid="stack-logs-unavailable">
        <ErrorView error={status.error} onRetry={status.refresh} title="Component logs: the provider stack could not be read" />
      </section>
    );
  }
  if (!status.data) return null;
  return <LogsViewer installed={status.data.overall !== 'not_installed'} />;
}
