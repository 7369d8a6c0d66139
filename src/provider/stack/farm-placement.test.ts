// Where every pod RigLease installs may run in a farm, asserted over the charts as Helm renders
// them from the pinned upstream copies (test/stack/render-plan): the provider, the gateway (control
// plane and data plane), cert-manager and the Akash operators only on the controller; the device
// plugin on every GPU node, members included. Node labels are what k3s gives each node: its
// `--node-label`s from the planned argv, kubelet's well-known labels, and on the server only the
// control-plane labels (k3s-io/k3s pkg/server/server.go setNodeLabelsAndAnnotations).
// Then the NetworkPolicy Akash's provider would create for a lease (test/farm/akash-netpol.ts,
// following netpol.go) is checked to admit the planned gateway data plane across nodes.
import { parseAllDocuments, parse } from 'yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { StackSettings } from '../../api/schemas/settings/stack.js';
import type { StackPlan } from '../../api/schemas/stack.js';
import { buildRenderer, type K8sObject } from '../../../test/helm/render.js';
import { fixtureGpus } from '../../../test/stack/fixture-gpus.js';
import { renderPlanCharts, renderedObjects, type RenderedPlanChart } from '../../../test/stack/render-plan.js';
import { NAMESPACE_NAME_LABEL, admits, leaseNetworkPolicies, type PodRef } from '../../../test/farm/akash-netpol.js';
import { labelsFromArgs, podTemplates, schedulable, type Labels, type PodSpec } from '../../../test/stack/pod-placement.js';
import { agentArgs, agentNodeLabels } from '../farm/agent-spec.js';
import { bidScript } from '../pricing/bid-script.js';
import { plan } from './plan.js';

const kubelet = (name: string): Labels => ({ 'kubernetes.io/os': 'linux', 'kubernetes.io/arch': 'amd64', 'kubernetes.io/hostname': name });

function farmPlan(): StackPlan {
  return plan({
    settings: StackSettings.parse({ domain: 'rig.example.com', email: 'ops@rig.example.com' }),
    hardware: { gpus: fixtureGpus('rtx4090_535.86.05_1gpu.xml') },
    secrets: { walletAddress: 'akash1qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqq', walletKeyPresent: true },
    pricing: { script: bidScript(), env: {} },
    farm: { address: '192.0.2.10', apiPort: 6443, kubeletPort: 10250, vxlanPort: 8472 },
  });
}

function memberLabels(name: string, gpus: boolean): Labels {
  const argv = agentArgs({
    prefix: 'riglease', image: 'k3s', serverUrl: 'https://192.0.2.10:6443', nodeName: name, nodeLabels: agentNodeLabels('m-' + name, gpus),
    gpuDeviceIds: gpus ? ['GPU-1'] : null, allGpus: false, restartPolicy: 'unless-stopped', allowPrivateEgress: [], dnsServers: [],
    nodeExternalIp: '198.51.100.20', kubeletPort: 10250, vxlanPort: 8472,
  });
  return { ...kubelet(name), ...labelsFromArgs(argv) };
}

let farm: StackPlan;
let charts: Map<string, RenderedPlanChart>;
let controller: Labels;

beforeAll(async () => {
  await buildRenderer();
  farm = farmPlan();
  charts = await renderPlanCharts(farm);
  const argv = (farm.containers[0]!.create as { Cmd: string[] }).Cmd;
  controller = { ...kubelet(`${farm.prefix}-node`), 'node-role.kubernetes.io/control-plane': 'true', 'node-role.kubernetes.io/master': 'true', ...labelsFromArgs(argv) };
}, 300_000);

