import type { ReactNode } from 'react';
import type { FarmStatus } from '../../../../src/api/schemas/farm.js';

/** The farm at a glance on the controller: machines, how many answer, GPUs, and the controller's notes. */
export function FleetTotals({ totals, notes }: { totals: FarmStatus['totals']; notes: string[] }): ReactNode {
  return (
    <section className="card" data-testid="fleet-totals">
      <div className="row">
        <span className="badge">{totals.machines} machines</span>
        <span className={totals.reachable === totals.machines ? 'badge-ok' : 'badge-warn'}>{totals.reachable} answering</span>
        <span className="badge">{totals.gpus} GPUs</span>
      </div>
      {notes.map((n) => (
        <p key={n} className="muted small">{n}</p>
      ))}
    </section>
  );
}
