import { describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { StackSettings } from '../../api/schemas/settings/stack.js';
import { StackPlan } from '../../api/schemas/stack.js';
import { fixtureGpus } from '../../../test/stack/fixture-gpus.js';
import { CHARTS, IMAGES } from './images.js';
import { unknownValueKeys } from './chart-values-keys.js';
import { plan, type PlanInput } from './plan.js';
import { LABEL_MANAGED, LABEL_SPEC_HASH } from './names.js';

const rtx4090 = fixtureGpus('rtx4090_535.86.05_1gpu.xml');
const twoGtx = fixtureGpus('gtx1080_460.27.04_2gpu.xml');
const t4 = fixtureGpus('teslat4_515.105.01_1gpu.xml');

function input(over: Partial<StackSettings> = {}, gpus = rtx4090, extra: Partial<PlanInput> = {}): PlanInput {
  return {
    settings: StackSettings.parse({ domain: 'example.org', ...over }),
    hardware: { gpus },
    secrets: { walletAddress: 'akash1qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqq', walletKeyPresent: true },
    pricing: { script: '#!/bin/bash\necho 1.5\n', env: { PRICE_TARGET_GPU_MAPPINGS: 'rtx4090=120' } },
    ...extra,
  };
}

type Create = { HostConfig: Record<string, unknown>; Labels: Record<string, string>; Cmd: string[]; Entrypoint: string[]; Image: string };
const create = (p: ReturnType<typeof plan>) => p.containers[0]!.create as unknown as Create;
const manifest = (p: ReturnType<typeof plan>, component: string) => p.manifests.find((m) => m.component === component);
function chartValues(yamlText: string): { spec: Record<string, unknown>; values: Record<string, unknown> } {
  const doc = parse(yamlText) as { spec: Record<string, unknown> };
  return { spec: doc.spec, values: parse(doc.spec['valuesContent'] as string) as Record<string, unknown> };
}

describe('stack plan', () => {
  it('matches the API schema and is deterministic', () => {
    const a = plan(input());
    expect(StackPlan.parse(a)).toEqual(a);
    expect(plan(input()).hash).toBe(a.hash);
  });

  it('builds a privileged k3s container with data volumes, tmpfs, restart policy, labels and ports', () => {
    const p = plan(input());
    const c = create(p);
    const hc = c.HostConfig;
    expect(hc['Privileged']).toBe(true);
    expect(hc['RestartPolicy']).toEqual({ Name: 'unless-stopped' });
    expect((hc['Mounts'] as { Source: string; Target: string }[]).map((m) => `${m.Source}:${m.Target}`)).toEqual([
      'riglease-k3s:/var/lib/rancher/k3s',
      'riglease-kubelet:/var/lib/kubelet',
      'riglease-cni:/var/lib/cni',
      'riglease-log:/var/log',
    ]);
    expect(hc['Tmpfs']).toEqual({ '/run': '', '/var/run': '' });
    expect(c.Labels[LABEL_MANAGED]).toBe('true');
    expect(c.Labels['io.riglease.component']).toBe('k3s');
    expect(c.Labels[LABEL_SPEC_HASH]).toBe(p.containers[0]!.specHash);
    const bindings = hc['PortBindings'] as Record<string, { HostPort: string }[]>;
    for (const port of ['80/tcp', '443/tcp', '8443/tcp', '8444/tcp', '30000/tcp', '30099/tcp']) expect(bindings[port]).toBeDefined();
    expect(bindings['30100/tcp']).toBeUndefined();
    expect(Object.keys(bindings)).toHaveLength(104);
    expect(c.Image).toBe(IMAGES.k3s.ref);
  });

  it('passes exactly the selected GPUs through DeviceRequests and turns on the NVIDIA runtime', () => {
    const p = plan(input({ gpus: [twoGtx[1]!.uuid!] }, twoGtx));
    const dr = create(p).HostConfig['DeviceRequests'] as Record<string, unknown>[];
    expect(dr).toEqual([{ Driver: 'nvidia', Count: 0, DeviceIDs: [twoGtx[1]!.uuid], Capabilities: [['gpu']] }]);
    expect(create(p).Cmd).toContain('--default-runtime=nvidia');
    expect(p.manifests.map((m) => m.component)).toContain('nvidia-device-plugin');
    const rc = parse(manifest(p, 'nvidia-runtimeclass')!.yaml) as Record<string, unknown>;
    expect(rc).toMatchObject({ apiVersion: 'node.k8s.io/v1', kind: 'RuntimeClass', metadata: { name: 'nvidia' }, handler: 'nvidia' });
  });

  it('CPU only: no DeviceRequests, no NVIDIA runtime, no device plugin', () => {
    const p = plan(input({ gpus: [] }));
    expect(create(p).HostConfig['DeviceRequests']).toEqual([]);
    expect(create(p).Cmd.join(' ')).not.toContain('nvidia');
    expect(p.manifests.map((m) => m.component)).not.toContain('nvidia-device-plugin');
  });

  it('refuses a selected GPU the scan does not know', () => {
    expect(() => plan(input({ gpus: ['GPU-not-here'] }))).toThrow(/not found on this machine/);
  });

  it('keeps network policy on, disables traefik for ingress-nginx and sets the NodePort range', () => {
    const args = create(plan(input())).Cmd;
    expect(args[0]).toBe('server');
    expect(args.join(' ')).not.toContain('disable-network-policy');
    expect(args).toContain('--disable=traefik');
    expect(args).toContain('--service-node-port-range=30000-30099');
    expect(args).toContain('--secrets-encryption');
  });

  it('sets no node labels (Akash\'s inventory operator owns them) and adds GPU chain attributes', () => {
    const p = plan(input());
    expect(p.gpuLabels[0]!.boardPartner).toBe(true); // Gigabyte 1458 sub-vendor in the capture
    expect(p.gpuLabels[0]!.note).toMatch(/board-partner.*support#298.*stack status/);
    // What the operator sets for a recognised card is planned, for status to compare with …
    expect(p.gpuLabels[0]!.labels).toHaveProperty('akash.network/capabilities.gpu.vendor.nvidia.model.rtx4090.ram.24Gi', '1');
    // … but k3s is not asked to set any label: the operator would replace them (gpu-labels.ts).
    const args = create(p).Cmd;
    expect(args.filter((a) => a.startsWith('--node-label'))).toEqual([]);
    expect(create(plan(input({}, twoGtx))).Cmd.filter((a) => a.startsWith('--node-label'))).toEqual([]);
    const attrs = (chartValues(manifest(p, 'akash-provider')!.yaml).values['attributes'] as { key: string }[]).map((a) => a.key);
    expect(attrs).toContain('capabilities/gpu/vendor/nvidia/model/rtx4090/ram/24Gi/interface/pcie');
    expect(attrs).toContain('host');
    // An NVIDIA-made card is not flagged.
    expect(plan(input({}, t4)).gpuLabels[0]!.boardPartner).toBe(false);
  });

  it('plans the egress block for private and link-local ranges from the pod network', () => {
    const p = plan(input({ allowPrivateEgress: ['192.168.1.50/32'] }));
    const drops = p.egressRules.filter((r) => r.action === 'drop').map((r) => r.cidr);
    expect(drops).toEqual(expect.arrayContaining(['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '100.64.0.0/10', '169.254.0.0/16', 'fe80::/10']));
    const script = create(p).Entrypoint[2]!;
    // Allowed ranges come before the drops, so the allow wins.
    expect(script.indexOf('-d 192.168.1.50/32 -j RETURN')).toBeGreaterThan(0);
    expect(script.indexOf('-d 192.168.1.50/32 -j RETURN')).toBeLessThan(script.indexOf('-d 192.168.0.0/16 -j DROP'));
    expect(script).toContain('-d 169.254.0.0/16 -j DROP');
    expect(script).toContain('exec /bin/k3s "$@"');
    expect(chartValues(manifest(p, 'akash-provider')!.yaml).values['deploymentnetworkpoliciesenabled']).toBe('true');
  });

  it('writes HelmCharts whose values follow the settings and exist in each chart', () => {
    const p = plan(input({ chainId: 'sandbox-01', rpcNode: 'https://rpc.example.net:443', clusterStorage: ['default', 'beta3', 'ram'] }));
    for (const m of p.manifests) {
      const docs = parseAllDocuments(m.yaml);
      expect(docs).toHaveLength(1);
      expect(m.file).toMatch(/^riglease-[a-z0-9-]+\.yaml$/);
    }
    const byChart: Record<string, keyof typeof CHARTS> = {
      'akash-provider': 'provider',
      'akash-hostname-operator': 'hostnameOperator',
      'akash-inventory-operator': 'inventoryOperator',
      'nvidia-device-plugin': 'devicePlugin',
      'ingress-nginx': 'ingressNginx',
    };
    for (const [component, chart] of Object.entries(byChart)) {
      const { spec, values } = chartValues(manifest(p, component)!.yaml);
      expect(spec['version']).toBe(CHARTS[chart].version);
      expect(spec['repo']).toBe(CHARTS[chart].repo);
      expect(unknownValueKeys(chart, values)).toEqual([]);
    }
    const prov = chartValues(manifest(p, 'akash-provider')!.yaml);
    expect(prov.values).toMatchObject({ chainid: 'sandbox-01', node: 'https://rpc.example.net:443', domain: 'example.org', price_target_gpu_mappings: 'rtx4090=120' });
    expect(Buffer.from(prov.values['bidpricescript'] as string, 'base64').toString()).toBe('#!/bin/bash\necho 1.5\n');
    expect(prov.spec['valuesSecrets']).toEqual([{ name: 'riglease-provider-wallet', keys: ['values.yaml'] }]);
    expect(Object.keys(prov.values)).not.toContain('key');
    expect(Object.keys(prov.values)).not.toContain('keysecret');
    expect(chartValues(manifest(p, 'akash-inventory-operator')!.yaml).values).toMatchObject({ inventoryConfig: { cluster_storage: ['default', 'beta3', 'ram'] } });
    expect(chartValues(manifest(p, 'nvidia-device-plugin')!.yaml).values).toMatchObject({ runtimeClassName: 'nvidia', deviceListStrategy: 'volume-mounts' });
    const ing = chartValues(manifest(p, 'ingress-nginx')!.yaml).values as { controller: { ingressClassResource: { name: string } }; tcp: Record<string, string> };
    expect(ing.controller.ingressClassResource.name).toBe('akash-ingress-class');
    expect(ing.tcp['8443']).toBe('akash-services/akash-provider:8443');
  });

  it('leaves the provider chart out until there is a wallet and a domain', () => {
    const p = plan(input({ domain: '' }));
    expect(p.manifests.map((m) => m.component)).not.toContain('akash-provider');
    expect(p.notes.join(' ')).toMatch(/domain/);
    const q = plan(input({}, rtx4090, { secrets: { walletAddress: null, walletKeyPresent: false } }));
    expect(q.manifests.map((m) => m.component)).not.toContain('akash-provider');
  });

  it('refuses pricing env the chart cannot carry', () => {
    expect(() => plan(input({}, rtx4090, { pricing: { script: null, env: { SECRET_SAUCE: '1' } } }))).toThrow(/cannot pass SECRET_SAUCE/);
  });

  it('a changed setting changes only what depends on it', () => {
    const base = plan(input());
    const hashes = (p: ReturnType<typeof plan>) => Object.fromEntries(p.manifests.map((m) => [m.component, m.hash]));
    // The RPC node only feeds the provider chart: the container stays, one manifest changes.
    const rpc = plan(input({ rpcNode: 'https://other-rpc.example:443' }));
    expect(rpc.containers[0]!.specHash).toBe(base.containers[0]!.specHash);
    const changed = Object.entries(hashes(rpc)).filter(([k, h]) => hashes(base)[k] !== h).map(([k]) => k);
    expect(changed).toEqual(['akash-provider']);
    // A port only changes the container.
    const port = plan(input({ ports: { gateway: 9443 } as StackSettings['ports'] }));
    expect(port.containers[0]!.specHash).not.toBe(base.containers[0]!.specHash);
    expect(hashes(port)).toEqual(hashes(base));
    // An image override of the ingress controller changes only that chart.
    const img = plan(input({ images: { ingressController: 'mirror.local/ingress:v1' } as StackSettings['images'] }));
    expect(Object.entries(hashes(img)).filter(([k, h]) => hashes(base)[k] !== h).map(([k]) => k)).toEqual(['ingress-nginx']);
    expect(img.containers[0]!.specHash).toBe(base.containers[0]!.specHash);
  });

  it('a name prefix renames every Docker object so two stacks never collide', () => {
    const p = plan(input({ namePrefix: 'farm2' }));
    expect(p.containers[0]!.name).toBe('farm2-k3s');
    expect(p.volumes.every((v) => v.name.startsWith('farm2-'))).toBe(true);
    expect(p.networks[0]!.name).toBe('farm2-net');
    expect(create(p).HostConfig['NetworkMode']).toBe('farm2-net');
  });
});
