import type { ReactNode } from 'react';
import type { BenchRun } from '../../../../src/api/schemas/bench.js';
import { formatNumber } from '../../format.js';
import { ChartFrame, ChartTooltip, useActivePoint } from '../charts/chart-frame.js';
import { labelStep, linearScale, niceTicks } from '../charts/chart-scale.js';
import { useWidth } from '../charts/use-width.js';

/** GFLOP/s of every stored GPU run, oldest left; a driver change is visible in the tooltip. */
export function HistoryChart({ runs }: { runs: BenchRun[] }): ReactNode {
  const points = runs
    .filter((r) => r.gpu !== null)
    .map((r) => ({ t: new Date(r.at).getTime(), gflops: r.gpu?.gflops ?? 0, driver: r.driverVersion ?? 'unknown', device: r.gpu?.device ?? '' }))
    .sort((a, b) => a.t - b.t);
  return (
    <section className="card stack" data-testid="bench-history">
      <div className="card-header">
        <h2>History</h2>
        <span className="muted small" data-testid="bench-history-count">
          {runs.length} run{runs.length === 1 ? '' : 's'} stored
        </span>
      </div>
      {points.length === 0 ? (
        <p className="muted">No GPU figure stored yet: run the benchmark to start the history.</p>
      ) : (
        // currentColor carries the theme's accent into the SVG (presentation attributes cannot read CSS variables everywhere).
        <div data-testid="bench-history-chart" style={{ width: '100%', height: 220, color: 'var(--accent)' }}>
          <Line points={points} />
        </div>
      )}
      {runs.length > 0 ? (
        <table className="table small" data-testid="bench-history-table">
          <tbody>
            {runs.slice(0, 8).map((r) => (
              <tr key={r.id} data-testid="bench-history-row">
                <th>{new Date(r.at).toLocaleString()}</th>
                <td>
                  {r.kinds.join(', ')} · {r.gpu ? `${formatNumber(r.gpu.gflops, 1)} GFLOP/s` : 'no GPU figure'} · driver {r.driverVersion ?? '—'}
                  {r.errors.length ? ` · ${r.errors.length} section(s) did not run` : ''}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </section>
  );
}

interface Point {
  t: number;
  gflops: number;
  driver: string;
}

const FONT_PX = 12;
const MARGIN = { top: 8, right: 16, bottom: 28, left: 78 };
const X_TICKS = 5;

/** The runs on a time axis, joined by a line, one dot per run; GFLOP/s from 0 on the left. */
function Line({ points }: { points: Point[] }): ReactNode {
  const [box, width] = useWidth<HTMLDivElement>();
  const height = 220;
  const { active, setActive, onKeyDown } = useActivePoint(points.length);
  const first = points[0]?.t ?? 0;
  const last = points.at(-1)?.t ?? 0;
  // Runs within two days of each other are told apart by their time, older histories by date.
  const tick = (t: number) => (last - first < 2 * 86_400_000 ? new Date(t).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' }) : new Date(t).toLocaleDateString());
  const yTicks = niceTicks(0, Math.max(...points.map((p) => p.gflops)));
  const y = linearScale(yTicks[0] ?? 0, yTicks.at(-1) ?? 1, height - MARGIN.bottom, MARGIN.top);
  const x = linearScale(first, last, MARGIN.left, width - MARGIN.right);
  const plotWidth = Math.max(0, width - MARGIN.left - MARGIN.right);
  // Evenly spaced times across the runs' span (one label when every run has the same time).
  const times = first === last ? [first] : Array.from({ length: X_TICKS }, (_, i) => first + ((last - first) * i) / (X_TICKS - 1));
  const step = labelStep(times.length, plotWidth / Math.max(1, times.length - 1), tick(first).length, FONT_PX);
  // Runs minutes apart would print the same time five times: each text once.
  const xLabels = times.flatMap((t, i) => (i % step === 0 ? [{ x: x(t), text: tick(t) }] : [])).filter((l, i, all) => all.findIndex((o) => o.text === l.text) === i);
  const path = points.map((p, i) => `${i === 0 ? 'M' : 'L'}${x(p.t).toFixed(1)},${y(p.gflops).toFixed(1)}`).join('');
  const shown = active !== null ? points[active] : undefined;
  const label = `GPU compute of ${points.length} stored run${points.length === 1 ? '' : 's'}, latest ${formatNumber(points.at(-1)?.gflops ?? 0, 1)} GFLOP/s`;
  return (
    <div
      ref={box}
      className="chart-box"
      tabIndex={0}
      aria-label={`${label}. Arrow keys read each run.`}
      onKeyDown={onKeyDown}
      onBlur={() => setActive(null)}
      onPointerLeave={() => setActive(null)}
      onPointerMove={(e) => {
        // The run nearest the pointer along the time axis.
        const px = e.clientX - e.currentTarget.getBoundingClientRect().left;
        let best = 0;
        points.forEach((p, i) => {
          if (Math.abs(x(p.t) - px) < Math.abs(x(points[best]!.t) - px)) best = i;
        });
        setActive(best);
      }}
    >
      {width > 0 ? (
        <ChartFrame width={width} height={height} margin={MARGIN} yTicks={yTicks} y={y} yFormat={(v) => formatNumber(v)} xLabels={xLabels} fontPx={FONT_PX} label={label}>
          <path className="chart-line" d={path} fill="none" stroke="currentColor" strokeWidth={2} data-testid="bench-history-line" />
          <g className="chart-dots" stroke="currentColor" strokeWidth={2}>
            {points.map((p, i) => (
              <circle key={`${p.t}-${i}`} cx={x(p.t)} cy={y(p.gflops)} r={i === active ? 5 : 3} data-testid="bench-history-dot" />
            ))}
          </g>
        </ChartFrame>
      ) : null}
      {shown && active !== null ? (
        <ChartTooltip
          x={x(shown.t)}
          y={y(shown.gflops)}
          width={width}
          title={new Date(shown.t).toLocaleString()}
          lines={[{ name: 'GPU compute', value: `${formatNumber(shown.gflops, 1)} GFLOP/s (driver ${shown.driver})` }]}
        />
      ) : null}
    </div>
  );
}
