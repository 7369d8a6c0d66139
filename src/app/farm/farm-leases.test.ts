import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RigError } from '../../api/errors.js';
import type { HardwareReport } from '../../api/schemas/hardware.js';
import { Settings } from '../../api/schemas/settings.js';
import { parseNvidiaSmiXml } from '../../hardware/nvidia/parse-xml.js';
import { leaseKey, type LeaseEarning } from '../../provider/farm/lease-nodes.js';
import { execIn } from '../../provider/stack/exec.js';
import { managedLabels, stackNames } from '../../provider/stack/names.js';
import type { SecretStore } from '../../store/secret-store.js';
import { silentLogger } from '../../util/logger.js';
import { testGpuDockerEngine } from '../../../test/docker/engine.js';
import { buildStandInImage } from '../../../test/docker/stand-in-image.js';
import { nvidiaFixture } from '../../../test/fake-nvidia-smi/index.js';
import { kubeList, OWNER } from '../../../test/farm/kube-list.js';
import { fleetGpuOf } from './farm-attributes.js';
import type { FarmDeps } from './farm-deps.js';
import { FarmService } from './farm-service.js';
import { FarmStateStore, type MemberRecord } from './farm-state.js';

const engine = await testGpuDockerEngine();
const IMAGE = 'riglease-test/farm-kubectl:1';
const PREFIX = `rlfl${process.pid % 100000}`;

const capture = (file: string) => parseNvidiaSmiXml(readFileSync(nvidiaFixture(file), 'utf8')).gpus;
const own = capture('rtx3090_590.44.01_1gpu.xml');
const report = { scannedAt: '', durationMs: 1, verdict: 'ready', gpus: own, nvidia: { state: 'ok', message: 'ok' }, checks: [] } as unknown as HardwareReport;

function memorySecrets(): SecretStore {
  const m = new Map<string, string>();
  return { kind: 'memory', has: async (k) => m.has(k), get: async (k) => m.get(k) ?? null, set: async (k, v) => void m.set(k, v), delete: async (k) => void m.delete(k) };
}

function member(hostname: string, file: string): MemberRecord {
  return {
    machineId: `id-${hostname}`,
    hostname,
    nodeName: `rl-${hostname}`,
    advertisedAddress: null,
    seenFrom: null,
    k3sVersion: 'v1.31.4+k3s1',
    rigleaseVersion: '0.0.0-test',
    joinedAt: new Date().toISOString(),
    lastSeen: new Date().toISOString(),
    keyHash: 'x'.repeat(64),
    previousKeyHash: null,
    previousKeyUntil: null,
    gpus: capture(file).map((g) => fleetGpuOf(g, undefined)),
    availability: 'online',
    availabilitySince: null,
    agentContainer: 'running',
    bench: null,
    intent: { manual: false, state: 'schedulable', reason: null, command: ['kubectl', 'uncordon', `rl-${hostname}`], applied: false, note: null },
  };
}

const key = (dseq: string) => leaseKey({ owner: OWNER, dseq, gseq: 1, oseq: 1 });
/** The chain's active leases of the farm's provider (accrued = escrow withdrawn + balance). */
const LEASES: LeaseEarning[] = [
  { key: key('101'), state: 'active', denom: 'uakt', accruedMicro: 600_000 },
  { key: key('102'), state: 'active', denom: 'uakt', accruedMicro: 300_000 },
  { key: key('103'), state: 'active', denom: 'uakt', accruedMicro: 100_000 },
  { key: key('104'), state: 'active', denom: 'uakt', accruedMicro: 50_000 },
];

const dirs: string[] = [];
async function farm(prefix: string, docker: Docker): Promise<FarmService> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'riglease-farm-leases-'));
  dirs.push(dir);
  const store = new FarmStateStore(dir);
  await store.update((st) => {
    st.role = 'controller';
    st.controller = { createdAt: new Date().toISOString(), pairings: [], members: [member('m-4090', 'rtx4090_535.86.05_1gpu.xml'), member('m-2080', 'rtx2080_590.44.01_2gpu.xml')], selfIntent: null };
  });
  const deps: FarmDeps = {
    store,
    secrets: memorySecrets(),
    settings: async () => Settings.parse({ farm: { machineName: 'ctl' }, stack: { namePrefix: prefix } }),
    docker: () => docker,
    scan: async () => report,
    lastReport: () => null,
    liveGpus: async () => own.map((g) => fleetGpuOf(g, undefined)),
    availability: async () => null,
    latestBench: async () => null,
    leases: async () => LEASES,
    hostname: () => 'ctl',
    version: '0.0.0-test',
    logger: silentLogger,
    now: () => Date.now(),
  };
  return new FarmService(deps, null);
}

