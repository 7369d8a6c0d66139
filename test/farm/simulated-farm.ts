import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { HardwareReport } from '../../src/api/schemas/hardware.js';
import { Settings } from '../../src/api/schemas/settings.js';
import { fleetGpuOf } from '../../src/app/farm/farm-attributes.js';
import type { FarmDeps } from '../../src/app/farm/farm-deps.js';
import { FarmService } from '../../src/app/farm/farm-service.js';
import { FarmStateStore, type MemberRecord } from '../../src/app/farm/farm-state.js';
import { parseNvidiaSmiXml } from '../../src/hardware/nvidia/parse-xml.js';
import { keyHash } from '../../src/provider/farm/fleet-protocol.js';
import { K3S_VERSION } from '../../src/provider/stack/images.js';
import type { SecretStore } from '../../src/store/secret-store.js';
import { silentLogger } from '../../src/util/logger.js';
import { nvidiaFixture } from '../fake-nvidia-smi/index.js';

/** Two real RTX 2080 (a captured nvidia-smi answer), with the figures a heartbeat carries. */
export const CAPTURED_GPUS = parseNvidiaSmiXml(readFileSync(nvidiaFixture('rtx2080_590.44.01_2gpu.xml'), 'utf8')).gpus;
const report = { scannedAt: '', durationMs: 1, verdict: 'ready', gpus: CAPTURED_GPUS, nvidia: { state: 'ok', message: 'ok' }, checks: [] } as unknown as HardwareReport;
export const BEATING_GPUS = CAPTURED_GPUS.map((g) => ({ ...fleetGpuOf(g, undefined), utilizationPct: 97, temperatureC: 71, powerDrawW: 331, memoryUsedMiB: 20_480 }));

export function memorySecrets(): SecretStore {
  const m = new Map<string, string>();
  return { kind: 'memory', has: async (k) => m.has(k), get: async (k) => m.get(k) ?? null, set: async (k, v) => void m.set(k, v), delete: async (k) => void m.delete(k) };
}

/**
 * A farm room's deps for a test without Docker or a scan: the store, the settings and the report
 * are the test's; everything else answers "nothing here". One builder, so a new dep is added once.
 */
export function farmTestDeps(d: { store: FarmStateStore; settings: FarmDeps['settings']; report: HardwareReport | null; lastReport?: HardwareReport | null; hostname: string; secrets?: SecretStore }): FarmDeps {
  return {
    store: d.store,
    secrets: d.secrets ?? memorySecrets(),
    settings: d.settings,
    docker: () => {
      throw new Error('no Docker in this test');
    },
    scan: async () => d.report as HardwareReport,
    lastReport: () => (d.lastReport === undefined ? d.report : d.lastReport),
    liveGpus: async () => [],
    availability: async () => null,
    latestBench: async () => null,
    hostname: () => d.hostname,
    version: '0.0.0-test',
    logger: silentLogger,
    now: () => Date.now(),
  };
}

/** Member `i` of a simulated farm: joined `i` seconds after the first, last seen `seenAgoMs` ago, with the key `key-<i>…`. */
export function simulatedMember(i: number, joined0: number, seenAgoMs = 0, now = Date.now()): MemberRecord {
  const id = (0xa0000000 + i).toString(16).padStart(16, '0');
  return {
    machineId: id,
    hostname: `rig-${i}`,
    nodeName: `rl-rig-${i}`,
    k3sVersion: K3S_VERSION,
    rigleaseVersion: 't',
    joinedAt: new Date(joined0 + i * 1000).toISOString(),
    lastSeen: new Date(now - seenAgoMs).toISOString(),
    keyHash: keyHash(`key-${i}-${'x'.repeat(40)}`),
    previousKeyHash: null,
    previousKeyUntil: null,
    gpus: BEATING_GPUS,
    availability: 'online',
    availabilitySince: null,
    agentContainer: 'running',
    bench: { gflops: 812.5, at: new Date(now).toISOString(), device: 'NVIDIA GeForce RTX 2080' },
    intent: { manual: false, state: 'schedulable', reason: null, command: ['kubectl', 'uncordon', `rl-rig-${i}`], applied: true, note: null },
    advertisedAddress: `192.0.2.${(i % 250) + 2}`,
    seenFrom: `192.0.2.${(i % 250) + 2}`,
  };
}

/**
 * A farm controller with `members` simulated machines in its farm.json (no Docker: the lease
 * query says k3s is not there). `order` shuffles the file's order, as rewrites may leave it.
 */
export async function simulatedController(dir: string, members: number, opts: { unreachableAfterSec?: number } = {}): Promise<{ deps: FarmDeps; service: FarmService; store: FarmStateStore }> {
  const store = new FarmStateStore(path.join(dir));
  const joined0 = Date.parse('2026-01-01T00:00:00Z');
  await store.update((s) => {
    s.role = 'controller';
    // Newest first in the file: the fleet's order is the joining order, whatever the file's.
    s.controller = { createdAt: new Date(joined0).toISOString(), pairings: [], members: Array.from({ length: members }, (_, i) => simulatedMember(members - 1 - i, joined0)), selfIntent: null };
  });
  const deps = farmTestDeps({
    store,
    settings: async () => Settings.parse({ farm: { machineName: 'rig-ctl', advertiseAddress: '192.0.2.1', ...(opts.unreachableAfterSec ? { unreachableAfterSec: opts.unreachableAfterSec } : {}) } }),
    report,
    lastReport: null,
    hostname: 'rig-ctl',
  });
  return { deps, store, service: new FarmService(deps, null) };
}
