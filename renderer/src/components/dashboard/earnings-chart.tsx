import { lazy, Suspense, type ComponentProps, type ReactNode } from 'react';
import type { EarningsChart as ChartView } from './earnings-chart-view.js';

// Recharts is most of the renderer's weight: the chart arrives after the Dashboard's numbers.
const View = lazy(async () => ({ default: (await import('./earnings-chart-view.js')).EarningsChart }));

/** The earnings chart, loaded on first render; the space is held while it loads. */
export function EarningsChart(props: ComponentProps<typeof ChartView>): ReactNode {
  return (
    <Suspense fallback={<div className="earnings-chart-loading muted small" aria-busy="true">Loading the chart…</div>}>
      <View {...props} />
    </Suspense>
  );
}
