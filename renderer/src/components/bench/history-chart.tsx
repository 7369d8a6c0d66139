import type { ReactNode } from 'react';
import { CartesianGrid, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { BenchRun } from '../../../../src/api/schemas/bench.js';
import { formatNumber } from '../../format.js';

/** GFLOP/s of every stored GPU run, oldest left; a driver change is visible in the tooltip. */
export function HistoryChart({ runs }: { runs: BenchRun[] }): ReactNode {
  const points = runs
    .filter((r) => r.gpu !== null)
    .map((r) => ({ t: new Date(r.at).getTime(), gflops: r.gpu?.gflops ?? 0, driver: r.driverVersion ?? 'unknown', device: r.gpu?.device ?? '' }))
    .sort((a, b) => a.t - b.t);
  // Runs within two days of each other are told apart by their time, older histories by date.
  const span = points.length ? points[points.length - 1]!.t - points[0]!.t : 0;
  const tick = (t: number) => (span < 2 * 86_400_000 ? new Date(t).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' }) : new Date(t).toLocaleDateString());
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
          <ResponsiveContainer width="100%" height="100%">
            <LineChart data={points} margin={{ top: 8, right: 16, bottom: 8, left: 8 }}>
              <CartesianGrid strokeDasharray="3 3" stroke="currentColor" strokeOpacity={0.15} />
              <XAxis dataKey="t" type="number" scale="time" domain={['dataMin', 'dataMax']} tickFormatter={tick} stroke="currentColor" fontSize={12} />
              <YAxis dataKey="gflops" stroke="currentColor" fontSize={12} width={70} tickFormatter={(v: number) => formatNumber(v)} />
              <Tooltip
                labelFormatter={(t) => new Date(Number(t)).toLocaleString()}
                formatter={(v, _name, item) => [`${formatNumber(Number(v), 1)} GFLOP/s (driver ${(item.payload as { driver: string }).driver})`, 'GPU compute']}
              />
              <Line type="monotone" dataKey="gflops" stroke="currentColor" strokeWidth={2} dot={{ r: 3 }} isAnimationActive={false} />
            </LineChart>
          </ResponsiveContainer>
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
