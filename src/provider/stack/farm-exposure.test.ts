import type Docker from 'dockerode';
import { afterAll, describe, expect, it } from 'vitest';
import { testDockerEngine } from '../../../test/docker/engine.js';
import { fixtureGpus } from '../../../test/stack/fixture-gpus.js';
import { cleanup, freePortRun, objectsOf, stackEnv } from '../../../test/stack/stack-env.js';
import { StackSettings } from '../../api/schemas/settings/stack.js';
import { StackPlan } from '../../api/schemas/stack.js';
import type { FarmExposure } from './container-spec.js';
import { plan, type PlanInput } from './plan.js';

const rtx4090 = fixtureGpus('rtx4090_535.86.05_1gpu.xml');
const FARM: FarmExposure = { address: '192.168.1.20', apiPort: 6443, kubeletPort: 10250, vxlanPort: 8472 };

function input(farm: FarmExposure | null): PlanInput {
  return {
    settings: StackSettings.parse({ domain: 'example.org', email: 'ops@example.org' }),
    hardware: { gpus: rtx4090 },
    secrets: { walletAddress: 'akash1qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqq', walletKeyPresent: true },
    pricing: { script: null, env: {} },
    farm,
  };
}
type Create = { Cmd: string[]; ExposedPorts: Record<string, object>; HostConfig: { PortBindings: Record<string, { HostPort: string }[]> } };
const create = (p: ReturnType<typeof plan>) => p.containers[0]!.create as unknown as Create;

