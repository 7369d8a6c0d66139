import { useState, type ReactNode } from 'react';
import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { EarningsRange, EarningsSeries } from '../../../../src/api/schemas/dashboard.js';
import { formatUsd } from '../wallet/akt.js';

const RANGES: { id: EarningsRange; label: string }[] = [
  { id: '24h', label: '24 h' },
  { id: '7d', label: '7 d' },
  { id: '30d', label: '30 d' },
];

function tickFor(range: EarningsRange): (t: string) => string {
  return (t) => {
    const d = new Date(t);
    if (range === '24h') return d.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
    if (range === '7d') return d.toLocaleDateString([], { weekday: 'short', hour: '2-digit' });
    return d.toLocaleDateString([], { month: 'short', day: 'numeric' });
  };
}

/**
 * What the leases paid per hour / 6 hours / day, gross beside net of the GPUs' power, with the
 * range's totals. Recharts; colours from the theme via CSS classes (dashboard.css).
 */
export function EarningsChart({ series, usdKnown }: { series: EarningsSeries[]; usdKnown: boolean }): ReactNode {
  const [range, setRange] = useState<EarningsRange>('24h');
  const s = series.find((x) => x.range === range) ?? series[0];
  if (!s) return null;
  const usd = (v: number) => (usdKnown ? formatUsd(v) : '—');
  return (
    <section className="card stack" data-testid="earnings-chart-card" data-range={s.range}>
      <div className="card-header">
        <h3>Earnings</h3>
        <div className="segmented" role="group" aria-label="Earnings period">
          {RANGES.map((r) => (
            <button key={r.id} type="button" aria-pressed={r.id === s.range} onClick={() => setRange(r.id)} data-testid={`range-${r.id}`}>
              {r.label}
            </button>
          ))}
        </div>
      </div>
      <div className="dash-totals" data-testid="earnings-totals">
        <Total label="Gross" value={usd(s.totals.grossUsd)} testId="total-gross" />
        <Total label="Power" value={usdKnown || s.totals.powerUsd > 0 ? `− ${formatUsd(s.totals.powerUsd)}` : '—'} testId="total-power" />
        <Total label="Net of power" value={usd(s.totals.netUsd)} testId="total-net" />
        {/* Leases pay ACT (= USD, counted in Gross) since BME; only leases still priced in AKT are listed apart. */}
        {s.totals.grossAkt > 0 ? <Total label="From older AKT-priced leases" value={`${s.totals.grossAkt.toLocaleString('en-US', { maximumFractionDigits: 2 })} AKT`} testId="total-akt" /> : null}
      </div>
      {s.totals.grossAkt === 0 && s.totals.grossUsd === 0 ? (
        <div className="dash-chart dash-chart-empty muted" data-testid="earnings-chart" data-points={s.points.length}>
          Nothing earned in the last {RANGES.find((r) => r.id === s.range)?.label}: the chart fills in once a lease runs.
        </div>
      ) : (
        <div className="dash-chart" data-testid="earnings-chart" data-points={s.points.length}>
          <ResponsiveContainer width="100%" height="100%">
            <BarChart data={s.points} margin={{ top: 8, right: 8, bottom: 0, left: 0 }} barGap={1}>
              <CartesianGrid strokeDasharray="3 3" vertical={false} />
              <XAxis dataKey="at" tickFormatter={tickFor(s.range)} fontSize={11} stroke="currentColor" minTickGap={18} />
              <YAxis fontSize={11} width={56} stroke="currentColor" tickFormatter={(v: number) => `$${v.toFixed(v < 1 ? 2 : 0)}`} />
              <Tooltip
                labelFormatter={(t) => new Date(String(t)).toLocaleString()}
                formatter={(v, name) => [formatUsd(Number(v)), name === 'grossUsd' ? 'Gross' : 'Net of power']}
              />
              <Bar dataKey="grossUsd" className="dash-gross" isAnimationActive={false} />
              <Bar dataKey="netUsd" className="dash-net" isAnimationActive={false} />
            </BarChart>
          </ResponsiveContainer>
        </div>
      )}
      <span className="small muted">
        <span className="dash-legend-gross" aria-hidden="true" />
        Gross
        <span className="dash-legend-net" aria-hidden="true" style={{ marginLeft: 14 }} />
        Net of power · per {s.bucketMinutes >= 1440 ? 'day' : s.bucketMinutes >= 60 ? `${s.bucketMinutes / 60} h` : `${s.bucketMinutes} min`}, from the leases on chain
        {usdKnown ? '' : ' · no AKT price known yet, so USD is not shown'}
      </span>
    </section>
  );
}

function Total({ label, value, testId }: { label: string; value: string; testId: string }): ReactNode {
  return (
    <div className="stack figure" data-testid={testId}>
      <span className="muted small">{label}</span>
      <strong>{value}</strong>
    </div>
  );
}
