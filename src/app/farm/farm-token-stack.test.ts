import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FarmToken } from '../../api/schemas/farm.js';
import type { HardwareReport } from '../../api/schemas/hardware.js';
import { Settings } from '../../api/schemas/settings.js';
import { parseNvidiaSmiXml } from '../../hardware/nvidia/parse-xml.js';
import { decodeJoinCode } from '../../provider/farm/join-code.js';
import type { LeaseEarning } from '../../provider/farm/lease-nodes.js';
import { makeTar } from '../../provider/stack/tar.js';
import type { SecretStore } from '../../store/secret-store.js';
import { silentLogger } from '../../util/logger.js';
import { testGpuDockerEngine } from '../../../test/docker/engine.js';
import { nvidiaFixture } from '../../../test/fake-nvidia-smi/index.js';
import { cleanup, freePortRun, stackEnv, type StackEnv } from '../../../test/stack/stack-env.js';
import { readFrom } from '../../../test/farm/container-wait.js';
import type { FarmDeps } from './farm-deps.js';
import { FarmService } from './farm-service.js';
import { FarmStateStore, openJoinCodes } from './farm-state.js';

const engine = await testGpuDockerEngine();
const NODE_TOKEN = 'K10d2f1c0ffee0123456789abcdef0123456789abcdef0123456789abcdef012345::server:5e0c2b9d8f7a6e5d4c3b2a1908f7e6d5';
const gpus = parseNvidiaSmiXml(readFileSync(nvidiaFixture('rtx3090_590.44.01_1gpu.xml'), 'utf8')).gpus;
const report = { scannedAt: '', durationMs: 1, verdict: 'ready', gpus, nvidia: { state: 'ok', message: 'ok' }, checks: [] } as unknown as HardwareReport;
const LEASES: LeaseEarning[] = [
  { key: 'akash1tenant/301/1/1', state: 'active', denom: 'uakt', accruedMicro: 10 },
  { key: 'akash1tenant/302/1/1', state: 'active', denom: 'uakt', accruedMicro: 20 },
];

function memorySecrets(): SecretStore {
  const m = new Map<string, string>();
  return { kind: 'memory', has: async (k) => m.has(k), get: async (k) => m.get(k) ?? null, set: async (k, v) => void m.set(k, v), delete: async (k) => void m.delete(k) };
}

