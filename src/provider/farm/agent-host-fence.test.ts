import type Docker from 'dockerode';
import { beforeAll, describe, expect, it } from 'vitest';
import { testDockerEngine } from '../../../test/docker/engine.js';
import { iptablesCalls, startWithFakeGetent } from '../../../test/stack/fence-container.js';
import { stackStandIn } from '../../../test/stack/stack-env.js';
import { StackSettings } from '../../api/schemas/settings/stack.js';
import { providerHostFence } from '../stack/host-fence.js';
import { agentContainerSpec, agentNodeLabels, farmNodeName, type AgentSpecInput } from './agent-spec.js';
import { HelloResponse } from './fleet-protocol.js';

const engine = await testDockerEngine();
const d = engine.ok ? describe : describe.skip;
if (!engine.ok) console.warn(`member host fence tests skipped: ${engine.reason}`);

/** What a controller with the provider domain example.org and the default NodePorts sends in its hello. */
const fence = providerHostFence(StackSettings.parse({ domain: 'example.org' }))!;

function input(over: Partial<AgentSpecInput> = {}): AgentSpecInput {
  return {
    prefix: 'riglease',
    image: 'k3s',
    serverUrl: 'https://192.168.1.20:6443',
    nodeName: farmNodeName('rig-02'),
    nodeLabels: agentNodeLabels('abcdef0123456789', false),
    gpuDeviceIds: null,
    allGpus: false,
    restartPolicy: 'unless-stopped',
    allowPrivateEgress: [],
    dnsServers: ['1.1.1.1'],
    nodeExternalIp: '192.168.1.21',
    kubeletPort: 10250,
    vxlanPort: 8472,
    ...over,
  };
}

describe('a member agent fences the controller\'s public address too', () => {
  it('the controller sends its provider name and NodePort range; a member without one installs no host fence', () => {
    expect(fence).toEqual({ name: 'provider.example.org', nodePorts: '30000:30099' });
    expect(providerHostFence(StackSettings.parse({}))).toBeNull();
    const script = (i: AgentSpecInput) => (agentContainerSpec(i).spec.Entrypoint as string[])[2]!;
    expect(script(input({ hostFence: fence }))).toContain("getent ahostsv4 'provider.example.org'");
    expect(script(input())).not.toContain('getent');
    // A different fence is a different container: the spec hash tells the converge loop to re-create it.
    expect(agentContainerSpec(input({ hostFence: fence })).hash).not.toBe(agentContainerSpec(input()).hash);
  });

  it('refuses a hello whose fence is not a DNS name and a port range: it would be pasted into the entry script', () => {
    const hello = (hostFence: unknown) => HelloResponse.safeParse({ serverTime: 1, k3sVersion: 'v1', controller: 'rig-01', hostFence });
    expect(hello(fence).success).toBe(true);
    expect(hello(null).success).toBe(true);
    for (const bad of [
      { name: "provider.example.org'; reboot; '", nodePorts: null },
      { name: 'provider.example.org', nodePorts: '30000:30099 -j ACCEPT' },
      { name: '$(reboot).example.org', nodePorts: null },
      { name: 'provider', nodePorts: null },
      { name: 'provider.example.org', nodePorts: null, extra: 1 },
    ]) {
      expect(hello(bad).success, JSON.stringify(bad)).toBe(false);
    }
  });
});

let docker: Docker;

d('the member\'s host fence on the real engine', () => {
  beforeAll(async () => {
    if (!engine.ok) return;
    docker = engine.docker;
    await stackStandIn(docker);
  });

  it('drops pod traffic to the public address except the provider\'s ports, as on the controller (a fake getent answers for provider.example.org)', async () => {
    const image = await stackStandIn(docker);
    const { spec } = agentContainerSpec(input({ hostFence: fence, image }));
    // The agent's own entry script and arguments; volumes and published ports are not what is tested.
    const c = await docker.createContainer({ Image: image, Entrypoint: spec.Entrypoint, Cmd: spec.Cmd, Env: spec.Env, HostConfig: { Privileged: true } });
    try {
      const log = await startWithFakeGetent(c);
      expect(log).toContain("pods cannot reach this computer's public address (203.0.113.7)");
      const calls = await iptablesCalls(c);
      const host = calls.filter((l) => l.includes('RIGLEASE-HOST'));
      expect(host).toEqual(
        expect.arrayContaining([
          '-t mangle -A RIGLEASE-HOST -d 203.0.113.7/32 -p tcp -m multiport --dports 80,443,8443,8444,30000:30099 -j RETURN',
          '-t mangle -A RIGLEASE-HOST -d 203.0.113.7/32 -p udp -m multiport --dports 30000:30099 -j RETURN',
          '-t mangle -A RIGLEASE-HOST -d 203.0.113.7/32 -j DROP',
          '-t mangle -A RIGLEASE-EGRESS -j RIGLEASE-HOST',
        ]),
      );
      expect(host.findIndex((l) => l.endsWith('-j DROP'))).toBeGreaterThan(host.findIndex((l) => l.includes('-p tcp')));
      // Pod traffic reaches the chain by interface, whatever source it claims.
      expect(calls).toContain('-t mangle -I PREROUTING 1 -i cni0 -j RIGLEASE-EGRESS');
    } finally {
      await c.remove({ force: true });
    }
  }, 60_000);
});
