import path from 'node:path';
import { RigError } from '../api/errors.js';
import type { LeaseSummary } from '../api/methods/availability.js';
import type { HardwareReport } from '../api/schemas/hardware.js';
import { runNvidiaScan } from '../hardware/nvidia/run-nvidia-scan.js';
import { BID_CONFIG_NAME } from '../provider/pricing/bid-script.js';
import { MarketClient, marketBaseUrl } from '../provider/pricing/market-client.js';
import type { LocalGpu } from '../provider/pricing/power-floor.js';
import { PROVIDER_CONFIG_NODE_DIR, readNodeFileState, writeNodeFile } from '../provider/stack/node-file.js';
import { marketCacheFile } from '../store/market-cache-file.js';
import type { Agent } from './agent.js';
import { demoBidSink } from './demo/demo-bid-sink.js';
import { AvailabilityService } from './availability/availability-service.js';
import { memberAvailabilityHooks } from './farm/member-availability.js';
import type { IdleSource } from './availability/idle-source.js';
import { linuxCgroupClassifier } from './availability/process-classifier.js';
import { PricingService, type BidConfigSink } from './pricing/pricing-service.js';

/** Hardware facts a minute old are fresh enough for prices; the floor needs the power limit, which does not move. */
const SCAN_MAX_AGE_MS = 10 * 60_000;

export function localGpus(report: HardwareReport | null): LocalGpu[] {
  return (report?.gpus ?? []).map((g) => ({ name: g.name, akash: g.akash, powerDrawW: g.powerDrawW, powerLimitW: g.powerLimitW, powerMaxLimitW: g.powerMaxLimitW }));
}

/** The table goes into the stack's k3s container, where the provider pod mounts it at /config. */
function nodeSink(agent: Agent): BidConfigSink {
  const get = () => agent.docker.client();
  const prefix = async () => (await agent.settings.all()).stack.namePrefix;
  // No socket, no engine: said without making a Docker client, so an agent on a machine without
  // Docker never loads the Docker libraries just to learn that. (An unusable DOCKER_HOST still
  // reaches the client, whose error says what is wrong with it.)
  const engineAbsent = async () => {
    const r = await agent.docker.resolve();
    return r.invalid === null && !r.present;
  };
  return {
    async write(config) {
      if (await engineAbsent()) return { delivered: false, message: 'Docker is not running, so neither is the provider. The table is kept and written when the stack starts.' };
      const r = await writeNodeFile(get(), await prefix(), PROVIDER_CONFIG_NODE_DIR, BID_CONFIG_NAME, config).catch((err: unknown) => {
        if (noEngine(err)) return { written: false as const, reason: 'Docker is not running, so neither is the provider.' };
        throw err;
      });
      return r.written
        ? { delivered: true, message: `Written to the provider's /config volume${r.atomic ? '' : ' (in place)'}; the next order is priced with it.` }
        : { delivered: false, message: `${r.reason} The table is kept and written when the stack starts.` };
    },
    async read() {
      if (await engineAbsent()) return 'no-stack';
      const r = await readNodeFileState(get(), await prefix(), `${PROVIDER_CONFIG_NODE_DIR}/${BID_CONFIG_NAME}`).catch((err: unknown) => {
        if (noEngine(err)) return { container: false as const };
        throw err;
      });
      return r.container ? r.body : 'no-stack';
    },
  };
}

/** The Docker socket is absent or refuses: no engine, hence no provider to deliver to. */
function noEngine(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return code === 'ENOENT' || code === 'ECONNREFUSED';
}

export function createPricingService(agent: Agent): PricingService {
  const { paths, logger } = agent.deps;
  const log = logger.child('pricing');
  const market = new MarketClient({
    baseUrl: async () => marketBaseUrl(agent.env, (await agent.settings.all()).pricing.marketUrl),
    cache: marketCacheFile(path.join(paths.stateDir, 'market.json'), (file, keptAs, reason) => log.warn('market cache could not be read; kept aside', { file, keptAs, reason })),
  });
  return new PricingService({
    settings: async () => (await agent.settings.all()).pricing,
    saveSettings: async (next) => {
      await agent.settings.update((draft) => {
        draft.pricing = next;
      });
    },
    market,
    localGpus: async () => {
      const own = localGpus(agent.hardware.last() ?? (await agent.hardware.scan({ maxAgeMs: SCAN_MAX_AGE_MS }).catch(() => null)));
      // A farm controller's provider bids for every GPU of the farm: price each model, floor each machine's power.
      return (await agent.farm.pricingGpus(own).catch(() => null)) ?? own;
    },
    initialBidding: async () => {
      const s = await agent.availability.status();
      // A farm controller with members: its own pause is its node's cordon; the farm's pause is the table's.
      return agent.farm.controllerAvailability.table(s.bidding, s.reason).catch(() => ({ paused: !s.bidding, reason: s.reason }));
    },
    bidDir: path.join(paths.stateDir, 'bid-script'),
    // Demo mode: the simulated stack's provider holds the table in memory (no Docker in the demo).
    sink: agent.deps.demo ? demoBidSink() : nodeSink(agent),
    onMarket: (view) => agent.hub.publish('market.updated', view),
    logger: log,
  });
}

