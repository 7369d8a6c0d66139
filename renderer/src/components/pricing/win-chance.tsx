import type { ReactNode } from 'react';
import type { ResolvedGpuPrice } from '../../../../src/api/schemas/pricing.js';
import type { MarketPosition } from '../../../../src/api/schemas/settings/pricing.js';

/** "Likely to win" / "Unlikely to win" / "Can't tell" beside a GPU price, with the market's reason. */
export function WinChanceLabel({ gpu }: { gpu: ResolvedGpuPrice }): ReactNode {
  const { verdict, label, reason } = gpu.win;
  const badge = verdict === 'likely' ? 'badge-ok' : verdict === 'unlikely' ? 'badge-warn' : 'badge';
  return (
    <div className="stack win-chance" data-testid={`gpu-win-${gpu.key}`} data-verdict={verdict}>
      <span className={badge}>{label}</span>
      <span className="muted small">{reason}</span>
    </div>
  );
}

const POSITIONS: ReadonlyArray<{ value: MarketPosition; label: string }> = [
  { value: 'below-median', label: 'below the median (more wins, less per hour)' },
  { value: 'median', label: 'the market median' },
  { value: 'above-median', label: 'above the median (fewer wins)' },
];

/** Where a GPU without a price of your own sits in the market; the power floor still holds. */
export function MarketPositionControl({ value, onChange, disabled }: { value: MarketPosition; onChange: (v: MarketPosition) => void; disabled: boolean }): ReactNode {
  return (
    <label className="row market-position">
      <span>A GPU without a price of your own asks</span>
      <select className="input" value={value} disabled={disabled} title={disabled ? 'Following the market uses the percent of the median above instead.' : undefined} onChange={(e) => onChange(e.target.value as MarketPosition)} aria-label="Market position for GPUs without a price of your own" data-testid="market-position">
        {POSITIONS.map((p) => (
          <option key={p.value} value={p.value}>
            {p.label}
          </option>
        ))}
      </select>
    </label>
  );
}
