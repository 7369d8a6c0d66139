import type { EventPayload } from '../../api/events.js';
import type { AvailabilityStatus } from '../../api/methods/availability.js';
import type { BenchHistory } from '../../api/schemas/bench.js';
import type { FleetGpu } from '../../api/schemas/farm.js';
import type { HardwareReport } from '../../api/schemas/hardware.js';
import type { Settings } from '../../api/schemas/settings.js';
import type { StackPlan } from '../../api/schemas/stack.js';
import type { TaskRef } from '../../api/schemas/task.js';
import type Docker from 'dockerode';
import os from 'node:os';
import type { EventHub } from '../../core/event-hub.js';
import type { TaskRegistry } from '../../core/task-registry.js';
import type { ChainService } from '../../provider/chain/index.js';
import type { SecretStore } from '../../store/secret-store.js';
import type { Logger } from '../../util/logger.js';
import { accruedAtomics, atomicsToMicro, priceAtomicsOf } from '../../provider/chain/accrual.js';
import { leaseKey, type LeaseEarning } from '../../provider/farm/lease-nodes.js';
import { fleetGpuOf } from './farm-attributes.js';
import { FarmService } from './farm-service.js';
import { FarmStateStore } from './farm-state.js';
import { FleetChanges } from './fleet-changes.js';

/**
 * What the farm room needs from the rest of the agent, and nothing more. The rooms built after
 * the farm (availability, pricing) and the lazy ones (chain) are reached through functions.
 */
export interface FarmRoomDeps {
  /** Long-running hosts keep the nvidia-smi stream open for live figures; the one-shot CLI does not. */
  oneShot: boolean;
  hub: Pick<EventHub, 'subscribe' | 'publish' | 'registerOnDemand'>;
  tasks: TaskRegistry;
  stateDir: string;
  secrets: SecretStore;
  settings: { all(): Promise<Settings> };
  docker: () => Docker;
  hardware: { last(): HardwareReport | null; scan(opts: { maxAgeMs: number }): Promise<HardwareReport> };
  availability: () => { status(): Promise<AvailabilityStatus>; tick(): Promise<AvailabilityStatus> };
  benchHistory: (limit: number) => Promise<BenchHistory>;
  chain: () => Promise<ChainService>;
  stack: () => { up(): TaskRef; plan(): Promise<StackPlan> };
  walletExists: () => Promise<boolean>;
  setBidding: (paused: boolean, reason: string) => Promise<void>;
  version: string;
  logger: Logger;
  env: NodeJS.ProcessEnv;
}

/** Builds the farm service from its room deps. Docker and telemetry are touched only on use. */
export function createFarmService(deps: FarmRoomDeps): FarmService {
  let latest: EventPayload<'gpu.telemetry'> | null = null;
  let unsubscribe: (() => void) | null = null;
  let leaseCache: { at: number; value: Promise<LeaseEarning[]> } | null = null;
  const log = deps.logger;
  const liveGpus = async (): Promise<FleetGpu[]> => {
    // Long-running hosts keep the one nvidia-smi stream going while the farm needs live figures.
    if (!deps.oneShot && !unsubscribe) unsubscribe = deps.hub.subscribe('gpu.telemetry', (e) => (latest = e));
    const report = deps.hardware.last() ?? (await deps.hardware.scan({ maxAgeMs: 5 * 60_000 }));
    return report.gpus.map((g) => fleetGpuOf(g, latest?.samples.find((x) => (x.uuid && x.uuid === g.uuid) || x.index === g.index)));
  };
  const store = new FarmStateStore(deps.stateDir, (file, keptAs, reason) => log.warn('farm state could not be read; kept aside', { file, keptAs, reason }));
  const settings = () => deps.settings.all();
  deps.hub.registerOnDemand('farm.changed', new FleetChanges({ store, settings, now: () => Date.now() }, (c) => deps.hub.publish('farm.changed', c)));
  const service = new FarmService({
    store,
    secrets: deps.secrets,
    settings,
    docker: deps.docker,
    scan: (maxAgeMs) => deps.hardware.scan({ maxAgeMs }),
    lastReport: () => deps.hardware.last(),
    liveGpus,
    availability: async () => deps.availability().status(),
    checkAvailability: () => deps.availability().tick(),
    latestBench: async () => {
      const run = (await deps.benchHistory(20)).runs.find((r) => r.gpu);
      return run?.gpu ? { gflops: run.gpu.gflops, at: run.at, device: run.gpu.device } : null;
    },
    leases: () => {
      // Through the lazy chain: a fleet view that is open keeps asking, so one answer (or failure) serves 30 s.
      if (leaseCache && Date.now() - leaseCache.at < 30_000) return leaseCache.value;
      const value = (async () => {
        const svc = await deps.chain();
        const [{ leases }, { height }] = await Promise.all([svc.leases.all('active'), svc.leases.averageBlockTime()]);
        // Accrued over the lease's life, the same arithmetic as earnings.get (accrual.ts).
        return leases.map((l) => ({ key: leaseKey(l), state: l.state, denom: l.denom, accruedMicro: Number(atomicsToMicro(accruedAtomics([{ createdAt: l.createdAt, closedOn: l.closedOn, priceAtomics: priceAtomicsOf(l) }], 0, height, height))) }));
      })();
      value.catch(() => undefined);
      leaseCache = { at: Date.now(), value };
      return value;
    },
    stackUp: () => deps.stack().up(),
    stackPlan: () => deps.stack().plan(),
    walletExists: deps.walletExists,
    bidTable: (t) => deps.setBidding(t.paused, t.reason),
    hostname: () => os.hostname(),
    version: deps.version,
    logger: log,
    now: () => Date.now(),
  }, deps.tasks);
  const stop = service.stop.bind(service);
  service.stop = async () => {
    unsubscribe?.();
    unsubscribe = null;
    await stop();
  };
  return service;
}
