import type { ReactNode } from 'react';
import type { BenchRun } from '../../../../src/api/schemas/bench.js';
import { formatNumber, formatUnit } from '../../format.js';
import { FixText } from '../copy-code.js';
import { PortMapper } from './port-mapper.js';

const SECTION_NAMES: Record<BenchRun['errors'][number]['section'], string> = {
  gpu: 'GPU compute',
  disk: 'Disk',
  network: 'Network',
  ports: 'Ports',
  stability: 'Stability',
};

function Row({ label, value, testId }: { label: string; value: ReactNode; testId?: string }): ReactNode {
  return (
    <tr>
      <th>{label}</th>
      <td data-testid={testId}>{value}</td>
    </tr>
  );
}

/** The figures of one run, one card per section, each error with its reason and fix. */
export function ResultCards({ run }: { run: BenchRun }): ReactNode {
  return (
    <div className="stack" data-testid="bench-results" data-run-id={run.id}>
      <div className="muted small">
        Measured {new Date(run.at).toLocaleString()} · driver {run.driverVersion ?? 'unknown'} · {run.gpus.map((g) => g.name).join(', ') || 'no GPU'}
      </div>
      <div className="grid">
        {run.gpu ? <GpuCard run={run} gpu={run.gpu} /> : null}
        {run.disk ? <DiskCard disk={run.disk} /> : null}
        {run.network ? <NetworkCard net={run.network} /> : null}
        {run.ports ? <PortsCard ports={run.ports} nat={run.network} /> : null}
        {run.stability ? <StabilityCard s={run.stability} /> : null}
        {run.errors.map((e) => (
          <section key={e.section} className="card stack" data-testid="bench-section-error" data-section={e.section}>
            <div className="card-header">
              <h3>{SECTION_NAMES[e.section]}</h3>
              <span className="badge-block">Did not run</span>
            </div>
            <div>{e.error.message}</div>
            {e.error.fix ? <FixText fix={e.error.fix} /> : null}
          </section>
        ))}
      </div>
    </div>
  );
}

function GpuCard({ run, gpu }: { run: BenchRun; gpu: NonNullable<BenchRun['gpu']> }): ReactNode {
  const ref = run.reference;
  const pct = ref ? Math.round(ref.ratio * 100) : null;
  return (
    <section className="card stack" data-testid="bench-gpu-card">
      <div className="card-header">
        <h3>GPU compute</h3>
        <span className="badge">CUDA n-body</span>
      </div>
      <div>
        <span style={{ fontSize: 30, fontWeight: 700 }} data-testid="bench-gflops">
          {formatNumber(gpu.gflops, 1)}
        </span>{' '}
        <span className="muted">GFLOP/s ({gpu.precision} precision)</span>
      </div>
      <div data-testid="bench-reference">
        {ref && pct !== null ? (
          <>
            <span className={pct >= 90 ? 'badge-ok' : pct >= 70 ? 'badge-warn' : 'badge-block'}>{pct}% of reference</span>{' '}
            <span className="muted small">
              published {formatNumber(ref.gflops, 1)} GFLOP/s for {ref.gpuName} ({ref.source})
            </span>
          </>
        ) : (
          <span className="muted small">No published figure for this GPU model yet, so there is nothing to compare with.</span>
        )}
      </div>
      <table className="table">
        <tbody>
          <Row label="Device" value={gpu.device ?? '—'} testId="bench-gpu-device" />
          <Row label="Bodies × iterations" value={`${formatNumber(gpu.bodies)} × ${gpu.iterations}`} />
          <Row label="Interactions" value={`${formatNumber(gpu.interactionsPerSecondBillion, 1)} billion / s`} />
          <Row label="Kernel time" value={formatUnit(gpu.totalTimeMs, 'ms', 1)} />
          <Row label="Image" value={<span className="mono small">{gpu.image}</span>} />
        </tbody>
      </table>
    </section>
  );
}

function DiskCard({ disk }: { disk: NonNullable<BenchRun['disk']> }): ReactNode {
  return (
    <section className="card stack" data-testid="bench-disk-card">
      <div className="card-header">
        <h3>Disk</h3>
        <span className="badge">{disk.method === 'builtin' ? 'built-in' : disk.method}</span>
      </div>
      <table className="table">
        <tbody>
          <Row label="Sequential write" value={formatUnit(disk.seqWriteMBps, 'MB/s')} />
          <Row label="Sequential read" value={formatUnit(disk.seqReadMBps, 'MB/s')} />
          <Row label="Random 4 KiB read" value={`${formatUnit(disk.randReadIops, 'IOPS')} · ${formatUnit(disk.randReadLatencyUs, 'µs')}`} />
          <Row label="Random 4 KiB write" value={formatUnit(disk.randWriteIops, 'IOPS')} />
          <Row label="Measured in" value={<span className="mono small">{disk.path}</span>} />
        </tbody>
      </table>
      {disk.notes.map((n) => (
        <span key={n} className="muted small">
          {n}
        </span>
      ))}
    </section>
  );
}

