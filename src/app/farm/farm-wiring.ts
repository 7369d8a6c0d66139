import type { EventPayload } from '../../api/events.js';
import type { FleetGpu } from '../../api/schemas/farm.js';
import os from 'node:os';
import type { Agent } from '../agent.js';
import { accruedAtomics, atomicsToMicro, priceAtomicsOf } from '../../provider/chain/accrual.js';
import { leaseKey, type LeaseEarning } from '../../provider/farm/lease-nodes.js';
import { fleetGpuOf } from './farm-attributes.js';
import { FarmService } from './farm-service.js';
import { FarmStateStore } from './farm-state.js';
import { FleetChanges } from './fleet-changes.js';

/** Builds the farm service from the Agent's parts. Docker and telemetry are touched only on use. */
export function createFarmService(agent: Agent): FarmService {
  let latest: EventPayload<'gpu.telemetry'> | null = null;
  let unsubscribe: (() => void) | null = null;
  let leaseCache: { at: number; value: Promise<LeaseEarning[]> } | null = null;
  const log = agent.deps.logger.child('farm');
  const liveGpus = async (): Promise<FleetGpu[]> => {
    // Long-running hosts keep the one nvidia-smi stream going while the farm needs live figures.
    if (agent.deps.host !== 'cli' && !unsubscribe) unsubscribe = agent.hub.subscribe('gpu.telemetry', (e) => (latest = e));
    const report = agent.hardware.last() ?? (await agent.hardware.scan({ maxAgeMs: 5 * 60_000 }));
    return report.gpus.map((g) => fleetGpuOf(g, latest?.samples.find((x) => (x.uuid && x.uuid === g.uuid) || x.index === g.index)));
  };
  const store = new FarmStateStore(agent.deps.paths.stateDir, (file, keptAs, reason) => log.warn('farm state could not be read; kept aside', { file, keptAs, reason }));
  const settings = () => agent.settings.all();
  agent.hub.registerOnDemand('farm.changed', new FleetChanges({ store, settings, now: () => Date.now() }, (c) => agent.hub.publish('farm.changed', c)));
  const service = new FarmService({
    store,
    secrets: agent.deps.secrets,
    settings,
    docker: () => agent.docker.client(),
    scan: (maxAgeMs) => agent.hardware.scan({ maxAgeMs }),
    lastReport: () => agent.hardware.last(),
    liveGpus,
    availability: async () => agent.availability.status(),
    checkAvailability: () => agent.availability.tick(),
    latestBench: async () => {
      const run = (await agent.bench.historyView(20)).runs.find((r) => r.gpu);
      return run?.gpu ? { gflops: run.gpu.gflops, at: run.at, device: run.gpu.device } : null;
    },
    leases: () => {
      // Through the lazy chain: a fleet view that is open keeps asking, so one answer (or failure) serves 30 s.
      if (leaseCache && Date.now() - leaseCache.at < 30_000) return leaseCache.value;
      const value = (async () => {
        const svc = await agent.chain();
        const [{ leases }, { height }] = await Promise.all([svc.leases.all('active'), svc.leases.averageBlockTime()]);
        // Accrued over the lease's life, the same arithmetic as earnings.get (accrual.ts).
        return leases.map((l) => ({ key: leaseKey(l), state: l.state, denom: l.denom, accruedMicro: Number(atomicsToMicro(accruedAtomics([{ createdAt: l.createdAt, closedOn: l.closedOn, priceAtomics: priceAtomicsOf(l) }], 0, height, height))) }));
      })();
      value.catch(() => undefined);
      leaseCache = { at: Date.now(), value };
      return value;
    },
    stackUp: () => agent.stack.up(),
    stackPlan: () => agent.stack.plan(),
    walletExists: () => agent.walletExists(),
    bidTable: (t) => agent.pricing.setBidding(t.paused, t.reason),
    hostname: () => os.hostname(),
    version: agent.deps.version,
    logger: log,
    now: () => Date.now(),
    engineWithoutGpus: agent.env['RIGLEASE_TEST_ENGINE_WITHOUT_GPUS'] === '1',
  }, agent.tasks);
  const stop = service.stop.bind(service);
  service.stop = async () => {
    unsubscribe?.();
    unsubscribe = null;
    await stop();
  };
  return service;
}