describe('farm placement: what lives beside the price table, the certificate and the host ports', () => {
  it("the controller's k3s labels its node, and advertises its LAN address for the pod network", () => {
    const argv = (farm.containers[0]!.create as { Cmd: string[] }).Cmd;
    expect(argv).toContain('--node-label=riglease.io/farm-role=controller');
    expect(argv).toEqual(expect.arrayContaining(['--node-external-ip=192.0.2.10', '--flannel-external-ip', '--tls-san=192.0.2.10']));
  });

  it('every workload RigLease installs is placed deliberately: on the controller, or (device plugin) on every GPU node', () => {
    const gpuMember = memberLabels('rl-gpu-box', true);
    const cpuMember = memberLabels('rl-cpu-box', false);
    // A member's kubelet may claim any riglease.io label on itself, not node-role.kubernetes.io/*
    // (NodeRestriction): a member posing as the controller still gets nothing pinned there.
    const forged = { ...gpuMember, 'riglease.io/farm-role': 'controller' };
    const pods = podTemplates(charts);
    const names = pods.map((p) => p.what);
    for (const expected of ['akash-provider StatefulSet', 'akash-hostname-operator Deployment', 'akash-inventory-operator Deployment', 'nginx-gateway-fabric Deployment', 'nginx-gateway-fabric NginxProxy', 'cert-manager Deployment', 'nvidia-device-plugin DaemonSet']) {
      expect(names.some((n) => n.startsWith(expected)), `${expected} rendered (got ${names.join(', ')})`).toBe(true);
    }
    for (const { what, pod } of pods) {
      if (what.includes('mps-control-daemon')) {
        // The chart's MPS daemon selects `nvidia.com/mps.capable=true`, which only GPU Feature
        // Discovery sets when MPS sharing is configured; RigLease configures neither: it runs nowhere.
        for (const node of [controller, gpuMember, cpuMember]) expect(schedulable(pod, node), what).toBe(false);
        continue;
      }
      expect(schedulable(pod, controller), `${what} may run on the controller`).toBe(true);
      expect(schedulable(pod, cpuMember), `${what} stays off a CPU member`).toBe(false);
      if (what.startsWith('nvidia-device-plugin')) {
        expect(schedulable(pod, gpuMember), `${what} runs on a GPU member`).toBe(true);
      } else {
        expect(schedulable(pod, gpuMember), `${what} stays off a GPU member`).toBe(false);
        expect(schedulable(pod, forged), `${what} stays off a member that labels itself controller`).toBe(false);
      }
    }
  });

  it("the provider's /config hostPath is on the node it is pinned to", () => {
    const [sts] = renderedObjects(charts, 'akash-provider', 'StatefulSet') as { spec: { template: { spec: PodSpec & { volumes: { hostPath?: { path: string } }[] } } } }[];
    const pod = sts!.spec.template.spec;
    expect(pod.volumes.some((v) => v.hostPath?.path === '/root/.akash/k8s-config')).toBe(true);
    expect(pod.nodeSelector).toMatchObject({ 'riglease.io/farm-role': 'controller', 'node-role.kubernetes.io/control-plane': 'true' });
  });
});

describe('farm placement: a controller without GPUs, members with them', () => {
  it('still installs the device plugin and RuntimeClass, scheduled on the GPU members only (the controller lacks the nvidia runtime)', async () => {
    const p = plan({
      settings: StackSettings.parse({ domain: 'rig.example.com', email: 'ops@rig.example.com' }),
      hardware: { gpus: [] },
      secrets: { walletAddress: 'akash1qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqq', walletKeyPresent: true },
      pricing: { script: bidScript(), env: {} },
      farm: { address: '192.0.2.10', apiPort: 6443, kubeletPort: 10250, vxlanPort: 8472, memberGpus: 2 },
    });
    const argv = (p.containers[0]!.create as { Cmd: string[] }).Cmd;
    expect(argv).not.toContain('--default-runtime=nvidia');
    const ctl = { ...kubelet(`${p.prefix}-node`), 'node-role.kubernetes.io/control-plane': 'true', ...labelsFromArgs(argv) };
    const rendered = await renderPlanCharts(p);
    expect(renderedObjects(rendered, 'nvidia-device-plugin', 'DaemonSet').length).toBeGreaterThan(0);
    expect(p.manifests.some((m) => m.component === 'nvidia-runtimeclass')).toBe(true);
    const [ds] = renderedObjects(rendered, 'nvidia-device-plugin', 'DaemonSet', 'nvidia-device-plugin') as { spec: { template: { spec: PodSpec } } }[];
    expect(schedulable(ds!.spec.template.spec, memberLabels('rl-gpu-box', true))).toBe(true);
    expect(schedulable(ds!.spec.template.spec, ctl)).toBe(false);
    expect(schedulable(ds!.spec.template.spec, memberLabels('rl-cpu-box', false))).toBe(false);
  });
});

