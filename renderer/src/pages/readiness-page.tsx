import { useEffect, type ReactNode } from 'react';
import type { HardwareReport } from '../../../src/api/schemas/hardware.js';
import { useCall } from '../api/hooks.js';
import { ErrorView } from '../components/error-view.js';
import { GpuLiveCard } from '../components/gpu-live-card.js';
import { ChecksList } from '../components/readiness/checks-list.js';
import { DockerCard } from '../components/readiness/docker-card.js';
import { GpuInfoCard } from '../components/readiness/gpu-info-card.js';
import { SystemCard } from '../components/readiness/system-card.js';
import { VerdictCard } from '../components/readiness/verdict-card.js';
import { requestStatusRefresh } from '../components/status-store.js';
import { formatDuration, formatTime } from '../format.js';

/**
 * Readiness: can this machine become an Akash GPU provider? Scans on open (a fresh scan, never
 * a cached one: the person may just have fixed something), then shows the verdict, the checks
 * with their fixes, every GPU (with live numbers), the system and Docker.
 */
export function ReadinessPage(): ReactNode {
  const scan = useCall('hardware.scan', { maxAgeMs: 0 });
  const report = scan.data;

  // A fresh scan may change the rig's state (Docker started): the top bar asks the agent again.
  useEffect(() => {
    if (report) requestStatusRefresh();
  }, [report]);

  return (
    <div className="page" data-testid="readiness-page">
      <div className="page-header">
        <div className="stack">
          <h1>Readiness</h1>
          <span className="muted">Can this machine become an Akash GPU provider?</span>
        </div>
        <div className="row">
          {report ? (
            <span className="muted small" data-testid="scanned-at">
              Scanned at {formatTime(report.scannedAt)} in {formatDuration(report.durationMs)}
            </span>
          ) : null}
          <button type="button" className="button button-primary" onClick={scan.refresh} disabled={scan.loading} data-testid="scan-again">
            {scan.loading ? 'Scanning…' : 'Scan again'}
          </button>
        </div>
      </div>
      {scan.loading ? <ScanProgress hasReport={report !== undefined} /> : null}
      {scan.error ? <ErrorView error={scan.error} onRetry={scan.refresh} title="The scan did not finish" /> : null}
      {report ? <Report report={report} /> : scan.loading ? <Skeleton /> : null}
    </div>
  );
}

function Report({ report }: { report: HardwareReport }): ReactNode {
  return (
    <>
      <VerdictCard report={report} />
      <ChecksList checks={report.checks} />
      <h2>GPUs</h2>
      {report.gpus.length === 0 ? (
        <section className="card" data-testid="no-gpus">
          <h3>No NVIDIA GPU found</h3>
          <p>{report.nvidia.message}</p>
          {report.nvidia.path ? <p className="muted small">nvidia-smi: {report.nvidia.path}</p> : null}
        </section>
      ) : (
        report.gpus.map((gpu) => (
          <div className="grid-2" key={gpu.uuid ?? gpu.index}>
            <GpuInfoCard gpu={gpu} />
            <GpuLiveCard index={gpu.index} uuid={gpu.uuid} title={`GPU ${gpu.index} live`} memoryTotalMiB={gpu.vramMiB} powerLimitW={gpu.powerLimitW} />
          </div>
        ))
      )}
      <div className="grid-2">
        <SystemCard system={report.system} />
        <DockerCard docker={report.docker} />
      </div>
    </>
  );
}

function ScanProgress({ hasReport }: { hasReport: boolean }): ReactNode {
  return (
    <div className="stack" role="status" data-testid="scanning">
      <span className="muted">
        {hasReport ? 'Scanning again…' : 'Scanning GPUs, system and Docker. This takes a few seconds…'}
      </span>
      <div className="progress progress-indeterminate">
        <span />
      </div>
    </div>
  );
}

function Skeleton(): ReactNode {
  return (
    <div className="stack" aria-hidden="true">
      <div className="card">
        <div className="skeleton" />
      </div>
      <div className="grid-2">
        <div className="card skeleton-block skeleton" />
        <div className="card skeleton-block skeleton" />
      </div>
    </div>
  );
}
