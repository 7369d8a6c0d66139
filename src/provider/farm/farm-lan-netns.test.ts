// A farm on one LAN: three machines, each a network namespace of its own with its own LAN
// address (RFC 5737 192.0.2.0/24) and its own real Docker engine, plugged into one bridge
// (test/farm/lan-machines.ts). The controller's k3s container is created from the stack's real
// plan, each member's from the real agent spec, with a stand-in k3s (busybox: answers on its TCP
// ports with its name; UDP is counted by the container's own network stack). Shown: each node's
// planned flags carry its own LAN address (a member finds its address in its own namespace, next
// to docker0), the published ports answer from the other machines only on that address
// (6443/tcp, 10250/tcp), and a UDP datagram to 51820 (WireGuard) and 8472 (VXLAN) crosses into
// the node; and the controller's plan, rendered from the pinned charts, places the provider, the
// gateway and their operators on the controller by the labels these running nodes carry, on no
// member. The lease NetworkPolicy across nodes: src/provider/stack/farm-placement.test.ts.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { StackSettings } from '../../api/schemas/settings/stack.js';
import { buildStandInImage } from '../../../test/docker/stand-in-image.js';
import { LanFarm, type LanMachine } from '../../../test/farm/lan-machines.js';
import { describeNetns } from '../../../test/net/netns.js';
import { STANDIN_FILES } from '../../../test/stack/stack-env.js';
import { buildRenderer } from '../../../test/helm/render.js';
import { nodeLabels, podTemplates, schedulable } from '../../../test/stack/pod-placement.js';
import { renderPlanCharts } from '../../../test/stack/render-plan.js';
import type { StackPlan } from '../../api/schemas/stack.js';
import { plan } from '../stack/plan.js';
import { agentContainerSpec, agentNames, agentNodeLabels } from './agent-spec.js';
import { chooseLanAddress } from './lan-address.js';

const CTL = '192.0.2.10';
// The stand-in k3s: says it started, then answers each TCP port it serves with "<node> <port>".
const K3S = `#!/bin/sh
echo "stand-in k3s $*"
for p in $RL_TCP_PORTS; do RL_PORT=$p nc -ll -p "$p" -e /bin/banner & done
trap 'exit 0' TERM INT
while true; do sleep 1; done
`;
// `nc -ll -e` keeps listening and answers every connection (a loop of one-shot listeners has gaps).
const FILES = { ...STANDIN_FILES, '/bin/k3s': K3S, '/bin/nc': '#!/bin/sh\nexec /bin/busybox nc "$@"\n', '/bin/banner': '#!/bin/sh\necho "$(cat /etc/hostname) $RL_PORT"\n' };