describe("farm: Akash's per-lease NetworkPolicy admits the planned gateway across nodes", () => {
  it('the policy the provider would build (gateway-api mode, from its rendered settings) admits the data plane on the controller to a lease pod on a member, and nothing else from outside the lease', () => {
    // The provider's settings as its chart renders them (configmap-main.yaml, statefulset.yaml env).
    const [cm] = renderedObjects(charts, 'akash-provider', 'ConfigMap').filter((o) => (o['data'] as Labels | undefined)?.['AP_INGRESS_MODE']) as { data: Labels }[];
    const [sts] = renderedObjects(charts, 'akash-provider', 'StatefulSet') as { spec: { template: { spec: { containers: { env: { name: string; value?: string }[] }[] } } } }[];
    const env = Object.fromEntries(sts!.spec.template.spec.containers[0]!.env.map((e) => [e.name, e.value]));
    const settings = { enabled: env['DEPLOYMENT_NETWORK_POLICIES_ENABLED'] === 'true', ingressMode: cm!.data['AP_INGRESS_MODE']!, gatewayNamespace: cm!.data['AP_GATEWAY_NAMESPACE']! };
    expect(settings).toEqual({ enabled: true, ingressMode: 'gateway-api', gatewayNamespace: 'akash-gateway' });

    const leaseNs = 'l3k2hq8s0example';
    const policies = leaseNetworkPolicies(settings, leaseNs, [{ name: 'web', expose: [{ port: 80, proto: 'TCP', global: true, ingress: true }] }]);
    // Namespaces as the plan writes them, plus the label the API server adds to every namespace.
    const nsLabels = (ns: string): Labels => {
      const docs = farm.manifests.flatMap((m) => parseAllDocuments(m.yaml).map((d) => d.toJSON() as K8sObject | null));
      const found = docs.find((o) => o?.['kind'] === 'Namespace' && (o['metadata'] as { name: string }).name === ns);
      return { ...((found?.['metadata'] as { labels?: Labels } | undefined)?.labels ?? {}), [NAMESPACE_NAME_LABEL]: ns };
    };
    // NGF provisions the data plane for a Gateway in that Gateway's namespace.
    const [gw] = renderedObjects(charts, 'akash-gateway', 'Gateway') as { metadata: { name: string; namespace?: string } }[];
    const gwNs = gw!.metadata.namespace ?? charts.get('akash-gateway')!.namespace;
    const [proxy] = renderedObjects(charts, 'nginx-gateway-fabric', 'NginxProxy') as { spec: { kubernetes: { daemonSet: { pod: PodSpec } } } }[];
    expect(schedulable(proxy!.spec.kubernetes.daemonSet.pod, controller)).toBe(true);
    const dataPlane: PodRef = { namespace: gwNs, namespaceLabels: nsLabels(gwNs), labels: { 'gateway.networking.k8s.io/gateway-name': gw!.metadata.name }, node: 'controller' };
    const leaseLabels = { ...parse(`{ "akash.network/namespace": "${leaseNs}", "akash.network": "true" }`) as Labels };
    const leasePod: PodRef = { namespace: leaseNs, namespaceLabels: { ...leaseLabels, [NAMESPACE_NAME_LABEL]: leaseNs }, labels: { 'akash.network/manifest-service': 'web' }, node: 'rl-gpu-box' };
    expect(admits(policies, dataPlane, leasePod, { port: 80, protocol: 'TCP' }), 'gateway data plane → lease pod on a member').toBe(true);

    const otherLease: PodRef = { namespace: 'otherlease', namespaceLabels: { 'akash.network/namespace': 'otherlease', [NAMESPACE_NAME_LABEL]: 'otherlease' }, labels: {}, node: 'controller' };
    expect(admits(policies, otherLease, leasePod, { port: 80, protocol: 'TCP' }), 'another tenant is refused').toBe(false);
    // The gateway's control plane lives in its own namespace: it is not what proxies tenants' traffic, and it is refused.
    const control: PodRef = { namespace: 'nginx-gateway', namespaceLabels: nsLabels('nginx-gateway'), labels: { 'app.kubernetes.io/name': 'nginx-gateway-fabric' }, node: 'controller' };
    expect(admits(policies, control, leasePod, { port: 80, protocol: 'TCP' })).toBe(false);
  });
});