describe.skipIf(!engine.ok)('leases per machine, earnings share and offline with confirmation (real engine, k3s stand-in answering kubectl)', () => {
  const docker = engine.ok ? engine.docker : (null as unknown as Docker);
  const k3s = stackNames(PREFIX).container;

  beforeAll(async () => {
    // kubectl in the stand-in: answers the lease query with the cluster's placement and records every other call.
    const answer = kubeList([
      { ns: 'lease-a', dseq: '101', node: 'rl-m-4090' },
      { ns: 'lease-b', dseq: '102', node: stackNames(PREFIX).hostname },
      { ns: 'lease-c', dseq: '103', node: 'rl-m-2080', podLabels: true },
    ]);
    await buildStandInImage(docker, IMAGE, {
      files: {
        '/answer.json': answer,
        '/tmp/.keep': '',
        '/bin/kubectl': '#!/bin/sh\nif [ "$1 $2" = "get namespaces,pods" ]; then cat /answer.json; exit 0; fi\necho "$@" >> /tmp/calls\n',
      },
    });
    await docker.getContainer(k3s).remove({ force: true }).catch(() => undefined);
    const c = await docker.createContainer({ name: k3s, Image: IMAGE, Labels: managedLabels(PREFIX, 'k3s'), Cmd: ['sleep', '600'], HostConfig: { NetworkMode: 'none' } });
    await c.start();
  }, 120_000);

  afterAll(async () => {
    await docker.getContainer(k3s).remove({ force: true }).catch(() => undefined);
    for (const d of dirs) await rm(d, { recursive: true, force: true });
  });

  it('farm.status: each machine with its leases and share of the earnings; a lease the cluster does not place is listed as unknown', async () => {
    const s = await (await farm(PREFIX, docker)).status();
    const by = (h: string) => s.machines.find((m) => m.hostname === h)?.leases;
    expect(s.leases?.query).toMatchObject({ applied: true });
    expect(by('m-4090')).toMatchObject({ known: true, leases: [expect.objectContaining({ key: key('101') })], accruedMicro: 600_000, sharePct: 57.1 });
    expect(by('ctl')).toMatchObject({ known: true, leases: [expect.objectContaining({ key: key('102') })], sharePct: 28.6 });
    expect(by('m-2080')).toMatchObject({ known: true, leases: [expect.objectContaining({ key: key('103') })], sharePct: 9.5 });
    expect(s.leases?.unplaced.map((l) => l.key)).toEqual([key('104')]);
    expect(s.notes.join(' ')).toMatch(/1 of 4 lease\(s\) run on an unknown machine/);
  });

  it('without an answer from the cluster no lease is guessed onto a machine: all are unknown', async () => {
    const s = await (await farm(`${PREFIX}x`, docker)).status();
    expect(s.machines.every((m) => m.leases?.known === false && m.leases.leases.length === 0 && m.leases.sharePct === null)).toBe(true);
    expect(s.leases?.unplaced).toHaveLength(4);
    expect(s.notes.join(' ')).toMatch(/could not be asked: the provider stack is not installed/);
  });

  it('offline is refused without confirmation, listing the leases that would end; confirmed it cordons and drains that node only', async () => {
    const f = await farm(PREFIX, docker);
    const refused = await f.offline('m-4090', false).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(RigError);
    expect((refused as RigError).message).toContain(key('101'));
    expect((refused as RigError).message).not.toContain(key('102'));
    expect((refused as RigError).fix).toMatch(/--yes/);
    await expect(f.offline('ctl', true)).rejects.toThrow(/controller/);
    // Removal drains too: its confirmation lists the same way.
    await expect(f.remove('m-2080', false)).rejects.toThrow(new RegExp(`This lease ends: ${key('103')}`));

    const unknownFarm = await farm(`${PREFIX}x`, docker);
    await expect(unknownFarm.offline('m-2080', false)).rejects.toThrow(/every lease running on that node could end; the provider has 4 active lease/);

    const done = await f.offline('m-4090', true);
    expect(done.commands.map((c) => [c.command.slice(0, 3).join(' '), c.applied])).toEqual([['kubectl cordon rl-m-4090', true], ['kubectl drain rl-m-4090', true]]);
    expect(done.message).toContain(key('101'));
    const calls = await execIn(docker.getContainer(k3s), ['cat', '/tmp/calls'], { timeoutMs: 10_000 });
    expect(calls.stdout.trim().split('\n')).toEqual(['cordon rl-m-4090', 'drain rl-m-4090 --ignore-daemonsets --delete-emptydir-data --grace-period=60 --timeout=180s']);
    const after = await f.status();
    expect(after.machines.find((m) => m.hostname === 'm-4090')?.node).toMatchObject({ intent: 'cordoned', reason: expect.stringMatching(/offline/) });
    // resume brings it back
    const back = await f.resume('m-4090');
    expect(back.commands[0]?.command).toEqual(['kubectl', 'uncordon', 'rl-m-4090']);
  }, 60_000);
});
