import type { ReactNode } from 'react';
import type { FarmStatus } from '../../../../src/api/schemas/farm.js';
import { LeaveFarm } from './leave-farm.js';
import { MemberNode } from './member-node.js';

/** A member's Fleet screen: whose farm it is in, its own node, and leaving; the fleet itself is on the controller. */
export function MemberOfFarm({ status, onLeft }: { status: FarmStatus; onLeft: () => void }): ReactNode {
  return (
    <section className="card stack" data-testid="fleet-member">
      <h2>Part of a farm</h2>
      <p>
        This machine's GPUs are offered by the farm of <b>{status.controller?.hostname}</b> ({status.controller?.api}). The fleet view is on that machine.
      </p>
      <MemberNode />
      {status.notes.map((n) => (
        <p key={n} className="muted small">{n}</p>
      ))}
      <LeaveFarm controller={status.controller?.hostname ?? 'its controller'} onLeft={onLeft} />
    </section>
  );
}