describeNetns('farm on one LAN: three machines, three Docker engines', () => {
  const lan = new LanFarm();
  const started = Date.now();
  let ctl: LanMachine;
  const members: { m: LanMachine; container: string; node: string }[] = [];
  let ctlContainer = '';
  let ctlArgs: string[] = [];
  let ctlPlan: StackPlan;

  beforeAll(async () => {
    await lan.start();
    [ctl] = await Promise.all([lan.machine('ctl', `${CTL}/24`)]);
    const m1 = await lan.machine('m1', '192.0.2.21/24');
    const m2 = await lan.machine('m2', '192.0.2.22/24');
    const images = await Promise.all([ctl, m1, m2].map((m) => buildStandInImage(m.docker, 'riglease-lan-k3s:1', { files: FILES, changes: ['ENTRYPOINT ["/bin/k3s"]'] })));

    // The controller: the stack's own plan for a farm controller advertising its LAN address.
    const settings = StackSettings.parse({ namePrefix: 'rlctl', gpus: [], domain: 'rig.example.com', email: 'ops@rig.example.com' });
    const p = (ctlPlan = plan({ settings, hardware: { gpus: [] }, secrets: { walletAddress: 'akash1qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqq', walletKeyPresent: false }, pricing: { script: null, env: {} }, farm: { address: CTL, apiPort: 6443, kubeletPort: 10250, vxlanPort: 8472 } }));
    const create = p.containers[0]!.create as unknown as { name: string; Cmd: string[]; Env: string[]; Image: string; HostConfig: { NetworkMode: string } };
    ctlArgs = create.Cmd;
    ctlContainer = create.name;
    await ctl.docker.createNetwork({ Name: create.HostConfig.NetworkMode });
    const c = await ctl.docker.createContainer({ ...create, Image: images[0]!, Env: [...create.Env, 'RL_TCP_PORTS=6443 10250'] } as never);
    await c.start();

    // Members: the address each finds in its own namespace, then the real agent spec.
    for (const [i, m] of [m1, m2].entries()) {
      const chosen = chooseLanAddress(await lan.interfaces(m.role), CTL, '');
      const node = `rl-${m.role}`;
      const { spec } = agentContainerSpec({
        prefix: `rl${m.role}`, image: images[i + 1]!, serverUrl: `https://${CTL}:6443`, nodeName: node, nodeLabels: agentNodeLabels(`id-${m.role}`, true),
        gpuDeviceIds: null, allGpus: false, restartPolicy: 'unless-stopped', allowPrivateEgress: [], dnsServers: [],
        nodeExternalIp: chosen?.address ?? null, kubeletPort: 10250, vxlanPort: 8472,
      });
      await m.docker.createNetwork({ Name: agentNames(`rl${m.role}`).network });
      const ac = await m.docker.createContainer({ ...spec, Env: [...(spec.Env ?? []), 'RL_TCP_PORTS=10250'] });
      await ac.start();
      members.push({ m, container: spec.name!, node });
    }
    // Until every listener answers.
    for (const deadline = Date.now() + 20_000; !((await lan.tcp('m1', CTL, 6443)) && (await lan.tcp('ctl', '192.0.2.22', 10250))); ) {
      if (Date.now() > deadline) throw new Error('the stand-in nodes did not answer on their LAN addresses within 20 s');
      await new Promise((r) => setTimeout(r, 250));
    }
    console.info(`farm-lan: three engines and nodes up in ${Date.now() - started} ms`);
  }, 90_000);

  afterAll(async () => {
    await lan.teardown();
    console.info(`farm-lan: whole file ${Date.now() - started} ms`);
  }, 90_000);

  it("each node's planned k3s flags carry its own LAN address, found in its own namespace beside docker0", async () => {
    expect(ctlArgs).toEqual(expect.arrayContaining([`--node-external-ip=${CTL}`, '--flannel-external-ip', `--tls-san=${CTL}`, '--node-label=riglease.io/farm-role=controller']));
    const ifaces = await lan.interfaces('m1');
    expect(Object.keys(ifaces)).toEqual(expect.arrayContaining(['lan0', 'docker0']));
    for (const { m, container, node } of members) {
      const info = await m.docker.getContainer(container).inspect();
      expect(info.Args).toEqual(expect.arrayContaining([`--node-external-ip=${m.address}`, `--node-name=${node}`, '--node-label=allow-nvdp=true', '--node-label=riglease.io/farm-role=agent']));
      expect(info.Args.join(' ')).not.toMatch(/farm-role=controller/);
      // Published on its LAN address only.
      expect(info.HostConfig.PortBindings?.['10250/tcp']).toEqual([{ HostIp: m.address, HostPort: '10250' }]);
    }
  });

  it('the provider, the gateway and their operators are planned onto the controller only, by the labels these running nodes carry', async () => {
    await buildRenderer();
    const pods = podTemplates(await renderPlanCharts(ctlPlan));
    expect(pods.some((p) => p.what.startsWith('akash-provider StatefulSet'))).toBe(true);
    expect(pods.some((p) => p.what.includes('NginxProxy'))).toBe(true);
    const ctlNode = nodeLabels('rlctl-node', (await ctl.docker.getContainer(ctlContainer).inspect()).Config.Cmd ?? []);
    const memberNodes = await Promise.all(members.map(async ({ m, container, node }) => nodeLabels(node, (await m.docker.getContainer(container).inspect()).Config.Cmd ?? [])));
    for (const { what, pod } of pods) {
      expect(schedulable(pod, ctlNode), `${what} on the controller`).toBe(true);
      for (const labels of memberNodes) expect(schedulable(pod, labels), `${what} not on ${labels['kubernetes.io/hostname']}`).toBe(false);
    }
  });

  it('the k3s API and each kubelet answer from the other machines, on the LAN address only', async () => {
    expect(await lan.tcp('m1', CTL, 6443)).toBe('rlctl-node 6443');
    expect(await lan.tcp('m2', CTL, 6443)).toBe('rlctl-node 6443');
    expect(await lan.tcp('ctl', '192.0.2.21', 10250)).toBe('rl-m1 10250');
    expect(await lan.tcp('ctl', '192.0.2.22', 10250)).toBe('rl-m2 10250');
    expect(await lan.tcp('m2', '192.0.2.21', 10250)).toBe('rl-m1 10250');
    // Not on the machine's other addresses: the loopback of the controller gets nothing.
    expect(await lan.tcp('ctl', '127.0.0.1', 6443)).toBe('');
  });

  it("a UDP datagram to WireGuard's 51820 and to VXLAN's 8472 crosses into the other machine's k3s node", async () => {
    const m1 = members[0]!;
    const before = await lan.udpReceived(ctl, ctlContainer);
    await lan.udp('m1', CTL, 51820);
    await expect.poll(() => lan.udpReceived(ctl, ctlContainer), { timeout: 5000, interval: 100 }).toBe(before + 1);
    const m1Before = await lan.udpReceived(m1.m, m1.container);
    await lan.udp('ctl', m1.m.address, 51820);
    await lan.udp('m2', m1.m.address, 8472);
    await expect.poll(() => lan.udpReceived(m1.m, m1.container), { timeout: 5000, interval: 100 }).toBe(m1Before + 2);
  });
});
