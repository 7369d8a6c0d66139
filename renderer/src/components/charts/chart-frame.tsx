import { useState, type KeyboardEvent, type ReactNode } from 'react';
import './charts.css';

export interface Margin {
  top: number;
  right: number;
  bottom: number;
  left: number;
}

export interface ChartFrameProps {
  width: number;
  height: number;
  margin: Margin;
  /** Values of the horizontal grid lines, with `y` mapping them to px and `yFormat` labelling them. */
  yTicks: number[];
  y: (v: number) => number;
  yFormat: (v: number) => string;
  /** Labels under the plot, at their x in px. */
  xLabels: { x: number; text: string }[];
  fontPx: number;
  /** What the chart shows, for screen readers (the visible chart has no words of its own). */
  label: string;
  children: ReactNode;
}

/**
 * Axes, dashed grid and labels of an SVG chart; the series are its children. Colours come from
 * CSS (charts.css): text and axes use currentColor, so a container's `color` themes the chart.
 */
export function ChartFrame({ width, height, margin, yTicks, y, yFormat, xLabels, fontPx, label, children }: ChartFrameProps): ReactNode {
  const left = margin.left;
  const right = width - margin.right;
  const bottom = height - margin.bottom;
  return (
    <svg className="chart" width={width} height={height} viewBox={`0 0 ${width} ${height}`} role="img" aria-label={label} fontSize={fontPx}>
      <g className="chart-grid">
        {yTicks.map((t) => (
          <line key={t} x1={left} x2={right} y1={y(t)} y2={y(t)} strokeDasharray="3 3" />
        ))}
      </g>
      <g className="chart-axis chart-axis-y" textAnchor="end">
        <line x1={left} x2={left} y1={margin.top} y2={bottom} />
        {yTicks.map((t) => (
          <text key={t} x={left - 6} y={y(t)} dy="0.32em">
            {yFormat(t)}
          </text>
        ))}
      </g>
      <g className="chart-axis chart-axis-x" textAnchor="middle">
        <line x1={left} x2={right} y1={bottom} y2={bottom} />
        {xLabels.map((l, i) => (
          <text key={i} x={l.x} y={bottom + fontPx + 6}>
            {l.text}
          </text>
        ))}
      </g>
      {children}
    </svg>
  );
}

/**
 * Which point the tooltip reads: the one under the pointer, or the one chosen with the arrow
 * keys while the chart has focus (Home/End jump, Escape hides it).
 */
export function useActivePoint(count: number): {
  active: number | null;
  setActive: (i: number | null) => void;
  onKeyDown: (e: KeyboardEvent) => void;
} {
  const [active, setActive] = useState<number | null>(null);
  const onKeyDown = (e: KeyboardEvent) => {
    if (count === 0) return;
    const at = active ?? -1;
    const next: Record<string, number | null> = { ArrowRight: Math.min(count - 1, at + 1), ArrowLeft: Math.max(0, at < 0 ? count - 1 : at - 1), Home: 0, End: count - 1, Escape: null };
    if (!(e.key in next)) return;
    e.preventDefault();
    setActive(next[e.key] ?? null);
  };
  return { active: active !== null && active < count ? active : null, setActive, onKeyDown };
}

/** The box beside the active point: a title line, then one line per series. */
export function ChartTooltip({ x, y, width, title, lines }: { x: number; y: number; width: number; title: string; lines: { name: string; value: string; className?: string }[] }): ReactNode {
  // Right of the point in the left half, left of it in the right half: it never leaves the chart.
  const flip = x > width / 2;
  return (
    // React sets `style` through the CSSOM, which the page's CSP (no inline style attributes) allows.
    <div
      className="chart-tooltip"
      role="status"
      style={{ left: Math.round(flip ? x - 12 : x + 12), top: Math.round(y), transform: flip ? 'translate(-100%, -50%)' : 'translate(0, -50%)' }}
      data-testid="chart-tooltip"
    >
      <div className="chart-tooltip-title">{title}</div>
      {lines.map((l) => (
        <div key={l.name} className={l.className}>
          {l.name}: <strong>{l.value}</strong>
        </div>
      ))}
    </div>
  );
}
