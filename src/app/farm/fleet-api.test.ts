import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RigError } from '../../api/errors.js';
import type { HardwareReport } from '../../api/schemas/hardware.js';
import { Settings } from '../../api/schemas/settings.js';
import { parseNvidiaSmiXml } from '../../hardware/nvidia/parse-xml.js';
import { encodeJoinCode } from '../../provider/farm/join-code.js';
import { FLEET_PATH, keyHash, newSecret } from '../../provider/farm/fleet-protocol.js';
import { K3S_VERSION } from '../../provider/stack/images.js';
import type { SecretStore } from '../../store/secret-store.js';
import { silentLogger } from '../../util/logger.js';
import { nvidiaFixture } from '../../../test/fake-nvidia-smi/index.js';
import { FarmController } from './farm-controller.js';
import type { FarmDeps } from './farm-deps.js';
import { FarmMember } from './farm-member.js';
import { FarmStateStore } from './farm-state.js';
import { FleetClient } from './fleet-client.js';
import { startFleetServer, type RunningFleetServer } from './fleet-server.js';
import { TEST_FLEET_TLS, fleetFetch } from '../../../test/farm/fleet-https.js';

function memorySecrets(): SecretStore {
  const m = new Map<string, string>();
  return { kind: 'memory', has: async (k) => m.has(k), get: async (k) => m.get(k) ?? null, set: async (k, v) => void m.set(k, v), delete: async (k) => void m.delete(k) };
}

const gpus = parseNvidiaSmiXml(readFileSync(nvidiaFixture('rtx4090_535.86.05_1gpu.xml'), 'utf8')).gpus;
const report = { scannedAt: '', durationMs: 1, verdict: 'ready', gpus, nvidia: { state: 'ok', message: 'ok' }, checks: [] } as unknown as HardwareReport;

function deps(dir: string, name: string, clock: { offset: number }): FarmDeps {
  return {
    store: new FarmStateStore(dir),
    secrets: memorySecrets(),
    settings: async () => Settings.parse({ farm: { machineName: name } }),
    docker: () => {
      throw new Error('no Docker in this test');
    },
    scan: async () => report,
    lastReport: () => report,
    liveGpus: async () => [],
    availability: async () => null,
    latestBench: async () => null,
    hostname: () => name,
    version: '0.0.0-test',
    logger: silentLogger,
    now: () => Date.now() + clock.offset,
  };
}