describe.skipIf(!engine.ok)('farm token and a stack set up before the machine was a controller (real engine, k3s stand-in)', () => {
  const docker = engine.ok ? engine.docker : (null as unknown as Docker);
  let e: StackEnv;
  let dir: string;
  let farm: FarmService;
  let k3sPort = 0;
  let leases: () => Promise<LeaseEarning[]> = async () => LEASES;
  const k3s = () => docker.getContainer(`${e.prefix}-k3s`).inspect();

  beforeAll(async () => {
    e = await stackEnv(docker);
    const up = await e.tasks.wait(e.service.up().id);
    expect(up.state, up.error?.message).toBe('succeeded');
    await docker.getContainer(`${e.prefix}-k3s`).putArchive(makeTar([{ name: 'var/lib/rancher/k3s/server/node-token', body: Buffer.from(`${NODE_TOKEN}\n`), mode: 0o600 }]), { path: '/' });
    dir = await mkdtemp(path.join(os.tmpdir(), 'riglease-farm-token-'));
    k3sPort = await freePortRun(4);
    const store = new FarmStateStore(dir);
    const settings = Settings.parse({ farm: { machineName: 'ctl', advertiseAddress: '127.0.0.1', k3sPort, kubeletPort: k3sPort + 1, vxlanPort: k3sPort + 2, wireguardPort: k3sPort + 3 }, stack: { namePrefix: e.prefix } });
    const deps: FarmDeps = {
      store,
      secrets: memorySecrets(),
      settings: async () => settings,
      docker: () => docker,
      scan: async () => report,
      lastReport: () => report,
      liveGpus: async () => [],
      availability: async () => null,
      latestBench: async () => null,
      leases: () => leases(),
      // As the stack wiring does: while farm.json says controller, the plan publishes the farm's ports.
      stackUp: () => e.service.up(),
      walletExists: async () => true,
      hostname: () => 'ctl',
      version: '0.0.0-test',
      logger: silentLogger,
      now: () => Date.now(),
    };
    farm = new FarmService(deps, null);
    e.setFarm({ address: '127.0.0.1', apiPort: k3sPort, kubeletPort: k3sPort + 1, vxlanPort: k3sPort + 2, wireguardPort: k3sPort + 3 });
  }, 120_000);

  afterAll(async () => {
    if (e) await cleanup(docker, e.prefix);
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('with leases running the stack is left alone: the code is made, the leases that would restart are listed, --recreate --yes is asked for', async () => {
    const before = await k3s();
    const t = FarmToken.parse(await farm.token(30));
    expect(decodeJoinCode(t.code, Date.now()).k3sUrl).toBe(`https://127.0.0.1:${k3sPort}`);
    expect(t.stack).toMatchObject({ action: 'needs-confirmation', leases: ['akash1tenant/301/1/1', 'akash1tenant/302/1/1'], leasesKnown: true, task: null });
    expect(t.stack!.message).toMatch(new RegExp(`TCP ${k3sPort} \\(k3s API\\) is not published.*these 2 running lease\\(s\\) would restart: akash1tenant/301/1/1, akash1tenant/302/1/1.*--recreate --yes`));
    expect(t.notes).toContain(t.stack!.message);
    const after = await k3s();
    expect([after.Id, after.State.StartedAt]).toEqual([before.Id, before.State.StartedAt]);
    expect(after.HostConfig.PortBindings?.['6443/tcp']).toBeUndefined();
  });

  it('leases that cannot be read count as running: refused the same way, saying why', async () => {
    leases = async () => {
      throw new Error('the chain did not answer');
    };
    try {
      const t = FarmToken.parse(await farm.token(30));
      expect(t.stack).toMatchObject({ action: 'needs-confirmation', leases: [], leasesKnown: false, task: null });
      expect(t.stack!.message).toMatch(/could not be read \(the chain did not answer\), so any lease on this machine could restart/);
    } finally {
      leases = async () => LEASES;
    }
  });

  it('recreate: true re-creates the k3s container as a task with progress: farm ports published, k3s told the address, node-token kept; then it is ready', async () => {
    const before = await k3s();
    const t = FarmToken.parse(await farm.token(30, { recreate: true }));
    expect(t.stack).toMatchObject({ action: 'recreating', leasesKnown: true, task: { kind: 'stack.up' } });
    expect(t.stack!.message).toMatch(/k3s restarts, these 2 lease\(s\) restart: akash1tenant\/301\/1\/1, akash1tenant\/302\/1\/1/);
    const done = await e.tasks.wait(t.stack!.task!.id);
    expect(done.state, done.error?.message).toBe('succeeded');
    expect(done.of).toBeGreaterThan(1);
    expect(done.log.join('\n')).toMatch(/farm/i);
    const after = await k3s();
    expect(after.Id).not.toBe(before.Id);
    expect(after.HostConfig.PortBindings?.['6443/tcp']).toEqual([{ HostIp: '127.0.0.1', HostPort: String(k3sPort) }]);
    expect(after.HostConfig.PortBindings?.['8472/udp']).toEqual([{ HostIp: '127.0.0.1', HostPort: String(k3sPort + 2) }]);
    expect(after.Config.Cmd).toEqual(expect.arrayContaining(['--tls-san=127.0.0.1', '--node-external-ip=127.0.0.1']));
    const again = FarmToken.parse(await farm.token(30));
    expect(again.stack).toMatchObject({ action: 'ready', task: null });
    // Its own k3s bootstrap token, made in k3s with the code's lifetime, survives the re-creation (k3s's datastore).
    expect(decodeJoinCode(again.code, Date.now()).k3sToken).toMatch(new RegExp(`^K10[0-9a-f]{64}::${again.tokenId}\\.[a-z0-9]{16}$`));
    expect((await k3s()).Id).toBe(after.Id);
  }, 90_000);

  it('a code never carries k3s\'s server token: it carries a bootstrap token of its own, which revoke deletes in k3s', async () => {
    const t = FarmToken.parse(await farm.token(45));
    const token = decodeJoinCode(t.code, Date.now()).k3sToken;
    expect(token).not.toBe(NODE_TOKEN);
    expect(token).not.toContain('::server:');
    expect(t.tokenId).toMatch(/^[a-z0-9]{6}$/);
    const log = async () => ((await readFrom(docker, (await k3s()).Id, '/var/log/riglease-k3s-token.log')) ?? '').split('\n');
    expect(await log()).toContainEqual(expect.stringMatching(/^token create --ttl 45m --description RigLease join code made by ctl$/));
    // The Fleet screen lists it among the open codes, to revoke it there.
    const open = async () => openJoinCodes(await new FarmStateStore(dir).read(), Date.now() / 1000);
    expect(await open()).toContainEqual({ id: t.tokenId, expiresAt: t.expiresAt });
    const r = await farm.revokeToken(t.tokenId!);
    expect((await open()).map((c) => c.id)).not.toContain(t.tokenId);
    expect(r.message).toMatch(new RegExp(`Join code ${t.tokenId} is revoked`));
    expect(await log()).toContain(`token delete ${t.tokenId}`);
    const pairing = (await new FarmStateStore(dir).read()).controller!.pairings.find((p) => p.k3sTokenId === t.tokenId)!;
    expect(pairing.expiresAt).toBe(0);
    await expect(farm.revokeToken('x; rm')).rejects.toThrow(/not a join token id/);
  }, 60_000);
});
