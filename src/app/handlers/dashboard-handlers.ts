import type { Handler } from '../../api/dispatch.js';
import type { Agent } from '../agent.js';
import { certificateExpiry } from '../../provider/chain/cert-expiry.js';
import { readWalletRecord } from '../../provider/chain/wallet-state.js';
import { dashboardSummary, rigStatusNow, type DashboardSources } from '../dashboard/dashboard-service.js';

export function dashboardHandlers(agent: Agent): { 'dashboard.summary': Handler<'dashboard.summary'>; 'rig.status': Handler<'rig.status'> } {
  return {
    'dashboard.summary': async () => dashboardSummary(sources(agent)),
    // The same reads and the same derivation as the dashboard's status card: one state everywhere.
    'rig.status': async () => rigStatusNow(sources(agent)),
  };
}

function sources(agent: Agent): DashboardSources {
  return {
    demo: agent.deps.demo ?? false,
    // Through the handlers, so demo mode's simulated stack and every domain's own error wording apply.
    handlers: agent.handlers,
    hardware: (maxAgeMs) => agent.hardware.scan({ maxAgeMs }),
    certificate: async () => {
      const r = await readWalletRecord(agent.deps.paths.stateDir, agent.deps.secrets);
      if (!r.certificatePem) return null;
      const exp = certificateExpiry(r.certificatePem);
      return { daysLeft: exp.daysLeft, notAfter: exp.notAfter.toISOString() };
    },
    relay: () => agent.relay.status(),
    // Through the handler, so demo mode answers for its simulated rig; the last outside check (the first call runs one).
    reachability: () => (agent.handlers['network.reachability'] as Handler<'network.reachability'>)({ refresh: false }, { via: 'internal' }),
    activeLeases: async () => {
      // No wallet, no leases: do not ask the chain at all (a fresh install stays offline).
      if (!(await agent.walletExists())) return { leases: [], height: 0 };
      const chain = await agent.chain();
      const [page, reclaiming, closed, clock] = await Promise.all([
        chain.leases.page({ state: 'active', limit: 1000, withResources: true }),
        // Leases under AEP-82 notice still run and earn; the dashboard shows their deadline.
        chain.leases.reclaimingPage(true),
        // Closed leases still count in the earnings history of the days they ran (first page only: a chart, not an audit).
        chain.leases.page({ state: 'closed', limit: 1000, withResources: true }),
        // Height and the measured average block time, cached: the same clock earnings.get counts with.
        chain.leases.averageBlockTime(),
      ]);
      return { leases: [...page.leases, ...reclaiming], closed: closed.leases, height: clock.height, secondsPerBlock: clock.secondsPerBlock };
    },
  };
}
