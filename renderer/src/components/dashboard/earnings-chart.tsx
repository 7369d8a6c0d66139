import { useState, type ReactNode } from 'react';
import type { EarningsRange, EarningsSeries } from '../../../../src/api/schemas/dashboard.js';
import { ChartFrame, ChartTooltip, useActivePoint } from '../charts/chart-frame.js';
import { labelStep, linearScale, niceTicks } from '../charts/chart-scale.js';
import { useWidth } from '../charts/use-width.js';
import { formatUsd } from '../wallet/akt.js';

const RANGES: { id: EarningsRange; label: string }[] = [
  { id: '24h', label: '24 h' },
  { id: '7d', label: '7 d' },
  { id: '30d', label: '30 d' },
];

/**
 * Each range's tick format, as `toLocaleTimeString` / `toLocaleDateString` would write it with
 * these options. Made once: those calls build a new Intl formatter each time, and the chart
 * formats every bucket (the Dashboard's first draw paid several ms for that).
 */
const TICK_OPTIONS: Record<EarningsRange, Intl.DateTimeFormatOptions> = {
  '24h': { hour: '2-digit', minute: '2-digit' },
  '7d': { weekday: 'short', hour: '2-digit' },
  '30d': { month: 'short', day: 'numeric' },
};
const tickFormats = new Map<EarningsRange, Intl.DateTimeFormat>();

function tickFor(range: EarningsRange): (t: string) => string {
  let format = tickFormats.get(range);
  if (!format) tickFormats.set(range, (format = new Intl.DateTimeFormat([], TICK_OPTIONS[range])));
  const f = format;
  return (t) => {
    const d = new Date(t);
    // `format` throws on an invalid date, where toLocale…String wrote this.
    return Number.isNaN(d.getTime()) ? 'Invalid Date' : f.format(d);
  };
}

function bucketWords(minutes: number): string {
  return minutes >= 1440 ? 'day' : minutes >= 60 ? `${minutes / 60} h` : `${minutes} min`;
}

/**
 * What the leases paid per hour / 6 hours / day, gross beside net of the GPUs' power, with the
 * range's totals. Colours from the theme via CSS classes (dashboard.css).
 */
export function EarningsChart({ series, usdKnown }: { series: EarningsSeries[]; usdKnown: boolean }): ReactNode {
  const [range, setRange] = useState<EarningsRange>('24h');
  const s = series.find((x) => x.range === range) ?? series[0];
  if (!s) return null;
  const usd = (v: number) => (usdKnown ? formatUsd(v) : '—');
  const rangeLabel = RANGES.find((r) => r.id === s.range)?.label;
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
          Nothing earned in the last {rangeLabel}: the chart fills in once a lease runs.
        </div>
      ) : (
        <div className="dash-chart" data-testid="earnings-chart" data-points={s.points.length}>
          <Bars series={s} label={`Earnings per ${bucketWords(s.bucketMinutes)} over the last ${rangeLabel}: gross ${usd(s.totals.grossUsd)}, net of power ${usd(s.totals.netUsd)}`} />
        </div>
      )}
      <span className="small muted">
        <span className="dash-legend-gross" aria-hidden="true" />
        Gross
        <span className="dash-legend-net" aria-hidden="true" style={{ marginLeft: 14 }} />
        Net of power · per {bucketWords(s.bucketMinutes)}, from the leases on chain
        {usdKnown ? '' : ' · no AKT price known yet, so USD is not shown'}
      </span>
    </section>
  );
}

const FONT_PX = 11;
const MARGIN = { top: 8, right: 8, bottom: 24, left: 56 };

/** Gross and net bars side by side per bucket, a dashed grid in dollars, the bucket times below. */
function Bars({ series: s, label }: { series: EarningsSeries; label: string }): ReactNode {
  const [box, width] = useWidth<HTMLDivElement>();
  const height = 220;
  const points = s.points;
  const { active, setActive, onKeyDown } = useActivePoint(points.length);
  const values = points.flatMap((p) => [p.grossUsd, p.netUsd]);
  const ticks = niceTicks(Math.min(0, ...values), Math.max(0, ...values));
  const y = linearScale(ticks[0] ?? 0, ticks.at(-1) ?? 1, height - MARGIN.bottom, MARGIN.top);
  const plotWidth = Math.max(0, width - MARGIN.left - MARGIN.right);
  const slot = points.length > 0 ? plotWidth / points.length : 0;
  // Two bars per slot, 1 px apart, with a tenth of the slot free on each side.
  const barWidth = Math.max(1, (slot * 0.8 - 1) / 2);
  const slotX = (i: number) => MARGIN.left + i * slot;
  const tick = tickFor(s.range);
  const step = labelStep(points.length, slot, points[0] ? tick(points[0].at).length : 5, FONT_PX);
  const xLabels = points.flatMap((p, i) => (i % step === 0 ? [{ x: slotX(i) + slot / 2, text: tick(p.at) }] : []));
  const zero = y(0);
  const bar = (v: number, i: number, offset: number, key: string) =>
    v === 0 ? null : <rect key={key} x={slotX(i) + slot * 0.1 + offset} width={barWidth} y={Math.min(zero, y(v))} height={Math.abs(zero - y(v))} />;
  const shown = active !== null ? points[active] : undefined;
  // Whole dollars when every tick is whole; cents otherwise, so $2.50 never reads as $3.
  const cents = ticks.some((t) => !Number.isInteger(t));
  return (
    <div
      ref={box}
      className="chart-box"
      tabIndex={0}
      aria-label={`${label}. Arrow keys read each bar.`}
      onKeyDown={onKeyDown}
      onBlur={() => setActive(null)}
      onPointerLeave={() => setActive(null)}
      onPointerMove={(e) => {
        const x = e.clientX - e.currentTarget.getBoundingClientRect().left - MARGIN.left;
        setActive(x < 0 || x >= plotWidth || slot === 0 ? null : Math.floor(x / slot));
      }}
    >
      {width > 0 ? (
        <ChartFrame width={width} height={height} margin={MARGIN} yTicks={ticks} y={y} yFormat={(v) => `$${v.toFixed(cents ? 2 : 0)}`} xLabels={xLabels} fontPx={FONT_PX} label={label}>
          {active !== null ? <rect className="chart-hover" x={slotX(active)} width={slot} y={MARGIN.top} height={height - MARGIN.top - MARGIN.bottom} /> : null}
          <g className="dash-gross">{points.map((p, i) => bar(p.grossUsd, i, 0, p.at))}</g>
          <g className="dash-net">{points.map((p, i) => bar(p.netUsd, i, barWidth + 1, p.at))}</g>
        </ChartFrame>
      ) : null}
      {shown && active !== null ? (
        <ChartTooltip
          x={slotX(active) + slot / 2}
          y={height / 2}
          width={width}
          title={new Date(shown.at).toLocaleString()}
          lines={[
            { name: 'Gross', value: formatUsd(shown.grossUsd) },
            { name: 'Net of power', value: formatUsd(shown.netUsd) },
          ]}
        />
      ) : null}
    </div>
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
