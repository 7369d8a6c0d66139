import { useEffect, useState, type ReactNode } from 'react';
import type { FarmToken } from '../../../src/api/schemas/farm.js';
import { useCall, useEvent } from '../api/hooks.js';
import { ErrorView } from '../components/error-view.js';
import { AddMachine } from '../components/farm/add-machine.js';
import { FarmAttributes } from '../components/farm/farm-attributes.js';
import { FLEET_PAGE_SIZE, FleetPager, lastPageOffset } from '../components/farm/fleet-pager.js';
import { FleetTotals } from '../components/farm/fleet-totals.js';
import { JoinFarm } from '../components/farm/join-farm.js';
import { MachineCard } from '../components/farm/machine-card.js';
import { MemberOfFarm } from '../components/farm/member-of-farm.js';
import { OpenCodes } from '../components/farm/open-codes.js';
import { WholeFarm } from '../components/farm/whole-farm.js';

/**
 * Fleet: every machine of the farm in one place (controller), "Add a machine" with the join
 * code and its QR code, and "Join a farm" on a machine that is not in one yet.
 */
export function FleetPage(): ReactNode {
  const [offset, setOffset] = useState(0);
  const [token, setToken] = useState<FarmToken | null>(null);
  // One page from the controller; it says when the fleet changed (heartbeats, joins, a machine
  // that stopped answering) and the page is asked for again: no polling.
  const status = useCall('farm.status', { offset, limit: FLEET_PAGE_SIZE });
  const demo = useCall('app.info', {}).data?.demo === true;
  const { refresh } = status;
  useEvent('farm.changed', refresh);
  const s = status.data;
  const total = s?.page?.total;
  useEffect(() => {
    // Machines left while a later page was open: show the last page there is.
    if (total !== undefined && offset > 0 && offset >= total) setOffset(lastPageOffset(total));
  }, [offset, total]);
  return (
    <div className="page" data-testid="fleet-page">
      <div className="page-header">
        <div className="stack">
          <h1>Fleet</h1>
          <span className="muted">Many machines, one provider: every GPU of the farm, and who answers.</span>
        </div>
      </div>
      {status.error ? <ErrorView error={status.error} /> : null}
      {!s && status.loading ? <div className="skeleton skeleton-block" /> : null}
      {s?.role === 'controller' ? (
        <>
          <FleetTotals totals={s.totals} notes={s.notes} />
          <WholeFarm bidding={s.bidding} machines={s.totals.machines} onChange={refresh} />
          <FleetPager items={s.machines} page={s.page ?? { offset: 0, limit: s.machines.length, total: s.machines.length }} onOffset={setOffset} render={(m) => <MachineCard key={m.machineId} m={m} onChange={refresh} />} />
          <AddMachine token={token} setToken={setToken} />
          {/* The demo has no second computer: its simulated one joins with the code through the same join path. */}
          {demo ? <JoinFarm onJoined={refresh} demo /> : null}
          <OpenCodes codes={s.codes} onRevoked={refresh} />
          <FarmAttributes attributes={s.attributes} />
        </>
      ) : null}
      {s?.role === 'member' ? <MemberOfFarm status={s} onLeft={refresh} /> : null}
      {s?.role === 'none' ? (
        <div className="grid-2">
          <AddMachine first token={token} setToken={setToken} />
          <JoinFarm onJoined={refresh} />
        </div>
      ) : null}
    </div>
  );
}