async function activeLeases(agent: Agent): Promise<LeaseSummary[]> {
  // Leases under AEP-82 notice (reclaiming) still run: stopping the stack would end them too.
  const leases = await (await agent.chain()).leases.open();
  return leases.map((l) => ({
    id: `${l.owner}/${l.dseq}/${l.gseq}/${l.oseq}`,
    description: `Tenant ${l.owner.slice(0, 12)}…, deployment ${l.dseq}, ${l.pricePerBlock} ${l.denom} per block${l.reclamation?.deadline ? `, notice given until ${new Date(l.reclamation.deadline * 1000).toISOString()}` : ''}`,
  }));
}

/** No stack installed, or no Docker engine answering: then nothing of the stack runs, so there is nothing to stop. */
function ignoreNotInstalled(err: unknown): void {
  if (err instanceof RigError && err.code === 'not_found') return;
  if (noEngine(err)) return;
  throw err;
}

export function createAvailabilityService(agent: Agent, idle: IdleSource): AvailabilityService {
  const { paths, logger } = agent.deps;
  const log = logger.child('availability');
  const isOurs = agent.platform === 'linux' ? linuxCgroupClassifier() : async () => false;
  return new AvailabilityService({
    stateFile: path.join(paths.stateDir, 'availability.json'),
    historyFile: path.join(paths.historyDir, 'availability.jsonl'),
    settings: async () => (await agent.settings.all()).availability,
    // nvidia-smi's own process list (hardware scan): at most one scan per check interval.
    gpuProcesses: async () => {
      const s = await agent.settings.all();
      const every = s.availability.checkIntervalSeconds * 1000;
      const last = agent.hardware.last();
      // A readiness scan younger than one check is reused; otherwise only `nvidia-smi -q -x`
      // runs (no system or Docker probe): the cheapest call that lists GPU processes.
      const fresh = last && Date.now() - Date.parse(last.scannedAt) < every ? { status: last.nvidia, gpus: last.gpus } : null;
      const scan = fresh ?? (await runNvidiaScan({ env: agent.env, platform: agent.platform, configuredPath: s.hardware.nvidiaSmiPath, timeoutMs: s.hardware.scanTimeoutMs, ...(agent.deps.nvidiaSmi ? { runner: agent.deps.nvidiaSmi } : {}) }));
      if (scan.status.state !== 'ok') return null;
      return scan.gpus.flatMap((g) => g.processes.map((p) => ({ pid: p.pid, name: p.name })));
    },
    isOurs,
    // Background checks scan GPU processes only while the provider holds our table.
    watchInBackground: () => agent.pricing.providerPresent(),
    idle,
    listActiveLeases: () => activeLeases(agent),
    // On a farm controller with members, this machine's own pause cordons its node and the farm keeps bidding (src/app/farm/controller-availability.ts).
    onBiddingChange: async (bidding, reason) => {
      const t = await agent.farm.controllerAvailability.own(bidding, reason).catch((err: unknown) => {
        log.warn('farm: own availability not applied to the node; the bid table follows it', { err: String(err) });
        return { paused: !bidding, reason };
      });
      await agent.pricing.setBidding(t.paused, t.reason);
    },
    onStatus: (status) => agent.hub.publish('availability.changed', status),
    // No stack installed = nothing to stop or start; offline then only means "no bids".
    stopStack: async () => {
      await agent.stack.down().catch(ignoreNotInstalled);
    },
    startStack: async () => {
      await agent.stack.start().catch(ignoreNotInstalled);
    },
    // A farm member's availability is its node's: its controller cordons, drains or uncordons it.
    farm: memberAvailabilityHooks(() => agent.farm.memberAvailability),
    farmMembers: () => agent.farm.controllerAvailability.members(),
    notify: (title, body) => {
      log.info('notification', { title, body });
      // Through the notification policy (src/app/desktop): de-duplicated, rate-limited, settings respected.
      void agent.notifications.submit({ kind: 'message', category: 'availability', key: `availability:${title}:${Math.floor(Date.now() / 60_000)}`, title, body, source: 'availability' });
    },
    logger: log,
  });
}
