import type { ReactNode } from 'react';
import { useCall } from '../../api/hooks.js';
import { hrefFor } from '../../routing.js';

/** The Dashboard's one line about today's orders ("12 GPU orders today: bid on 9, 3 below your price"). */
export function OrdersSummaryLine(): ReactNode {
  const log = useCall('orders.log', { sinceHours: 24 });
  const v = log.data;
  // No provider, no orders to speak of: the status line already says why.
  if (!v || v.source === 'no-stack') return null;
  return (
    <section className="card row small" data-testid="dash-orders">
      <span data-testid="dash-orders-line">{v.summary.line}</span>
      <a href={hrefFor('/orders')}>Why not?</a>
    </section>
  );
}
