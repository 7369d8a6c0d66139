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
    engineWithoutGpus: true,
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
      s.controller = { createdAt: new Date().toISOString(), pairings: [{ hash: keyHash(pairing), expiresAt: Math.floor(Date.now() / 1000) + 600 }], members: [], selfIntent: null };
    });
    server = await startFleetServer({ host: '127.0.0.1', port: 0, backend: ctl, logger: silentLogger });
    api = `http://127.0.0.1:${server.port}`;
  });
  afterAll(async () => {
    await server.close();
    await rm(dir, { recursive: true, force: true });
  });

  const reg = (id: string, hostname: string) => ({ machineId: id, hostname, nodeName: `rl-${hostname}`, k3sVersion: K3S_VERSION, rigleaseVersion: 't', gpus: [] });

  it('every route needs a credential; the pairing secret registers, then only the machine\'s own key works', async () => {
    for (const route of ['hello', 'register', 'heartbeat', 'leave', 'anything']) {
      const r = await fetch(`${api}${FLEET_PATH}/${route}`, { method: route === 'hello' ? 'GET' : 'POST' });
      expect(r.status, route).toBe(401);
    }
    expect((await fetch(`${api}/api/rpc`, { method: 'POST' })).status).toBe(404);
    const client = new FleetClient(api);
    await expect(client.register(newSecret(), reg('aaaaaaaa11111111', 'rig-b'))).rejects.toThrow(/does not accept this join code/);
    const b = await client.register(pairing, reg('aaaaaaaa11111111', 'rig-b'));
    const c = await client.register(pairing, reg('cccccccc22222222', 'rig-c'));
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
    const client = new FleetClient(api);
    const r = await client.register(pairing, reg('dddddddd33333333', 'rig-d'));
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
      await expect(new FleetClient(api).register(pairing, reg('eeeeeeee44444444', 'rig-e'))).rejects.toThrow(/expired or was never made here/);
    } finally {
      clock.offset = 0;
    }
  });

  it('a joining machine with its clock far off is refused before anything is created or registered', async () => {
    const memberClock = { offset: 2 * 3600_000 };
    const member = new FarmMember(deps(path.join(dir, 'm'), 'rig-f', memberClock));
    const code = encodeJoinCode({ k3sUrl: 'https://127.0.0.1:6443', k3sToken: 'K10aaaa::server:bbbb', api, pairingSecret: pairing, expiresAt: Math.floor(Date.now() / 1000) + 600, k3sVersion: K3S_VERSION, controller: 'rig-a' });
    const err = await member.join(code).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RigError);
    expect((err as RigError).message).toMatch(/120 minutes ahead of the controller's/);
    expect((err as RigError).fix).toMatch(/automatic time/);
    expect((await ctl.machines()).map((m) => m.hostname)).not.toContain('rig-f');
  });

  it('leave forgets the machine: its key stops working at once', async () => {
    const client = new FleetClient(api);
    const r = await client.register(pairing, reg('ffffffff55555555', 'rig-g'));
    await client.leave(r.machineKey, 'ffffffff55555555');
    await expect(client.heartbeat(r.machineKey, { machineId: 'ffffffff55555555', gpus: [], availability: null, agentContainer: 'running' })).rejects.toMatchObject({ code: 'unauthorized' });
  });
});
