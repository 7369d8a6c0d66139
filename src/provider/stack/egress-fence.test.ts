import type Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDockerEngine } from '../../../test/docker/engine.js';
import { iptablesCalls, startWithFakeGetent } from '../../../test/stack/fence-container.js';
import { cleanup, stackEnv, stackStandIn } from '../../../test/stack/stack-env.js';
import { StackSettings } from '../../api/schemas/settings/stack.js';
import { EGRESS_CHAIN, POD_INTERFACES, egressRules, entryScript } from './egress.js';
import { execIn } from './exec.js';
import { hostFenceLines } from './host-fence.js';
import { k3sContainerSpec } from './container-spec.js';

const engine = await testDockerEngine();
const d = engine.ok ? describe : describe.skip;
if (!engine.ok) console.warn(`egress fence tests skipped: ${engine.reason}`);

describe('what the fence shows is what it installs', () => {
  it('shows no IPv6 rule (none is installed: the container has no IPv6 at all)', () => {
    expect(egressRules([]).filter((r) => r.cidr.includes(':'))).toEqual([]);
  });

  it('fences the provider\'s own public address (router hairpin) once a domain is set', () => {
    const spec = (domain: string) => k3sContainerSpec({ settings: StackSettings.parse({ domain }), image: 'k3s', args: ['server'], ports: [], egress: egressRules([]), gpuDeviceIds: null, allGpus: false }).spec.Entrypoint as string[];
    expect(spec('example.org')[2]).toContain("getent ahostsv4 'provider.example.org'");
    expect(spec('')[2]).not.toContain('getent');
  });

  it('catches pod traffic by the interface it comes in on, not only by its claimed source address', () => {
    const script = entryScript(egressRules([]), ['1.1.1.1']);
    for (const i of ['cni0', 'flannel.1', 'flannel-wg']) expect(script).toContain(`-I PREROUTING 1 -i ${i} -j RIGLEASE-EGRESS`);
  });
});

let docker: Docker;
const prefixes: string[] = [];
const networks: string[] = [];

d('the fence on the real engine', () => {
  beforeAll(async () => {
    if (!engine.ok) return;
    docker = engine.docker;
    await stackStandIn(docker);
  });
  afterAll(async () => {
    for (const p of prefixes) await cleanup(docker, p);
    for (const n of networks) await docker.getNetwork(n).remove().catch(() => undefined);
  });

  it('the k3s container gets no IPv6 from Docker (network without IPv6, IPv6 disabled inside), and the hooks are installed per pod interface', async () => {
    const e = await stackEnv(docker);
    prefixes.push(e.prefix);
    expect((await e.tasks.wait(e.service.up().id)).state).toBe('succeeded');
    expect((await docker.getNetwork(`${e.prefix}-net`).inspect()).EnableIPv6).toBe(false);
    const c = docker.getContainer(`${e.prefix}-k3s`);
    const inside = await execIn(c, ['/bin/sh', '-c', 'cat /proc/net/if_inet6; echo "disable_ipv6=$(cat /proc/sys/net/ipv6/conf/eth0/disable_ipv6)"'], { timeoutMs: 10_000 });
    expect(inside.stdout).toContain('disable_ipv6=1');
    expect(inside.stdout).not.toMatch(/ 00 [0-9a-f]{2}\s+eth0/);
    const calls = await iptablesCalls(c);
    for (const i of POD_INTERFACES) expect(calls, calls.join('\n')).toContain(`-t mangle -I PREROUTING 1 -i ${i} -j RIGLEASE-EGRESS`);
  }, 120_000);

  it('drops pod traffic to this computer\'s public address except the provider\'s ports (a fake getent answers for provider.example.org)', async () => {
    const image = await stackStandIn(docker);
    const script = entryScript(egressRules([]), ['1.1.1.1'], hostFenceLines({ name: 'provider.example.org', nodePorts: '30000:30001' }, EGRESS_CHAIN));
    const c = await docker.createContainer({ Image: image, Entrypoint: ['/bin/sh', '-c', script, 'riglease-entry'], Cmd: ['server'], HostConfig: { Privileged: true } });
    try {
      const log = await startWithFakeGetent(c);
      expect(log).toContain("pods cannot reach this computer's public address (203.0.113.7)");
      const calls = await iptablesCalls(c);
      const host = calls.filter((l) => l.includes('RIGLEASE-HOST'));
      expect(host).toEqual(
        expect.arrayContaining([
          '-t mangle -A RIGLEASE-HOST -d 203.0.113.7/32 -p tcp -m multiport --dports 80,443,8443,8444,30000:30001 -j RETURN',
          '-t mangle -A RIGLEASE-HOST -d 203.0.113.7/32 -p udp -m multiport --dports 30000:30001 -j RETURN',
          '-t mangle -A RIGLEASE-HOST -d 203.0.113.7/32 -j DROP',
          '-t mangle -A RIGLEASE-EGRESS -j RIGLEASE-HOST',
        ]),
      );
      // The DROP comes after the provider's ports; a private answer is left to the private-range DROPs.
      expect(host.findIndex((l) => l.endsWith('-j DROP'))).toBeGreaterThan(host.findIndex((l) => l.includes('-p tcp')));
      expect(host.join('\n')).not.toContain('192.168.1.9');
    } finally {
      await c.remove({ force: true });
    }
  }, 60_000);

  it('refuses to start k3s in a container that has a global IPv6 address, and says why', async () => {
    const image = await stackStandIn(docker);
    const name = `rl-fence-v6-${process.pid}`;
    networks.push(name);
    await docker.createNetwork({ Name: name, Driver: 'bridge', EnableIPv6: true, IPAM: { Config: [{ Subnet: 'fd00:5ec:fe4c::/64' }] } });
    const c = await docker.createContainer({ Image: image, Entrypoint: ['/bin/sh', '-c', entryScript(egressRules([]), ['1.1.1.1']), 'riglease-entry'], Cmd: ['server'], HostConfig: { Privileged: true, NetworkMode: name, AutoRemove: false } });
    try {
      await c.start();
      const done = (await c.wait()) as { StatusCode: number };
      const log = (await c.logs({ stdout: true, stderr: true, follow: false })).toString('utf8');
      expect(done.StatusCode, log).toBe(1);
      expect(log).toMatch(/IPv6 address fd0005ecfe4c\S* on eth0, which the egress block does not cover: refusing to start k3s/);
      expect(log).not.toContain('stand-in k3s');
    } finally {
      await c.remove({ force: true });
    }
  }, 60_000);
});
