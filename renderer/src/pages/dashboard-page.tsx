import { useEffect, type ReactNode } from 'react';
import type { DashboardAlert, DashboardSummary, StatusLevel } from '../../../src/api/schemas/dashboard.js';
import { formatSpan, secondsSince } from '../../../src/api/format/age.js';
import { useCall } from '../api/hooks.js';
import { OrdersSummaryLine } from '../components/orders/orders-summary.js';
import { EarningsChart } from '../components/dashboard/earnings-chart.js';
import '../components/dashboard/dashboard.css';
import { ErrorView } from '../components/error-view.js';
import { NoticeDeadline } from '../components/leases/reclaim.js';
import { GpuLiveCard } from '../components/gpu-live-card.js';
import { ReachabilityCard } from '../components/network/reachability-card.js';
import { RigStateBadge } from '../components/rig-state-badge.js';
import { publishRigStatus } from '../components/status-store.js';
import { unitOf } from '../../../src/api/money-format.js';
import { formatUsd, shortAddress } from '../components/wallet/akt.js';
import { Amount } from '../components/wallet/amount.js';
import { formatNumber } from '../format.js';
import { hrefFor } from '../routing.js';

/** Nothing the user does not look at polls faster than every 30 s (ARCHITECTURE.md). */
const REFRESH_MS = 30_000;
const BADGE: Record<StatusLevel, string> = { ok: 'badge-ok', warn: 'badge-warn', block: 'badge-block', info: 'badge' };
/** The alert list's badges: the text already says "Not earning: …", the badge says how bad. */
const ALERT_WORD: Record<StatusLevel, string> = { ok: 'OK', warn: 'Attention', block: 'Blocks', info: 'Info' };

/**
 * The landing screen once the rig is set up: the status line in plain words first (with the
 * reason when it is not earning), then live GPUs, earnings, active leases, the latest benchmark
 * and alerts — one `dashboard.summary` call, refreshed every 30 s; GPU cards stream live.
 */
export function DashboardPage(): ReactNode {
  const summary = useCall('dashboard.summary', {});
  const { refresh } = summary;
  const s = summary.data;

  useEffect(() => {
    const t = setInterval(refresh, REFRESH_MS);
    return () => clearInterval(t);
  }, [refresh]);

  useEffect(() => {
    // The status line at the top of every screen shows this same answer: one derivation, one line.
    if (s) publishRigStatus(s.status);
  }, [s]);

  return (
    <div className="page" data-testid="dashboard-page">
      <div className="page-header">
        <h1>Dashboard</h1>
        <button type="button" className="button" onClick={refresh} disabled={summary.loading}>
          Refresh
        </button>
      </div>
      {summary.error ? <ErrorView error={summary.error} onRetry={refresh} /> : null}
      {/* Stays until tenants are proven to reach the rig from outside (ports + DNS). */}
      <ReachabilityCard onlyWhenFailing />
      {s ? <Loaded s={s} /> : summary.loading ? <div className="skeleton skeleton-block" /> : null}
    </div>
  );
}

function Loaded({ s }: { s: DashboardSummary }): ReactNode {
  const usdKnown = s.earnings.usdPerAkt !== null;
  return (
    <>
      <section className={`card dash-status dash-status-${s.status.level}`} data-testid="dash-status" data-state={s.status.state}>
        <RigStateBadge status={s.status} testId="dash-status-badge" />
        <div className="stack">
          <span className="dash-status-text" data-testid="dash-status-text">
            {s.status.text}
          </span>
          {s.status.fix ? (
            <span className="muted small">
              {s.status.fix} {s.status.route ? <a href={hrefFor(s.status.route)}>Open</a> : null}
            </span>
          ) : null}
        </div>
      </section>
      <OrdersSummaryLine />
      <div className="dash-top">
        <div className="dash-gpus" data-testid="dash-gpus">
          {s.gpus.length === 0 ? (
            <section className="card muted">No NVIDIA GPU found on this machine.</section>
          ) : (
            s.gpus.map((g) => <GpuLiveCard key={g.uuid ?? g.index} index={g.index} uuid={g.uuid} title={g.name} memoryTotalMiB={g.memoryTotalMiB} powerLimitW={g.powerLimitW} />)
          )}
        </div>
        <EarningsChart series={s.earnings.series} usdKnown={usdKnown} />
      </div>
      <Leases s={s} />
      <div className="grid">
        <Bench s={s} />
        <Alerts alerts={s.alerts} gaps={s.gaps} />
      </div>
    </>
  );
}

const since = (iso: string): string => formatSpan(secondsSince(iso));

