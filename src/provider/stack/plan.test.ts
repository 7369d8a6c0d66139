import { describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { StackSettings } from '../../api/schemas/settings/stack.js';
import { RigError } from '../../api/errors.js';
import { StackPlan } from '../../api/schemas/stack.js';
import { fixtureGpus } from '../../../test/stack/fixture-gpus.js';
import { CHARTS, IMAGES } from './images.js';
import { unknownValueKeys } from './chart-values-keys.js';
import { plan, type PlanInput } from './plan.js';
import { requireProviderEmail } from './manifests.js';
import { LABEL_MANAGED, LABEL_SPEC_HASH } from './names.js';

const rtx4090 = fixtureGpus('rtx4090_535.86.05_1gpu.xml');
const twoGtx = fixtureGpus('gtx1080_460.27.04_2gpu.xml');
const t4 = fixtureGpus('teslat4_515.105.01_1gpu.xml');

function input(over: Partial<StackSettings> = {}, gpus = rtx4090, extra: Partial<PlanInput> = {}): PlanInput {
  return {
    settings: StackSettings.parse({ domain: 'example.org', email: 'ops@example.org', ...over }),
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
    for (const port of ['80/tcp', '443/tcp', '8443/tcp', '8444/tcp', '30000/tcp', '30099/tcp', '30000/udp', '30099/udp']) expect(bindings[port]).toBeDefined();
    expect(bindings['30100/tcp']).toBeUndefined();
    expect(bindings['30100/udp']).toBeUndefined();
    // Akash leases expose UDP too: every NodePort is published for TCP and UDP.
    expect(Object.keys(bindings)).toHaveLength(204);
    expect(c.Image).toBe(IMAGES.k3s.ref);
  });

  it('passes every GPU through DeviceRequests and turns on the NVIDIA runtime; a list naming every GPU is the same as "all"', () => {
    const p = plan(input({ gpus: twoGtx.map((g) => g.uuid!) }, twoGtx));
    const dr = create(p).HostConfig['DeviceRequests'] as Record<string, unknown>[];
    expect(dr).toEqual([{ Driver: 'nvidia', Count: -1, DeviceIDs: [], Capabilities: [['gpu']] }]);
    expect(p.containers[0]!.specHash).toBe(plan(input({ gpus: 'all' }, twoGtx)).containers[0]!.specHash);
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

  it('refuses to keep one GPU back, with the reason and what to do instead: the privileged container sees every GPU', () => {
    const err = (() => {
      try {
        plan(input({ gpus: [twoGtx[1]!.uuid!] }, twoGtx));
      } catch (e) {
        return e as RigError;
      }
      throw new Error('a subset was accepted');
    })();
    expect(err.code).toBe('invalid_input');
    expect(err.message).toMatch(/^RigLease cannot keep one GPU for gaming yet: .*privileged container that sees every GPU/);
    expect(err.fix).toMatch(/pause providing or turn on gaming mode: both stop new bids/);
  });

  it('says tenants always use 8443/8444 when the host ports differ', () => {
    const s = input();
    const other = plan({ ...s, settings: { ...s.settings, ports: { ...s.settings.ports, gateway: 9443 } } });
    expect(other.notes.join('\n')).toMatch(/router must send public 8443 to port 9443/);
    expect(plan(s).notes.join('\n')).not.toMatch(/public 8443/);
  });

  it('keeps network policy on, disables traefik (NGINX Gateway Fabric holds 80/443) and sets the NodePort range', () => {
    const args = create(plan(input())).Cmd;
    expect(args[0]).toBe('server');
    expect(args.join(' ')).not.toContain('disable-network-policy');
    expect(args).toContain('--disable=traefik');
    expect(args).toContain('--service-node-port-range=30000-30099');
    expect(args).toContain('--secrets-encryption');
  });

  it('sets no Akash node labels (Akash\'s inventory operator owns them), only the controller\'s own, and adds GPU chain attributes', () => {
    const p = plan(input());
    expect(p.gpuLabels[0]!.boardPartner).toBe(true); // Gigabyte 1458 sub-vendor in the capture
    expect(p.gpuLabels[0]!.note).toMatch(/board-partner.*support#298.*stack status/);
    // What the operator sets for a recognised card is planned, for status to compare with …
    expect(p.gpuLabels[0]!.labels).toHaveProperty('akash.network/capabilities.gpu.vendor.nvidia.model.rtx4090.ram.24Gi', '1');
    // … but k3s is not asked to set any of them: the operator would replace them (gpu-labels.ts).
    // Its one label is RigLease's own: the node the provider and the gateway are pinned to.
    const args = create(p).Cmd;
    // Its labels are RigLease's own: the node the provider and the gateway are pinned to, and the
    // playbook's GPU-node label the device plugin selects.
    expect(args.filter((a) => a.startsWith('--node-label'))).toEqual(['--node-label=allow-nvdp=true', '--node-label=riglease.io/farm-role=controller']);
    expect(create(plan(input({}, twoGtx))).Cmd.filter((a) => a.startsWith('--node-label'))).toEqual(['--node-label=allow-nvdp=true', '--node-label=riglease.io/farm-role=controller']);
    const attrs = (chartValues(manifest(p, 'akash-provider')!.yaml).values['attributes'] as { key: string }[]).map((a) => a.key);
    expect(attrs).toContain('capabilities/gpu/vendor/nvidia/model/rtx4090/ram/24Gi/interface/pcie');
    expect(attrs).toContain('host');
    // An NVIDIA-made card is not flagged.
    expect(plan(input({}, t4)).gpuLabels[0]!.boardPartner).toBe(false);
  });

  it('plans the egress block for private and link-local ranges from the pod network', () => {
    const p = plan(input({ allowPrivateEgress: ['192.168.1.50/32'] }));
    const drops = p.egressRules.filter((r) => r.action === 'drop').map((r) => r.cidr);
    expect(drops).toEqual(expect.arrayContaining(['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '100.64.0.0/10', '169.254.0.0/16']));
    const script = create(p).Entrypoint[2]!;
    // Allowed ranges come before the drops, so the allow wins.
    expect(script.indexOf('-d 192.168.1.50/32 -j RETURN')).toBeGreaterThan(0);
    expect(script.indexOf('-d 192.168.1.50/32 -j RETURN')).toBeLessThan(script.indexOf('-d 192.168.0.0/16 -j DROP'));
    expect(script).toContain('-d 169.254.0.0/16 -j DROP');
    expect(script).toContain('exec /bin/k3s "$@"');
    expect(chartValues(manifest(p, 'akash-provider')!.yaml).values['deploymentnetworkpoliciesenabled']).toBe('true');
  });

  it('writes HelmCharts whose values follow the settings and exist in each chart', () => {
    const p = plan(input({ chainId: 'sandbox-01', rpcNode: 'https://rpc.example.net:443' }));
    for (const m of p.manifests) {
      // One Addon per file in k3s: no dot in the name but `.yaml` (k3s names the Addon up to the first dot).
      expect(m.file).toMatch(/^riglease-[a-z0-9-]+\.yaml$/);
      for (const doc of parseAllDocuments(m.yaml)) expect(doc.errors).toEqual([]);
    }
    const byChart: Record<string, keyof typeof CHARTS> = {
      'akash-provider': 'provider',
      'akash-hostname-operator': 'hostnameOperator',
      'akash-inventory-operator': 'inventoryOperator',
      'nvidia-device-plugin': 'devicePlugin',
      'nginx-gateway-fabric': 'nginxGatewayFabric',
      'cert-manager': 'certManager',
      'akash-gateway': 'akashGateway',
    };
    for (const [component, chart] of Object.entries(byChart)) {
      const m = manifest(p, component)!;
      expect(m.kind).toBe('chart');
      const { spec, values } = chartValues(m.yaml);
      const pin: { repo?: string; chart: string; version: string } = CHARTS[chart];
      expect(spec['version']).toBe(pin.version);
      expect(spec['chart']).toBe(pin.chart);
      expect(spec['repo']).toBe(pin.repo);
      expect(unknownValueKeys(chart, values)).toEqual([]);
    }
    // NGF comes from its OCI registry: the chart reference names it, and there is no repo.
    expect(chartValues(manifest(p, 'nginx-gateway-fabric')!.yaml).spec).toMatchObject({ chart: 'oci://ghcr.io/nginx/charts/nginx-gateway-fabric', version: '2.5.1' });
    expect(chartValues(manifest(p, 'cert-manager')!.yaml).spec).toMatchObject({ repo: 'https://charts.jetstack.io', version: 'v1.19.1' });
    const prov = chartValues(manifest(p, 'akash-provider')!.yaml);
    expect(prov.values).toMatchObject({ chainid: 'sandbox-01', node: 'https://rpc.example.net:443', domain: 'example.org', price_target_gpu_mappings: 'rtx4090=120' });
    expect(Buffer.from(prov.values['bidpricescript'] as string, 'base64').toString()).toBe('#!/bin/bash\necho 1.5\n');
    expect(prov.spec['valuesSecrets']).toEqual([{ name: 'riglease-provider-wallet', keys: ['values.yaml'] }]);
    expect(Object.keys(prov.values)).not.toContain('key');
    expect(Object.keys(prov.values)).not.toContain('keysecret');
    expect(chartValues(manifest(p, 'nvidia-device-plugin')!.yaml).values).toMatchObject({ runtimeClassName: 'nvidia', deviceListStrategy: 'volume-mounts' });
    expect(chartValues(manifest(p, 'akash-gateway')!.yaml).values).toEqual({ domain: 'example.org' });
    expect(chartValues(manifest(p, 'cert-manager')!.yaml).values).toMatchObject({ crds: { enabled: true } });
  });

  it('runs the provider and the hostname operator in gateway mode, with Let\'s Encrypt on and the operator\'s email', () => {
    const p = plan(input());
    const gatewayApi = { enabled: true, gatewayName: 'akash-gateway', gatewayNamespace: 'akash-gateway', implementation: 'nginx' };
    const prov = chartValues(manifest(p, 'akash-provider')!.yaml).values;
    expect(prov['gatewayApi']).toEqual(gatewayApi);
    // Chart 19.0.2 renders the StatefulSet's env only with Let's Encrypt on.
    expect(prov['letsEncrypt']).toEqual({ enabled: true, acme: { email: 'ops@example.org' }, storage: { storageClass: 'local-path' } });
    expect(prov).not.toHaveProperty('ingress');
    expect(chartValues(manifest(p, 'akash-hostname-operator')!.yaml).values['gatewayApi']).toEqual(gatewayApi);
  });

  it('leaves the provider out without a usable email, and says why; the email error names where to set it', () => {
    for (const email of ['', '   ', 'not-an-email']) {
      const p = plan(input({ email }));
      expect(manifest(p, 'akash-provider')).toBeUndefined();
      expect(p.notes.join('\n')).toMatch(/No contact email yet \(chain\.provider\.email\)/);
      let err: unknown;
      try {
        requireProviderEmail(email);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(RigError);
      expect((err as RigError).code).toBe('precondition_failed');
      expect((err as RigError).message).toMatch(/email/);
      expect((err as RigError).fix).toMatch(/chain\.provider\.email/);
    }
    expect(manifest(plan(input({ email: 'ops@rig.example.com' })), 'akash-provider')).toBeDefined();
    // Without a wallet or a domain there is no provider chart, so no email note either.
    expect(plan(input({ email: '', domain: '' })).notes.join('\n')).not.toMatch(/contact email/);
  });


  it('runs NGINX Gateway Fabric as a host-port DaemonSet that replaces its pod before starting a new one', () => {
    const v = chartValues(manifest(plan(input()), 'nginx-gateway-fabric')!.yaml).values as {
      nginxGateway: Record<string, unknown>;
      nginx: { kind: string; service: { type: string }; container: { hostPorts: { port: number; containerPort: number }[] }; patches: { type: string; value: unknown }[] };
    };
    expect(v.nginxGateway).toMatchObject({ gatewayClassName: 'nginx', gwAPIExperimentalFeatures: { enable: true } });
    expect(v.nginx.kind).toBe('daemonSet');
    expect(v.nginx.service.type).toBe('ClusterIP');
    expect(v.nginx.container.hostPorts.map((h) => [h.port, h.containerPort])).toEqual([[80, 80], [443, 443], [8443, 8443], [8444, 8444]]);
    expect(v.nginx.patches).toEqual([{ type: 'StrategicMerge', value: { spec: { updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } } } } }]);
  });

  it('applies namespaces, then the pinned CRDs, then the charts (k3s applies its folder in file-name order)', () => {
    const p = plan(input());
    const files = p.applyOrder.map((a) => a.file);
    expect(files).toEqual([...files].sort());
    expect(new Set(files).size).toBe(files.length);
    const at = (pred: (a: (typeof p.applyOrder)[number]) => boolean) => p.applyOrder.findIndex(pred);
    const lastCrd = p.applyOrder.map((a) => a.kind).lastIndexOf('crd');
    expect(at((a) => a.kind === 'namespace')).toBe(0);
    expect(lastCrd).toBeLessThan(at((a) => a.kind === 'chart'));
    for (const c of ['akash-provider', 'akash-hostname-operator', 'akash-gateway', 'nginx-gateway-fabric']) expect(lastCrd).toBeLessThan(at((a) => a.component === c));
    // Every CRD the provider needs is listed with its pinned source and what it precedes.
    const akash = p.remoteManifests.find((r) => r.name === 'akash')!;
    expect(akash).toMatchObject({ file: 'riglease-1-crd-akash.yaml', url: expect.stringContaining('/akash-network/provider/afc4dd7c30a2ba3bb79d471e6dc5fa6ee14018ff/pkg/apis/akash.network/crd.yaml') });
    expect(akash.before).toEqual(['akash-hostname-operator', 'akash-inventory-operator', 'akash-provider']);
    expect(p.remoteManifests.find((r) => r.name === 'gateway-api-tcproutes')!.url).toBe('https://raw.githubusercontent.com/kubernetes-sigs/gateway-api/v1.5.1/config/crd/experimental/gateway.networking.k8s.io_tcproutes.yaml');
    expect(p.remoteManifests.some((r) => r.name === 'ngf-nginxproxies')).toBe(true);
    // The namespaces, labelled as Akash's playbook labels them.
    const ns = parseAllDocuments(manifest(p, 'namespaces')!.yaml).map((d) => d.toJSON() as { metadata: { name: string; labels?: Record<string, string> } });
    expect(Object.fromEntries(ns.map((n) => [n.metadata.name, n.metadata.labels ?? {}]))).toEqual({
      'akash-services': { 'akash.network/name': 'akash-services', 'akash.network': 'true' },
      lease: { 'akash.network': 'true' },
      'akash-gateway': { 'akash.network/name': 'akash-gateway', 'akash.network': 'true' },
      'nginx-gateway': {},
      'cert-manager': {},
      'nvidia-device-plugin': {},
    });
  });

  it('offers ram storage on a GPU host only, and a persistent class only with a StorageClass behind it', () => {
    const gpu = plan(input());
    const cpu = plan(input({ gpus: [] }));
    const storage = (p: ReturnType<typeof plan>) => (chartValues(manifest(p, 'akash-inventory-operator')!.yaml).values['inventoryConfig'] as { cluster_storage: string[] }).cluster_storage;
    const attrs = (p: ReturnType<typeof plan>) => chartValues(manifest(p, 'akash-provider')!.yaml).values['attributes'] as { key: string; value: string }[];
    expect(storage(gpu)).toEqual(['default', 'ram']);
    expect(storage(cpu)).toEqual(['default']);
    expect(attrs(gpu)).toEqual(expect.arrayContaining([{ key: 'capabilities/storage/2/class', value: 'ram' }, { key: 'capabilities/storage/2/persistent', value: 'false' }]));
    expect(attrs(cpu).map((a) => a.key)).not.toContain('capabilities/storage/2/class');
    expect(manifest(gpu, 'storageclass')).toBeUndefined();
    // An advertised persistent class (chain.provider.persistentStorageClass) gets a local-path StorageClass, first.
    const beta2 = plan(input({ attributes: [{ key: 'host', value: 'akash' }, { key: 'capabilities/storage/1/class', value: 'beta2' }, { key: 'capabilities/storage/1/persistent', value: 'true' }] }));
    expect(storage(beta2)).toEqual(['default', 'beta2', 'ram']);
    const sc = manifest(beta2, 'storageclass')!;
    expect(sc.file).toBe('riglease-0-storageclass.yaml');
    expect(parse(sc.yaml)).toMatchObject({ kind: 'StorageClass', metadata: { name: 'beta2', labels: { 'akash.network': 'true' } }, provisioner: 'rancher.io/local-path' });
  });

  it('schedules the device plugin on labels that exist here, not on NFD labels', () => {
    const v = chartValues(manifest(plan(input()), 'nvidia-device-plugin')!.yaml).values as { affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: { matchExpressions: { key: string }[] }[] } } } };
    const keys = v.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms.flatMap((t) => t.matchExpressions.map((e) => e.key));
    expect(keys).toEqual(['allow-nvdp']);
    expect(keys.some((k) => k.startsWith('feature.node.kubernetes.io'))).toBe(false);
    // This node carries that label exactly when its GPUs are passed in.
    expect(create(plan(input())).Cmd).toContain('--node-label=allow-nvdp=true');
    expect(create(plan(input({ gpus: [] }))).Cmd).not.toContain('--node-label=allow-nvdp=true');
    expect(plan(input({ gpus: [] })).manifests.map((m) => m.component)).not.toContain('nvidia-device-plugin');
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
    // An image override of the gateway's nginx changes only that chart.
    const img = plan(input({ images: { gatewayNginx: 'mirror.local/nginx:v1' } as StackSettings['images'] }));
    expect(Object.entries(hashes(img)).filter(([k, h]) => hashes(base)[k] !== h).map(([k]) => k)).toEqual(['nginx-gateway-fabric']);
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