describe('the controller\'s fleet API (in process, a real HTTP listener)', () => {
  let dir: string;
  let server: RunningFleetServer;
  let ctl: FarmController;
  let ctlDeps: FarmDeps;
  let api: string;
  const clock = { offset: 0 };
  const pairing = newSecret();

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'riglease-fleet-api-'));
    ctlDeps = deps(path.join(dir, 'ctl'), 'rig-a', clock);
    ctl = new FarmController(ctlDeps);
    await ctlDeps.store.update((s) => {
      s.role = 'controller';
      s.controller = { createdAt: new Date().toISOString(), pairings: [{ hash: keyHash(pairing), expiresAt: Math.floor(Date.now() / 1000) + 600, usedAt: null, usedBy: null, k3sTokenId: null }], members: [], selfIntent: null };
    });
    server = await startFleetServer({ host: '127.0.0.1', port: 0, backend: ctl, logger: silentLogger, tls: TEST_FLEET_TLS });
    api = `https://127.0.0.1:${server.port}`;
  });
  afterAll(async () => {
    await server.close();
    await rm(dir, { recursive: true, force: true });
  });

  /** A fresh join code's pairing secret (each registers one machine, once). */
  const pair = async (): Promise<string> => {
    const secret = newSecret();
    await ctlDeps.store.update((s) => void s.controller!.pairings.push({ hash: keyHash(secret), expiresAt: Math.floor(Date.now() / 1000) + 600, usedAt: null, usedBy: null, k3sTokenId: null }));
    return secret;
  };
  const reg = (id: string, hostname: string) => ({ machineId: id, hostname, nodeName: `rl-${hostname}`, k3sVersion: K3S_VERSION, rigleaseVersion: 't', gpus: [] });

  it('every route needs a credential; the pairing secret registers, then only the machine\'s own key works', async () => {
    for (const route of ['hello', 'register', 'heartbeat', 'leave', 'anything']) {
      const r = await fleetFetch(`${api}${FLEET_PATH}/${route}`, TEST_FLEET_TLS.fingerprint, { method: route === 'hello' ? 'GET' : 'POST' });
      expect(r.status, route).toBe(401);
    }
    expect((await fleetFetch(`${api}/api/rpc`, TEST_FLEET_TLS.fingerprint, { method: 'POST' })).status).toBe(404);
    const client = new FleetClient(api, TEST_FLEET_TLS.fingerprint);
    await expect(client.register(newSecret(), reg('aaaaaaaa11111111', 'rig-b'))).rejects.toThrow(/does not accept this join code/);
    const b = await client.register(pairing, reg('aaaaaaaa11111111', 'rig-b'));
    // A code is spent once it registered a machine: the same code lets nobody else in.
    await expect(client.register(pairing, reg('cccccccc22222222', 'rig-c'))).rejects.toThrow(/already used/);
    expect((await ctlDeps.store.read()).controller!.pairings.find((x) => x.hash === keyHash(pairing))).toMatchObject({ usedBy: 'rig-b' });
    const c = await client.register(await pair(), reg('cccccccc22222222', 'rig-c'));
    expect((await client.heartbeat(b.machineKey, { machineId: 'aaaaaaaa11111111', gpus: [], availability: 'online', agentContainer: 'running' })).intent).toBe('schedulable');
    // The pairing secret is not a machine key, and one machine's key does not speak for another.
    await expect(client.heartbeat(pairing, { machineId: 'aaaaaaaa11111111', gpus: [], availability: null, agentContainer: 'running' })).rejects.toThrow(/no longer knows this machine/);
    await expect(client.heartbeat(c.machineKey, { machineId: 'aaaaaaaa11111111', gpus: [], availability: null, agentContainer: 'running' })).rejects.toThrow(/no longer knows this machine/);
    // The controller keeps hashes only.
    const st = await ctlDeps.store.read();
    expect(JSON.stringify(st)).not.toContain(b.machineKey);
    expect(JSON.stringify(st)).not.toContain(pairing);
  });

  it('a machine whose own availability is paused (gaming) gets its node cordoned; the intent is recorded', async () => {
    const client = new FleetClient(api, TEST_FLEET_TLS.fingerprint);
    const r = await client.register(await pair(), reg('dddddddd33333333', 'rig-d'));
    const hb = await client.heartbeat(r.machineKey, { machineId: 'dddddddd33333333', gpus: [], availability: 'gaming', agentContainer: 'running' });
    expect(hb.intent).toBe('cordoned');
    const row = (await ctl.machines()).find((m) => m.hostname === 'rig-d')!;
    expect(row.node).toMatchObject({ intent: 'cordoned', reason: 'the machine itself is gaming', command: ['kubectl', 'cordon', 'rl-rig-d'], applied: false });
    expect(row.node.note).toMatch(/k3s could not be reached/);
    expect((await client.heartbeat(r.machineKey, { machineId: 'dddddddd33333333', gpus: [], availability: 'online', agentContainer: 'running' })).intent).toBe('schedulable');
  });

  it('refuses a code the controller let expire, whatever the code itself says', async () => {
    clock.offset = 601_000;
    try {
      const fresh = await pair();
      await expect(new FleetClient(api, TEST_FLEET_TLS.fingerprint).register(fresh, reg('eeeeeeee44444444', 'rig-e'))).rejects.toThrow(/already used, expired, or was never made here/);
    } finally {
      clock.offset = 0;
    }
  });

  it('a joining machine with its clock far off is refused before anything is created or registered', async () => {
    const memberClock = { offset: 2 * 3600_000 };
    const member = new FarmMember(deps(path.join(dir, 'm'), 'rig-f', memberClock));
    const code = encodeJoinCode({ k3sUrl: 'https://127.0.0.1:6443', k3sToken: 'K10aaaa::server:bbbb', api, apiFingerprint: TEST_FLEET_TLS.fingerprint, pairingSecret: await pair(), expiresAt: Math.floor(Date.now() / 1000) + 600, k3sVersion: K3S_VERSION, controller: 'rig-a' });
    const err = await member.join(code).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RigError);
    expect((err as RigError).message).toMatch(/120 minutes ahead of the controller's/);
    expect((err as RigError).fix).toMatch(/automatic time/);
    expect((await ctl.machines()).map((m) => m.hostname)).not.toContain('rig-f');
  });

  it('leave forgets the machine: its key stops working at once', async () => {
    const client = new FleetClient(api, TEST_FLEET_TLS.fingerprint);
    const r = await client.register(await pair(), reg('ffffffff55555555', 'rig-g'));
    await client.leave(r.machineKey, 'ffffffff55555555');
    await expect(client.heartbeat(r.machineKey, { machineId: 'ffffffff55555555', gpus: [], availability: null, agentContainer: 'running' })).rejects.toMatchObject({ code: 'unauthorized' });
  });
});