function NetworkCard({ net }: { net: NonNullable<BenchRun['network']> }): ReactNode {
  return (
    <section className="card stack" data-testid="bench-network-card">
      <div className="card-header">
        <h3>Network</h3>
        <span className={net.carrierNat ? 'badge-block' : net.behindNat ? 'badge-warn' : 'badge'}>{net.carrierNat ? 'Carrier-grade NAT' : net.behindNat ? 'Behind NAT' : net.behindNat === false ? 'Public address' : 'NAT unknown'}</span>
      </div>
      <table className="table">
        <tbody>
          <Row label="Download" value={formatUnit(net.downloadMbps, 'Mbit/s', 1)} />
          <Row label="Upload" value={formatUnit(net.uploadMbps, 'Mbit/s', 1)} />
          <Row label="Latency" value={formatUnit(net.latencyMs, 'ms', 1)} />
          <Row label="This computer" value={`${net.localAddress ?? '—'} (${net.localKind})`} />
          <Row label="Public address" value={net.publicAddress ?? '—'} />
          {net.natPmp ? <Row label="Router (NAT-PMP)" value={net.natPmp.message} /> : null}
        </tbody>
      </table>
      {net.explanation.map((e) => (
        <span key={e}>{e}</span>
      ))}
      {net.notTested.map((t) => (
        <span key={t} className="muted small" data-testid="bench-not-tested">
          {t}
        </span>
      ))}
    </section>
  );
}

const PORT_BADGE = { open: 'badge-ok', closed: 'badge-block', not_tested: 'badge' } as const;

/** What the outside probe saw, in words: a refused port and a silently dropped one need different fixes. */
function portLabel(p: NonNullable<BenchRun['ports']>['ports'][number]): string {
  if (p.state === 'not_tested') return 'not tested';
  if (p.state === 'open') return 'open';
  return p.probe === 'filtered' ? 'no answer' : p.probe === 'closed' ? 'refused' : 'closed';
}

function PortsCard({ ports, nat }: { ports: NonNullable<BenchRun['ports']>; nat: BenchRun['network'] }): ReactNode {
  const routerSupports = nat?.natPmp?.state === 'ok';
  const blocked = ports.ports.some((p) => p.state === 'closed');
  return (
    <section className="card stack" data-testid="bench-ports-card">
      <div className="card-header">
        <h3>Provider ports from outside</h3>
      </div>
      <span className="muted small">{ports.reason}</span>
      <table className="table">
        <tbody>
          {ports.ports.map((p) => (
            <tr key={p.port} data-testid="bench-port" data-port={p.port} data-state={p.state} data-probe={p.probe ?? undefined}>
              <th>
                {p.port} <span className="muted small">{p.purpose}</span>
              </th>
              <td>
                <span className={PORT_BADGE[p.state]}>{portLabel(p)}</span>
                {ports.tested ? <div className="muted small" data-testid="bench-port-detail">{p.detail}</div> : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {ports.advice.length > 0 ? (
        <div className="stack">
          <strong>What to do</strong>
          <ul>
            {ports.advice.map((a) => (
              <li key={a}>{a}</li>
            ))}
          </ul>
        </div>
      ) : null}
      {routerSupports || nat?.behindNat || (blocked && nat?.behindNat !== false) ? <PortMapper routerSupports={routerSupports} /> : <PortMapper routerSupports={routerSupports} onlyWhenHeld />}
    </section>
  );
}

const FLAG_BADGE = { info: 'badge', warn: 'badge-warn', block: 'badge-block' } as const;

function StabilityCard({ s }: { s: NonNullable<BenchRun['stability']> }): ReactNode {
  return (
    <section className="card stack" data-testid="bench-stability-card">
      <div className="card-header">
        <h3>Stability ({formatNumber(s.minutes, 1)} min)</h3>
        <span className={s.loadRan ? 'badge-ok' : 'badge-warn'}>{s.loadRan ? 'under load' : 'no load'}</span>
      </div>
      <table className="table">
        <tbody>
          {s.gpus.map((g) => (
            <Row
              key={g.index}
              label={g.name ?? `GPU ${g.index}`}
              value={`max ${formatUnit(g.maxTemperatureC, '°C')} · avg ${formatUnit(g.avgPowerW, 'W', 1)} of ${formatUnit(g.powerLimitW, 'W')} · SM ${formatNumber(g.minSmClockMHz)}–${formatUnit(g.maxSmClockMHz, 'MHz')} · slowed down ${formatNumber(g.throttledPct)} % of the time`}
            />
          ))}
        </tbody>
      </table>
      {s.flags.map((f) => (
        <span key={f.message}>
          <span className={FLAG_BADGE[f.severity]}>{f.severity}</span> {f.message}
        </span>
      ))}
    </section>
  );
}
