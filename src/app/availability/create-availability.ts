import path from 'node:path';
import { RigError } from '../../api/errors.js';
import type { AvailabilityStatus, LeaseSummary } from '../../api/methods/availability.js';
import type { LeaseRow } from '../../api/schemas/chain.js';
import type { HardwareReport } from '../../api/schemas/hardware.js';
import type { Settings } from '../../api/schemas/settings.js';
import { isNoEngine } from '../../core/docker-connection.js';
import { runNvidiaScan } from '../../hardware/nvidia/run-nvidia-scan.js';
import type { NvidiaSmiRunner } from '../../hardware/nvidia/nvidia-smi-runner.js';
import type { Logger } from '../../util/logger.js';
import { AvailabilityService, type FarmMemberHooks } from './availability-service.js';
import type { IdleSource } from './idle-source.js';
import { linuxCgroupClassifier } from './process-classifier.js';

/** What the availability room needs from the rest of the agent, and nothing more. */
export interface AvailabilityRoomDeps {
  settings: () => Promise<Settings>;
  stateDir: string;
  historyDir: string;
  platform: NodeJS.Platform;
  env: NodeJS.ProcessEnv;
  nvidiaSmi?: NvidiaSmiRunner;
  /** The latest readiness scan, reused when younger than one check. */
  lastScan: () => HardwareReport | null;
  idle: IdleSource;
  /** Background checks scan GPU processes only while the provider holds our table. */
  providerPresent: () => boolean;
  /** The leases open on chain now (the chain room, loaded on first use). */
  openLeases: () => Promise<LeaseRow[]>;
  /** A farm controller's own pause cordons its node: what the bid table should say then. */
  farmOwnTable: (bidding: boolean, reason: string) => Promise<{ paused: boolean; reason: string }>;
  /** The bid table's paused flag (the pricing room). */
  setTableBidding: (paused: boolean, reason: string) => Promise<void>;
  onStatus: (status: AvailabilityStatus) => void;
  stack: { down(): Promise<unknown>; start(): Promise<unknown> };
  farm: FarmMemberHooks;
  farmMembers: () => Promise<number>;
  /** A desktop notice, through the notification policy (de-duplicated, rate-limited). */
  notify: (key: string, title: string, body: string) => void;
  logger: Logger;
}

async function activeLeases(open: () => Promise<LeaseRow[]>): Promise<LeaseSummary[]> {
  // Leases under AEP-82 notice (reclaiming) still run: stopping the stack would end them too.
  const leases = await open();
  return leases.map((l) => ({
    id: `${l.owner}/${l.dseq}/${l.gseq}/${l.oseq}`,
    description: `Tenant ${l.owner.slice(0, 12)}…, deployment ${l.dseq}, ${l.pricePerBlock} ${l.denom} per block${l.reclamation?.deadline ? `, notice given until ${new Date(l.reclamation.deadline * 1000).toISOString()}` : ''}`,
  }));
}

/** No stack installed, or no Docker engine answering: then nothing of the stack runs, so there is nothing to stop. */
function ignoreNotInstalled(err: unknown): void {
  if (err instanceof RigError && err.code === 'not_found') return;
  if (isNoEngine(err)) return;
  throw err;
}

export function createAvailability(deps: AvailabilityRoomDeps): AvailabilityService {
  const log = deps.logger;
  const isOurs = deps.platform === 'linux' ? linuxCgroupClassifier() : async () => false;
  return new AvailabilityService({
    stateFile: path.join(deps.stateDir, 'availability.json'),
    historyFile: path.join(deps.historyDir, 'availability.jsonl'),
    settings: async () => (await deps.settings()).availability,
    // nvidia-smi's own process list (hardware scan): at most one scan per check interval.
    gpuProcesses: async () => {
      const s = await deps.settings();
      const every = s.availability.checkIntervalSeconds * 1000;
      const last = deps.lastScan();
      // A readiness scan younger than one check is reused; otherwise only `nvidia-smi -q -x`
      // runs (no system or Docker probe): the cheapest call that lists GPU processes.
      const fresh = last && Date.now() - Date.parse(last.scannedAt) < every ? { status: last.nvidia, gpus: last.gpus } : null;
      const scan = fresh ?? (await runNvidiaScan({ env: deps.env, platform: deps.platform, configuredPath: s.hardware.nvidiaSmiPath, timeoutMs: s.hardware.scanTimeoutMs, ...(deps.nvidiaSmi ? { runner: deps.nvidiaSmi } : {}) }));
      if (scan.status.state !== 'ok') return null;
      return scan.gpus.flatMap((g) => g.processes.map((p) => ({ pid: p.pid, name: p.name })));
    },
    isOurs,
    watchInBackground: deps.providerPresent,
    idle: deps.idle,
    listActiveLeases: () => activeLeases(deps.openLeases),
    // On a farm controller with members, this machine's own pause cordons its node and the farm keeps bidding (src/app/farm/controller-availability.ts).
    onBiddingChange: async (bidding, reason) => {
      const t = await deps.farmOwnTable(bidding, reason).catch((err: unknown) => {
        log.warn('farm: own availability not applied to the node; the bid table follows it', { err: String(err) });
        return { paused: !bidding, reason };
      });
      await deps.setTableBidding(t.paused, t.reason);
    },
    onStatus: deps.onStatus,
    // No stack installed = nothing to stop or start; offline then only means "no bids".
    stopStack: async () => {
      await deps.stack.down().catch(ignoreNotInstalled);
    },
    startStack: async () => {
      await deps.stack.start().catch(ignoreNotInstalled);
    },
    // A farm member's availability is its node's: its controller cordons, drains or uncordons it.
    farm: deps.farm,
    farmMembers: deps.farmMembers,
    notify: (title, body) => {
      log.info('notification', { title, body });
      deps.notify(`availability:${title}:${Math.floor(Date.now() / 60_000)}`, title, body);
    },
    logger: log,
  });
}
