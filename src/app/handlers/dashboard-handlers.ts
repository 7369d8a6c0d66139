import type { Handler, Handlers } from '../../api/dispatch.js';
import type { HardwareService } from '../../hardware/index.js';
import type { ChainService } from '../../provider/chain/index.js';
import type { RelayService } from '../../provider/network/relay-service.js';
import type { SecretStore } from '../../store/secret-store.js';
import { certificateExpiry } from '../../provider/chain/cert-expiry.js';
import { readWalletRecord } from '../../provider/chain/wallet-state.js';
import { dashboardSummary, rigStatusNow, type DashboardSources } from '../dashboard/dashboard-service.js';

export interface DashboardHandlerDeps {
  demo: boolean;
  /** The agent's handler table, read at call time (it holds this one too). */
  handlers: () => Handlers;
  hardware: Pick<HardwareService, 'scan'>;
  stateDir: string;
  secrets: SecretStore;
  relay: Pick<RelayService, 'status'>;
  walletExists: () => Promise<boolean>;
  chain: () => Promise<ChainService>;
}

export function dashboardHandlers(deps: DashboardHandlerDeps): { 'dashboard.summary': Handler<'dashboard.summary'>; 'rig.status': Handler<'rig.status'> } {
  return {
    'dashboard.summary': async () => dashboardSummary(sources(deps)),
    // The same reads and the same derivation as the dashboard's status card: one state everywhere.
    'rig.status': async () => rigStatusNow(sources(deps)),
  };
}

function sources(deps: DashboardHandlerDeps): DashboardSources {
  return {
    demo: deps.demo,
    // Through the handlers, so demo mode's simulated stack and every domain's own error wording apply.
    handlers: deps.handlers(),
    hardware: (maxAgeMs) => deps.hardware.scan({ maxAgeMs }),
    certificate: async () => {
      const r = await readWalletRecord(deps.stateDir, deps.secrets);
      if (!r.certificatePem) return null;
      const exp = certificateExpiry(r.certificatePem);
      return { daysLeft: exp.daysLeft, notAfter: exp.notAfter.toISOString() };
    },
    relay: () => deps.relay.status(),
    // Through the handler, so demo mode answers for its simulated rig; the last outside check (the first call runs one).
    reachability: () => (deps.handlers()['network.reachability'] as Handler<'network.reachability'>)({ refresh: false }, { via: 'internal' }),
    activeLeases: async () => {
      // No wallet, no leases: do not ask the chain at all (a fresh install stays offline).
      if (!(await deps.walletExists())) return { leases: [], height: 0 };
      const chain = await deps.chain();
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
