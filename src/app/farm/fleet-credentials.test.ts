import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HardwareReport } from '../../api/schemas/hardware.js';
import { Settings } from '../../api/schemas/settings.js';
import { FLEET_PATH, keyHash, newSecret } from '../../provider/farm/fleet-protocol.js';
import { K3S_VERSION } from '../../provider/stack/images.js';
import type { SecretStore } from '../../store/secret-store.js';
import { silentLogger } from '../../util/logger.js';
import { FarmController } from './farm-controller.js';
import type { FarmDeps } from './farm-deps.js';
import { FarmMember } from './farm-member.js';
import { FarmStateStore, SECRET_K3S_TOKEN, SECRET_MACHINE_KEY } from './farm-state.js';
import { FleetClient } from './fleet-client.js';
import { SourceRateLimiter } from './fleet-rate-limit.js';
import { startFleetServer, type RunningFleetServer } from './fleet-server.js';
import { TEST_FLEET_TLS, fleetFetch } from '../../../test/farm/fleet-https.js';

function memorySecrets(): SecretStore {
  const m = new Map<string, string>();
  return { kind: 'memory', has: async (k) => m.has(k), get: async (k) => m.get(k) ?? null, set: async (k, v) => void m.set(k, v), delete: async (k) => void m.delete(k) };
}

const report = { scannedAt: '', durationMs: 1, verdict: 'ready', gpus: [], nvidia: { state: 'ok', message: 'ok' }, checks: [] } as unknown as HardwareReport;

function deps(dir: string, name: string, docker: () => never): FarmDeps {
  return {
    store: new FarmStateStore(dir),
    secrets: memorySecrets(),
    settings: async () => Settings.parse({ farm: { machineName: name } }),
    docker,
    scan: async () => report,
    lastReport: () => report,
    liveGpus: async () => [],
    availability: async () => null,
    latestBench: async () => null,
    hostname: () => name,
    version: '0.0.0-test',
    logger: silentLogger,
    now: () => Date.now(),
  };
}

const reg = (id: string, hostname: string) => ({ machineId: id, hostname, nodeName: `rl-${hostname}`, k3sVersion: K3S_VERSION, rigleaseVersion: 't', gpus: [] });

describe('the fleet API\'s limits per source address (a real listener on 127.0.0.1)', () => {
  let dir: string;
  let server: RunningFleetServer;
  let ctlDeps: FarmDeps;
  let api: string;
  const pairing = newSecret();

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'riglease-fleet-limits-'));
    ctlDeps = deps(path.join(dir, 'ctl'), 'rig-a', () => {
      throw new Error('no Docker in this test');
    });
    await ctlDeps.store.update((s) => {
      s.role = 'controller';
      s.controller = { createdAt: new Date().toISOString(), pairings: [{ hash: keyHash(pairing), expiresAt: Math.floor(Date.now() / 1000) + 600, usedAt: null, usedBy: null, k3sTokenId: null }], members: [], selfIntent: null };
    });
    const limiter = new SourceRateLimiter({ burst: 50, perMinute: 50, failures: 5, failureWindowMs: 60_000, maxSources: 100 });
    server = await startFleetServer({ host: '127.0.0.1', port: 0, backend: new FarmController(ctlDeps), logger: silentLogger, limiter, tls: TEST_FLEET_TLS });
    api = `https://127.0.0.1:${server.port}`;
  });
  afterAll(async () => {
    await server.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('an address that keeps presenting wrong secrets is turned away (429, Retry-After), even with a right one then', async () => {
    const client = new FleetClient(api, TEST_FLEET_TLS.fingerprint);
    for (let i = 0; i < 5; i++) await expect(client.hello(newSecret())).rejects.toMatchObject({ code: 'unauthorized' });
    const r = await fleetFetch(`${api}${FLEET_PATH}/hello`, TEST_FLEET_TLS.fingerprint, { headers: { authorization: `RigLease-Fleet ${pairing}` } });
    expect(r.status).toBe(429);
    expect(Number(r.headers['retry-after'])).toBeGreaterThan(0);
    await expect(client.hello(pairing)).rejects.toThrow(/Too many requests/);
  });
});

