import type { ReactNode } from 'react';
import { formatAkt, formatAmount } from './akt.js';

/** A figure on a screen at summary precision ("72.81 ACT"); hovering shows every micro digit. */
export function Amount({ micro, unit, testId }: { micro: string | number; unit: string; testId?: string }): ReactNode {
  return (
    <span title={formatAkt(micro, unit)} data-amount="summary" data-testid={testId}>
      {formatAmount(micro, unit)}
    </span>
  );
}