function Leases({ s }: { s: DashboardSummary }): ReactNode {
  return (
    <section className="card stack" data-testid="dash-leases">
      <div className="card-header">
        <h3>Active leases ({s.leases.length})</h3>
        <a href={hrefFor('/leases')} className="small">
          All leases &amp; withdraw
        </a>
      </div>
      {s.leases.length === 0 ? (
        <span className="muted">No active lease yet. Tenants pick providers by price and uptime: the first lease can take a while.</span>
      ) : (
        <div className="table-scroll">
          <table className="table dash-leases">
            <thead>
              <tr>
                <th>Tenant</th>
                <th>GPU</th>
                <th>Price</th>
                <th>Since</th>
                <th>Earned so far</th>
              </tr>
            </thead>
            <tbody>
              {s.leases.map((l) => (
                <tr key={l.id} data-testid="dash-lease-row">
                  <td className="mono" title={l.tenant}>
                    {shortAddress(l.tenant)}
                    {l.noticeDeadline ? (
                      <span className="stack small" data-testid="dash-lease-notice">
                        <span className="badge badge-warn">Notice given</span>
                        <NoticeDeadline deadline={l.noticeDeadline} />
                      </span>
                    ) : null}
                  </td>
                  <td title={l.resources ?? undefined}>{l.gpu ?? <span className="muted">no GPU</span>}</td>
                  <td>{l.usdPerHour === null ? `${formatNumber(l.pricePerBlock, 1)} ${l.denom}/block` : `${formatUsd(l.usdPerHour)}/h`}</td>
                  <td title={`block ${l.sinceBlock} · ${new Date(l.sinceAt).toLocaleString()}`}>{since(l.sinceAt)}</td>
                  <td>
                    <Amount micro={l.earnedMicro} unit={unitOf(l.denom)} />
                    {l.earnedUsd === null ? null : <span className="muted small"> · {formatUsd(l.earnedUsd)}</span>}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function Bench({ s }: { s: DashboardSummary }): ReactNode {
  const b = s.bench;
  return (
    <section className="card stack" data-testid="dash-bench">
      <div className="card-header">
        <h3>Latest benchmark</h3>
        <a href={hrefFor('/benchmarks')} className="small">
          Benchmarks
        </a>
      </div>
      {b === null ? (
        <span className="muted">No benchmark yet. Run one so tenants see what this GPU does.</span>
      ) : (
        <dl className="dash-facts">
          <dt>When</dt>
          <dd>{new Date(b.at).toLocaleString()}</dd>
          <dt>GPU</dt>
          <dd>
            {b.gflops === null ? '—' : `${formatNumber(b.gflops, 0)} GFLOP/s`}
            {b.referenceRatio === null ? '' : ` (${Math.round(b.referenceRatio * 100)} % of published)`}
            {b.gpuName ? <span className="muted"> · {b.gpuName}</span> : null}
          </dd>
          <dt>Disk read</dt>
          <dd>{b.diskSeqReadMBps === null ? '—' : `${formatNumber(b.diskSeqReadMBps)} MB/s`}</dd>
          <dt>Download</dt>
          <dd>{b.downMbps === null ? '—' : `${formatNumber(b.downMbps)} Mbit/s`}</dd>
          <dt>Ports</dt>
          <dd>
            {b.portsOpen.length + b.portsClosed.length === 0
              ? 'not tested'
              : [b.portsOpen.length ? `${b.portsOpen.join(', ')} open` : '', b.portsClosed.length ? `${b.portsClosed.join(', ')} closed` : ''].filter(Boolean).join(' · ')}
          </dd>
        </dl>
      )}
    </section>
  );
}

function Alerts({ alerts, gaps }: { alerts: DashboardAlert[]; gaps: DashboardSummary['gaps'] }): ReactNode {
  return (
    <section className="card stack" data-testid="dash-alerts">
      <h3>Alerts</h3>
      {alerts.length === 0 && gaps.length === 0 ? <span className="muted">Nothing needs your attention.</span> : null}
      {alerts.map((a) => (
        <div key={a.id} className="dash-alert" data-testid="dash-alert">
          <span className={BADGE[a.level]}>{ALERT_WORD[a.level]}</span>
          <span>
            {a.text}
            {a.fix ? <span className="muted small"> — {a.fix}</span> : null} {a.route ? <a href={hrefFor(a.route)}>Open</a> : null}
          </span>
        </div>
      ))}
      {gaps.map((g) => (
        <div key={g.part} className="dash-alert" data-testid="dash-gap">
          <span className="badge">Not read</span>
          <span className="small">
            {g.part}: {g.message}
          </span>
        </div>
      ))}
    </section>
  );
}