describe('SourceRateLimiter', () => {
  it('refills over time, and remembers a bounded number of addresses (least recently seen forgotten first)', () => {
    let t = 0;
    const l = new SourceRateLimiter({ burst: 2, perMinute: 60, failures: 3, failureWindowMs: 60_000, maxSources: 3 }, () => t);
    expect([l.take('a'), l.take('a'), l.take('a')]).toEqual([0, 0, 1]);
    t += 1000;
    expect(l.take('a')).toBe(0);
    for (let i = 0; i < 1000; i++) l.take(`10.0.${Math.floor(i / 256)}.${i % 256}`);
    expect(l.size).toBe(3);
    for (let i = 0; i < 3; i++) l.failed('b');
    expect(l.take('b')).toBeGreaterThan(0);
    t += 61_000;
    expect(l.take('b')).toBe(0);
  });
});

describe('a member the controller refuses destroys nothing by itself', () => {
  let dir: string;
  let server: RunningFleetServer;
  let ctlDeps: FarmDeps;
  let api: string;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'riglease-fleet-refused-'));
    ctlDeps = deps(path.join(dir, 'ctl'), 'rig-a', () => {
      throw new Error('no Docker in this test');
    });
    await ctlDeps.store.update((s) => {
      s.role = 'controller';
      s.controller = { createdAt: new Date().toISOString(), pairings: [], members: [], selfIntent: null };
    });
    server = await startFleetServer({ host: '127.0.0.1', port: 0, backend: new FarmController(ctlDeps), logger: silentLogger, tls: TEST_FLEET_TLS });
    api = `https://127.0.0.1:${server.port}`;
  });
  afterAll(async () => {
    await server.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('a refused heartbeat is recorded and shown with what to run; the agent, key and token stay until `farm leave --yes`', async () => {
    let dockerAsked = 0;
    const md = deps(path.join(dir, 'member'), 'rig-b', () => {
      dockerAsked++;
      throw new Error('no Docker in this test');
    });
    const secret = newSecret();
    await ctlDeps.store.update((s) => void s.controller!.pairings.push({ hash: keyHash(secret), expiresAt: Math.floor(Date.now() / 1000) + 600, usedAt: null, usedBy: null, k3sTokenId: null }));
    const r = await new FleetClient(api, TEST_FLEET_TLS.fingerprint).register(secret, reg('bbbbbbbb12345678', 'rig-b'));
    await md.store.update((s) => {
      s.machineId = 'bbbbbbbb12345678';
      s.role = 'member';
      s.member = { api, controller: 'rig-a', k3sUrl: 'https://127.0.0.1:6443', nodeName: 'rl-rig-b', joinedAt: new Date().toISOString(), lastHeartbeat: null, lastError: null, intent: 'schedulable', intentReason: null, intentApplied: false, toldAvailability: null, refused: null, apiFingerprint: TEST_FLEET_TLS.fingerprint, advertisedAddress: null };
    });
    await md.secrets.set(SECRET_MACHINE_KEY, r.machineKey);
    await md.secrets.set(SECRET_K3S_TOKEN, 'K10aaaa::node:bbbb');
    const member = new FarmMember(md);
    expect(await member.heartbeat()).toBe('sent');
    // The controller forgets it (or something else answers on its address and says "unauthorized").
    await ctlDeps.store.update((s) => void (s.controller!.members = []));
    const asked = dockerAsked;
    expect(await member.heartbeat()).toBe('refused');
    const st = await md.store.read();
    expect(st.role).toBe('member');
    expect(st.member!.refused?.message).toMatch(/no longer knows this machine/);
    expect(await md.secrets.get(SECRET_MACHINE_KEY)).toBe(r.machineKey);
    expect(await md.secrets.get(SECRET_K3S_TOKEN)).toBe('K10aaaa::node:bbbb');
    // Only the usual agent check touched Docker: nothing was removed.
    expect(dockerAsked - asked).toBe(1);
    // Leaving is the person's decision, and the refusal says what goes.
    await expect(member.leave(false)).rejects.toThrow(/removes this machine's k3s agent/);
    expect((await md.store.read()).role).toBe('member');
    const left = await member.leave(true);
    expect(left.message).toMatch(/Left the farm of rig-a/);
    expect((await md.store.read()).role).toBe('none');
    expect(await md.secrets.get(SECRET_K3S_TOKEN)).toBeNull();
  });
});