describe('a member\'s own availability switch on the fleet API (in process, a real HTTP listener)', () => {
  let dir: string;
  let server: RunningFleetServer;
  let ctl: FarmController;
  let ctlDeps: FarmDeps;
  let api: string;
  const pairing = newSecret();
  const clock = { offset: 0 };

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'riglease-fleet-avail-'));
    ctlDeps = deps(path.join(dir, 'ctl'), 'rig-a', clock);
    ctl = new FarmController(ctlDeps);
    await ctlDeps.store.update((s) => {
      s.role = 'controller';
      s.controller = { createdAt: new Date().toISOString(), pairings: [{ hash: keyHash(pairing), expiresAt: Math.floor(Date.now() / 1000) + 600, usedAt: null, usedBy: null, k3sTokenId: null }], members: [], selfIntent: null };
    });
    server = await startFleetServer({ host: '127.0.0.1', port: 0, backend: ctl, logger: silentLogger, tls: TEST_FLEET_TLS });
    api = `https://127.0.0.1:${server.port}`;
  });
  afterAll(async () => {
    await server.close();
    await rm(dir, { recursive: true, force: true });
  });

  /** A fresh join code's pairing secret (each registers one machine, once). */
  const pair = async (): Promise<string> => {
    const secret = newSecret();
    await ctlDeps.store.update((s) => void s.controller!.pairings.push({ hash: keyHash(secret), expiresAt: Math.floor(Date.now() / 1000) + 600, usedAt: null, usedBy: null, k3sTokenId: null }));
    return secret;
  };
  const reg = (id: string, hostname: string) => ({ machineId: id, hostname, nodeName: `rl-${hostname}`, k3sVersion: K3S_VERSION, rigleaseVersion: 't', gpus: [] });
  const rowOf = async (h: string) => (await ctl.machines()).find((m) => m.hostname === h)!;

  it('pause cordons, online uncordons, at once; a fleet-view pause is not undone by the machine going online', async () => {
    const client = new FleetClient(api, TEST_FLEET_TLS.fingerprint);
    const { machineKey } = await client.register(await pair(), reg('abababab12121212', 'rig-h'));
    const paused = await client.availability(machineKey, { machineId: 'abababab12121212', availability: 'paused', offline: null });
    expect(paused.controller).toBe('rig-a');
    expect(paused.node).toMatchObject({ name: 'rl-rig-h', intent: 'cordoned', reason: 'the machine itself is paused', applied: false });
    expect(await rowOf('rig-h')).toMatchObject({ availability: 'paused', node: { intent: 'cordoned', command: ['kubectl', 'cordon', 'rl-rig-h'] } });
    // Gaming while paused: still cordoned, the reason follows.
    expect((await client.availability(machineKey, { machineId: 'abababab12121212', availability: 'gaming', offline: null })).node).toMatchObject({ intent: 'cordoned', reason: 'the machine itself is gaming' });
    const online = await client.availability(machineKey, { machineId: 'abababab12121212', availability: 'online', offline: null });
    expect(online.node).toMatchObject({ intent: 'schedulable', reason: null });
    expect((await rowOf('rig-h')).node.command).toEqual(['kubectl', 'uncordon', 'rl-rig-h']);
    // Paused from the fleet view: the machine's own "online" does not lift it; only resume there does.
    await ctl.setManual('rig-h', true);
    expect((await client.availability(machineKey, { machineId: 'abababab12121212', availability: 'online', offline: null })).node).toMatchObject({ intent: 'cordoned', reason: 'paused from the fleet view' });
    await ctl.setManual('rig-h', false);
    expect((await rowOf('rig-h')).node.intent).toBe('schedulable');
  });

  it('offline: asking changes nothing and says where leases run is unknown; confirmed, cordon and drain are recorded', async () => {
    const client = new FleetClient(api, TEST_FLEET_TLS.fingerprint);
    const { machineKey } = await client.register(await pair(), reg('cdcdcdcd34343434', 'rig-i'));
    const ask = await client.availability(machineKey, { machineId: 'cdcdcdcd34343434', availability: null, offline: 'ask' });
    expect(ask.confirmation).toMatchObject({ known: false, leases: [] });
    expect(ask.confirmation!.message).toMatch(/Taking rig-i offline drains its node rl-rig-i.*every lease running on that node could end/);
    expect(ask.commands).toEqual([]);
    expect((await rowOf('rig-i')).node.intent).toBe('schedulable');
    const done = await client.availability(machineKey, { machineId: 'cdcdcdcd34343434', availability: 'offline', offline: 'confirm' });
    expect(done.commands.map((c) => c.command.slice(0, 2).join(' '))).toEqual(['kubectl cordon', 'kubectl drain']);
    expect(done.node).toMatchObject({ intent: 'cordoned', reason: 'the machine itself went offline (drained)' });
    // Its next heartbeat, still offline, leaves the drained node as it is.
    await client.heartbeat(machineKey, { machineId: 'cdcdcdcd34343434', gpus: [], availability: 'offline', agentContainer: 'running' });
    expect((await rowOf('rig-i')).node).toMatchObject({ intent: 'cordoned', reason: 'the machine itself went offline (drained)' });
  });

  it('a heartbeat that set out before the machine\'s latest switch does not undo it', async () => {
    const client = new FleetClient(api, TEST_FLEET_TLS.fingerprint);
    const { machineKey } = await client.register(await pair(), reg('a1a1a1a1b2b2b2b2', 'rig-l'));
    const t = (s: number) => new Date(Date.UTC(2026, 10, 30, 12, 0, s)).toISOString();
    await client.availability(machineKey, { machineId: 'a1a1a1a1b2b2b2b2', availability: 'paused', availabilitySince: t(10), offline: null });
    const late = await client.heartbeat(machineKey, { machineId: 'a1a1a1a1b2b2b2b2', gpus: [], availability: 'online', availabilitySince: t(5), agentContainer: 'running' });
    expect(late).toMatchObject({ intent: 'cordoned', availability: 'paused' });
    expect(await rowOf('rig-l')).toMatchObject({ availability: 'paused', node: { intent: 'cordoned' } });
    const newer = await client.heartbeat(machineKey, { machineId: 'a1a1a1a1b2b2b2b2', gpus: [], availability: 'online', availabilitySince: t(20), agentContainer: 'running' });
    expect(newer).toMatchObject({ intent: 'schedulable', availability: 'online' });
  });

  it('joining again gives a new key; a heartbeat already on its way with the old one is not "removed", until its grace is over', async () => {
    const client = new FleetClient(api, TEST_FLEET_TLS.fingerprint);
    const beat = (key: string) => client.heartbeat(key, { machineId: 'abcdabcd90909090', gpus: [], availability: 'online', agentContainer: 'running' });
    const first = await client.register(await pair(), reg('abcdabcd90909090', 'rig-m'));
    // A code alone does not take over a machine the farm knows: its current key must come with it.
    const thief = await pair();
    await expect(client.register(thief, reg('abcdabcd90909090', 'rig-m'))).rejects.toThrow(/cannot take its place/);
    await expect(beat(first.machineKey)).resolves.toMatchObject({ intent: 'schedulable' });
    const second = await client.register(thief, { ...reg('abcdabcd90909090', 'rig-m'), currentKey: first.machineKey });
    expect(second.rejoined).toBe(true);
    expect(second.machineKey).not.toBe(first.machineKey);
    await expect(beat(first.machineKey)).resolves.toMatchObject({ intent: 'schedulable' });
    await expect(beat(second.machineKey)).resolves.toMatchObject({ intent: 'schedulable' });
    clock.offset = 6 * 60_000;
    try {
      await expect(beat(first.machineKey)).rejects.toMatchObject({ code: 'unauthorized' });
      await expect(beat(second.machineKey)).resolves.toMatchObject({ intent: 'schedulable' });
    } finally {
      clock.offset = 0;
    }
  });

  it('a machine\'s key speaks only for itself on this route too', async () => {
    const client = new FleetClient(api, TEST_FLEET_TLS.fingerprint);
    const a1 = await client.register(await pair(), reg('efefefef56565656', 'rig-j'));
    await client.register(await pair(), reg('efefefef78787878', 'rig-k'));
    const r = await fleetFetch(`${api}${FLEET_PATH}/availability`, TEST_FLEET_TLS.fingerprint, {
      method: 'POST',
      headers: { authorization: `RigLease-Fleet ${a1.machineKey}`, 'x-riglease-machine': 'efefefef56565656', 'content-type': 'application/json' },
      body: JSON.stringify({ machineId: 'efefefef78787878', availability: 'paused', offline: null }),
    });
    expect(r.status).toBe(403);
    expect((await rowOf('rig-k')).node.intent).toBe('schedulable');
    const anon = await fleetFetch(`${api}${FLEET_PATH}/availability`, TEST_FLEET_TLS.fingerprint, { method: 'POST', body: '{}' });
    expect(anon.status).toBe(401);
  });
});
