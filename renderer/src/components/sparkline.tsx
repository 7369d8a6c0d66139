import type { ReactNode } from 'react';

/**
 * A tiny line of recent values: plain SVG, no charting library (the dashboard's charts use one;
 * a live card updating every second should cost next to nothing).
 */
export function Sparkline({ values, max, warm = false, label }: { values: (number | null)[]; max: number; warm?: boolean; label: string }): ReactNode {
  const width = 60;
  const known = values.map((v, i) => (v === null ? null : ([i, v] as const))).filter((p): p is readonly [number, number] => p !== null);
  const step = values.length > 1 ? width / (values.length - 1) : width;
  const top = max > 0 ? max : Math.max(1, ...known.map(([, v]) => v));
  const points = known.map(([i, v]) => `${(i * step).toFixed(1)},${(100 - Math.min(1, Math.max(0, v / top)) * 100).toFixed(1)}`).join(' ');
  return (
    <svg className={warm ? 'sparkline sparkline-warm' : 'sparkline'} viewBox={`0 0 ${width} 100`} preserveAspectRatio="none" role="img" aria-label={label}>
      {known.length > 1 ? <polyline points={points} /> : null}
    </svg>
  );
}

/** A horizontal bar for a 0..1 share; the width is set through the DOM, which the CSP allows. */
export function Bar({ fraction, label }: { fraction: number; label: string }): ReactNode {
  const pct = Math.round(Math.max(0, Math.min(1, fraction)) * 100);
  return (
    <div className="progress" role="meter" aria-label={label} aria-valuemin={0} aria-valuemax={100} aria-valuenow={pct}>
      <span style={{ width: `${pct}%` }} />
    </div>
  );
}