describe('farm controller mode in the plan', () => {
  it('a single machine publishes none of the farm ports and advertises nothing', () => {
    const p = plan(input(null));
    const c = create(p);
    for (const key of ['6443/tcp', '8472/udp', '10250/tcp']) expect(c.HostConfig.PortBindings[key]).toBeUndefined();
    expect(c.Cmd.filter((a) => /tls-san|external-ip/.test(a))).toEqual([]);
  });

  it('a controller publishes 6443/tcp, 8472/udp and 10250/tcp and starts k3s with the advertised address', () => {
    const p = plan(input({ address: '192.168.1.20', apiPort: 16443, kubeletPort: 20250, vxlanPort: 18472 }));
    expect(StackPlan.parse(p)).toEqual(p);
    const c = create(p);
    // Published on the LAN address only, never on every interface (a VPN, a public address).
    expect(c.HostConfig.PortBindings['6443/tcp']).toEqual([{ HostIp: '192.168.1.20', HostPort: '16443' }]);
    expect(c.HostConfig.PortBindings['8472/udp']).toEqual([{ HostIp: '192.168.1.20', HostPort: '18472' }]);
    expect(c.HostConfig.PortBindings['10250/tcp']).toEqual([{ HostIp: '192.168.1.20', HostPort: '20250' }]);
    expect(c.HostConfig.PortBindings['51820/udp']).toEqual([{ HostIp: '192.168.1.20', HostPort: '51820' }]);
    expect(Object.keys(c.ExposedPorts)).toEqual(expect.arrayContaining(['6443/tcp', '8472/udp', '10250/tcp', '51820/udp']));
    expect(c.Cmd).toEqual(expect.arrayContaining(['--tls-san=192.168.1.20', '--node-external-ip=192.168.1.20', '--flannel-external-ip']));
    // The plan's port list (what `stack plan` shows and what pre-flight checks) says so too.
    expect(p.ports.filter((x) => x.purpose.startsWith('farm:')).map((x) => `${x.hostIp}:${x.host}->${x.container}/${x.protocol}`)).toEqual(['192.168.1.20:16443->6443/tcp', '192.168.1.20:51820->51820/udp', '192.168.1.20:18472->8472/udp', '192.168.1.20:20250->10250/tcp']);
    expect(p.notes.join('\n')).toContain('advertised as 192.168.1.20');
  });

  it('an IPv6 address is passed as it is (k3s takes it unbracketed)', () => {
    const c = create(plan(input({ ...FARM, address: 'fd00::20' })));
    expect(c.Cmd).toEqual(expect.arrayContaining(['--tls-san=fd00::20', '--node-external-ip=fd00::20']));
  });

  it('a single machine keeps flannel\'s default; a controller asks for WireGuard where the kernel has it, and says what is exposed where not', () => {
    const entry = (p: ReturnType<typeof plan>) => (p.containers[0]!.create as unknown as { Entrypoint: string[] }).Entrypoint[2]!;
    expect(entry(plan(input(null)))).not.toContain('wireguard');
    const script = entry(plan(input(FARM)));
    expect(script).toContain('[ -d /sys/module/wireguard ]');
    expect(script).toContain('set -- "$@" --flannel-backend=wireguard-native');
    expect(script).toMatch(/NOT encrypted: flannel VXLAN on UDP 8472 carries tenants' traffic that anyone on your network can read/);
    // Decided before k3s starts, with the args it gets.
    expect(script.indexOf('wireguard-native')).toBeLessThan(script.indexOf('exec /bin/k3s "$@"'));
  });

  it('without any address other machines can use: ports published, no address flags, and the plan says what to set', () => {
    const p = plan(input({ ...FARM, address: null }));
    expect(create(p).HostConfig.PortBindings['6443/tcp']).toEqual([{ HostIp: '', HostPort: '6443' }]);
    expect(create(p).Cmd.filter((a) => /tls-san|external-ip/.test(a))).toEqual([]);
    expect(p.notes.join('\n')).toContain('farm.advertiseAddress');
  });

  it('turning controller mode on changes only the container: same volumes, network, manifests', () => {
    const single = plan(input(null));
    const ctl = plan(input(FARM));
    expect(ctl.containers[0]!.specHash).not.toBe(single.containers[0]!.specHash);
    expect(ctl.manifests.map((m) => m.hash)).toEqual(single.manifests.map((m) => m.hash));
    expect(ctl.volumes).toEqual(single.volumes);
    expect(ctl.networks).toEqual(single.networks);
    // And a changed advertised address changes the container again (the certificate must name it).
    expect(plan(input({ ...FARM, address: '192.168.1.21' })).containers[0]!.specHash).not.toBe(ctl.containers[0]!.specHash);
  });
});

const engine = await testDockerEngine();
const d = engine.ok ? describe : describe.skip;

d('farm controller mode on the real engine', () => {
  let docker: Docker;
  const prefixes: string[] = [];
  afterAll(async () => {
    for (const p of prefixes) await cleanup(docker, p);
  });

  it('becoming a controller replaces only the container, with the farm ports published and k3s told the address; a second up changes nothing', async () => {
    if (!engine.ok) return;
    docker = engine.docker;
    const e = await stackEnv(docker);
    prefixes.push(e.prefix);
    const first = await e.tasks.wait(e.service.up().id);
    expect(first.state, first.error?.message).toBe('succeeded');
    const before = await docker.getContainer(`${e.prefix}-k3s`).inspect();
    const sorted = async () => Object.fromEntries(Object.entries(await objectsOf(docker, e.prefix)).map(([k, v]) => [k, [...v].sort()]));
    const objectsBefore = await sorted();

    const base = await freePortRun(4);
    e.setFarm({ address: '127.0.0.1', apiPort: base, kubeletPort: base + 1, vxlanPort: base + 2, wireguardPort: base + 3 });
    // Status sees it before anything changes.
    expect((await e.service.status()).upToDate).toBe(false);
    const r = await e.tasks.wait(e.service.up().id);
    expect(r.state, r.error?.message).toBe('succeeded');
    const result = r.result as { changed: boolean; containerId: string; manifests: { written: string[] } };
    expect(result.changed).toBe(true);
    expect(result.containerId).not.toBe(before.Id);
    expect(result.manifests.written).toEqual([]);
    expect(await sorted()).toEqual(objectsBefore);

    const after = await docker.getContainer(`${e.prefix}-k3s`).inspect();
    expect(after.State.Running).toBe(true);
    // The engine binds them to that address alone.
    expect(after.HostConfig.PortBindings?.['6443/tcp']).toEqual([{ HostIp: '127.0.0.1', HostPort: String(base) }]);
    expect(after.HostConfig.PortBindings?.['10250/tcp']).toEqual([{ HostIp: '127.0.0.1', HostPort: String(base + 1) }]);
    expect(after.HostConfig.PortBindings?.['8472/udp']).toEqual([{ HostIp: '127.0.0.1', HostPort: String(base + 2) }]);
    expect(after.HostConfig.PortBindings?.['51820/udp']).toEqual([{ HostIp: '127.0.0.1', HostPort: String(base + 3) }]);
    expect(after.NetworkSettings.Ports['6443/tcp']).toEqual([{ HostIp: '127.0.0.1', HostPort: String(base) }]);
    expect(after.Config.Cmd).toEqual(expect.arrayContaining(['--tls-san=127.0.0.1', '--node-external-ip=127.0.0.1', '--flannel-external-ip']));
    // Docker really serves the k3s API port on the host (docker-proxy or NAT accepts the connection).
    expect(after.NetworkSettings.Ports['6443/tcp']?.[0]?.HostPort).toBe(String(base));

    // The entry script ran on this engine's kernel: it chose WireGuard, or said plainly that the pod network is not encrypted.
    const entryLog = await docker.getContainer(`${e.prefix}-k3s`).logs({ stdout: true, stderr: true, follow: false }).then((b) => b.toString('utf8'));
    expect(entryLog).toMatch(/--flannel-backend=wireguard-native|is NOT encrypted/);

    const again = await e.tasks.wait(e.service.up().id);
    expect(again.result).toMatchObject({ changed: false, containerId: after.Id });
    expect((await e.service.status()).upToDate).toBe(true);
  }, 120_000);
});
