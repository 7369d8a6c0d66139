// The checklist of a working single-node Akash provider, asserted over what the plan really makes:
// every chart rendered from its pinned upstream copy with the plan's values (test/stack/render-plan)
// and every file RigLease writes. The expectations come from upstream: Akash's own k3s playbook
// (provider-playbooks @4e78f28), the provider chart (helm-charts @f3d8d46), the provider's CRDs
// (provider @afc4dd7) and k3s's node labels — never from RigLease's own constants.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { StackSettings } from '../../api/schemas/settings/stack.js';
import type { StackPlan } from '../../api/schemas/stack.js';
import { UPSTREAM, buildRenderer, type K8sObject } from '../../../test/helm/render.js';
import { fixtureGpus } from '../../../test/stack/fixture-gpus.js';
import { renderPlanCharts, renderedObjects, type RenderedPlanChart } from '../../../test/stack/render-plan.js';
import { bidScript } from '../pricing/bid-script.js';
import { REMOTE_MANIFESTS } from './images.js';
import { plan } from './plan.js';

const PLAYBOOK = `${UPSTREAM}/akash-provider-playbooks@4e78f28/roles/provider/tasks/install.yml`;

function planFor(gpuFixture: string | null): StackPlan {
  return plan({
    settings: StackSettings.parse({ domain: 'rig.example.com', email: 'ops@rig.example.com' }),
    hardware: { gpus: gpuFixture ? fixtureGpus(gpuFixture) : [] },
    secrets: { walletAddress: 'akash1qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqq', walletKeyPresent: true },
    // What the app hands the stack (pricing-service.ts): the generated script, prices in /config.
    pricing: { script: bidScript(), env: {} },
  });
}

/** Every object RigLease writes itself, by kind. */
function written(p: StackPlan, kind: string): K8sObject[] {
  return p.manifests.flatMap((m) => parseAllDocuments(m.yaml).map((d) => d.toJSON() as K8sObject)).filter((o) => o['kind'] === kind);
}

const name = (o: K8sObject): string => (o['metadata'] as { name: string }).name;

/** Labels k3s v1.32 puts on a server node without being asked: kubelet's well-known labels, and
 *  control-plane/master = "true" (k3s-io/k3s pkg/server/server.go setNodeLabelsAndAnnotations). */
function serverNodeLabels(p: StackPlan): Record<string, string> {
  const cmd = (p.containers[0]!.create as { Cmd: string[] }).Cmd;
  const extra = Object.fromEntries(
    cmd.filter((a) => a.startsWith('--node-label=')).map((a) => a.slice('--node-label='.length).split('=') as [string, string]),
  );
  return {
    'kubernetes.io/os': 'linux',
    'kubernetes.io/arch': 'amd64',
    'kubernetes.io/hostname': p.prefix,
    'node-role.kubernetes.io/control-plane': 'true',
    'node-role.kubernetes.io/master': 'true',
    ...extra,
  };
}

interface Expr {
  key: string;
  operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist' | 'Gt' | 'Lt';
  values?: string[];
}

/** Kubernetes' required node affinity: any term matches when all of its expressions do. */
function affinityAdmits(terms: { matchExpressions?: Expr[] }[], labels: Record<string, string>): boolean {
  return terms.some((t) =>
    (t.matchExpressions ?? []).every((e) => {
      const v = labels[e.key];
      switch (e.operator) {
        case 'In': return v !== undefined && (e.values ?? []).includes(v);
        case 'NotIn': return v === undefined || !(e.values ?? []).includes(v);
        case 'Exists': return v !== undefined;
        case 'DoesNotExist': return v === undefined;
        default: return false;
      }
    }),
  );
}

let gpuPlan: StackPlan;
let cpuPlan: StackPlan;
let gpuCharts: Map<string, RenderedPlanChart>;
let cpuCharts: Map<string, RenderedPlanChart>;

beforeAll(async () => {
  await buildRenderer();
  gpuPlan = planFor('rtx4090_535.86.05_1gpu.xml');
  cpuPlan = planFor(null);
  gpuCharts = await renderPlanCharts(gpuPlan);
  cpuCharts = await renderPlanCharts(cpuPlan);
}, 300_000);

describe('a working single-node provider, as Akash installs one', () => {
  it("the provider's CRDs (manifests, providerhosts, providerleasedips) are applied before the provider and its operators", () => {
    const order = gpuPlan.applyOrder.map((a) => a.file);
    const defined = new Map<string, string>();
    for (const r of gpuPlan.remoteManifests) {
      const pin = REMOTE_MANIFESTS.find((x) => x.name === r.name)!;
      for (const d of parseAllDocuments(readFileSync(join(UPSTREAM, pin.mirrorPath), 'utf8'))) {
        const o = d.toJSON() as K8sObject | null;
        if (o?.['kind'] === 'CustomResourceDefinition') defined.set(name(o), r.file);
      }
    }
    for (const crd of ['manifests.akash.network', 'providerhosts.akash.network', 'providerleasedips.akash.network']) {
      const file = defined.get(crd);
      expect(file, `${crd} is applied by the plan`).toBeDefined();
      for (const needs of ['akash-provider', 'akash-hostname-operator', 'akash-inventory-operator']) {
        const chartFile = gpuPlan.manifests.find((m) => m.component === needs)!.file;
        expect(order.indexOf(file!), `${crd} before ${needs}`).toBeLessThan(order.indexOf(chartFile));
      }
    }
  });

  it("the namespaces Akash's playbook creates exist before the charts, with the playbook's labels", () => {
    const tasks = parse(readFileSync(PLAYBOOK, 'utf8')) as { name: string; loop?: { name: string; labels: Record<string, string> }[] }[];
    const expected = tasks.find((t) => t.name === 'Create namespaces with labels')!.loop!;
    expect(expected.map((n) => n.name)).toEqual(['akash-services', 'lease', 'akash-gateway']);
    const namespaces = written(gpuPlan, 'Namespace');
    for (const ns of expected) {
      const got = namespaces.find((n) => name(n) === ns.name);
      expect(got, ns.name).toBeDefined();
      expect((got!['metadata'] as { labels: Record<string, string> }).labels).toMatchObject(ns.labels);
    }
    const nsFile = gpuPlan.manifests.find((m) => written({ ...gpuPlan, manifests: [m] }, 'Namespace').length > 0)!.file;
    for (const m of gpuPlan.manifests.filter((x) => x.kind === 'chart')) expect(nsFile < m.file, `namespaces before ${m.file}`).toBe(true);
    // Every chart's target namespace is one the plan creates (or the chart's HelmChart creates).
    for (const m of gpuPlan.manifests.filter((x) => x.kind === 'chart')) {
      const spec = (parse(m.yaml) as { spec: { targetNamespace: string; createNamespace?: boolean } }).spec;
      expect(namespaces.some((n) => name(n) === spec.targetNamespace) || spec.createNamespace === true, m.component).toBe(true);
    }
  });

  it('the provider StatefulSet is valid and its env carries the provider settings and the gateway (AP_*) settings', () => {
    const [sts] = renderedObjects(gpuCharts, 'akash-provider', 'StatefulSet') as { spec: { template: { spec: { containers: { env: { name: string; value?: string }[]; envFrom: object[] }[] } } } }[];
    const c = sts!.spec.template.spec.containers[0]!;
    const env = Object.fromEntries(c.env.map((e) => [e.name, e.value]));
    expect(env).toMatchObject({ AKASH_FROM: 'akash1qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqq', AKASH_CLUSTER_PUBLIC_HOSTNAME: 'provider.rig.example.com', AKASH_BID_PRICE_STRATEGY: 'shellScript' });
    for (const k of ['AP_INGRESS_MODE', 'AP_GATEWAY_NAME', 'AP_GATEWAY_NAMESPACE', 'AP_GATEWAY_IMPLEMENTATION']) expect(Object.keys(env)).toContain(k);
    // envFrom holds only ConfigMap references: nothing of env leaked into it.
    for (const f of c.envFrom) expect(Object.keys(f)).toEqual(['configMapRef']);
  });

  it('hostname and inventory operators run; the inventory offers storage class default, plus ram on GPU hosts only', () => {
    expect(renderedObjects(gpuCharts, 'akash-hostname-operator', 'Deployment')).toHaveLength(1);
    expect(renderedObjects(gpuCharts, 'akash-inventory-operator', 'Deployment')).toHaveLength(1);
    const classes = (charts: Map<string, RenderedPlanChart>): string[] => {
      // The operator reads config.yaml from this ConfigMap (chart templates/config.yaml, `config-path`).
      const [cm] = renderedObjects(charts, 'akash-inventory-operator', 'ConfigMap', 'operator-inventory') as { data: Record<string, string> }[];
      return (parse(cm!.data['config.yaml']!) as { cluster_storage: string[] }).cluster_storage;
    };
    expect(classes(gpuCharts)).toEqual(expect.arrayContaining(['default', 'ram']));
    expect(classes(cpuCharts)).toContain('default');
    expect(classes(cpuCharts)).not.toContain('ram');
  });

  it('a GPU host gets RuntimeClass nvidia and a device plugin whose node affinity the node\'s real labels satisfy', () => {
    const rc = written(gpuPlan, 'RuntimeClass');
    expect(rc.map((r) => [name(r), r['handler']])).toEqual([['nvidia', 'nvidia']]);
    const [ds] = renderedObjects(gpuCharts, 'nvidia-device-plugin', 'DaemonSet') as { spec: { template: { spec: { runtimeClassName: string; affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: { matchExpressions?: Expr[] }[] } } } } } } }[];
    const terms = ds!.spec.template.spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms;
    expect(affinityAdmits(terms, serverNodeLabels(gpuPlan))).toBe(true);
    // The chart's default affinity (labels of NFD/GFD, which are not installed) would not be satisfied.
    const defaults = parse(readFileSync(`${UPSTREAM}/nvidia-k8s-device-plugin@v0.16.2/deployments/helm/nvidia-device-plugin/values.yaml`, 'utf8')) as { affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: { matchExpressions?: Expr[] }[] } } } };
    expect(affinityAdmits(defaults.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms, serverNodeLabels(gpuPlan))).toBe(false);
    expect(ds!.spec.template.spec.runtimeClassName).toBe('nvidia');
    // A CPU-only host installs neither.
    expect(written(cpuPlan, 'RuntimeClass')).toEqual([]);
    expect(cpuCharts.has('nvidia-device-plugin')).toBe(false);
  });

  it('tenants reach the node: listeners on 80 and 443, 8443 and 8444 passed through to the provider, all published by the k3s container', () => {
    const [gw] = renderedObjects(gpuCharts, 'akash-gateway', 'Gateway') as { spec: { listeners: { port: number; protocol: string }[] } }[];
    const ports = gw!.spec.listeners.map((l) => `${l.protocol}/${l.port}`);
    expect(ports).toEqual(expect.arrayContaining(['HTTP/80', 'HTTPS/443', 'TCP/8443', 'TCP/8444']));
    const routes = renderedObjects(gpuCharts, 'akash-gateway', 'TCPRoute') as { spec: { rules: { backendRefs: { name: string; namespace?: string; port: number }[] }[] } }[];
    const backends = routes.flatMap((r) => r.spec.rules.flatMap((x) => x.backendRefs)).map((b) => `${b.namespace}/${b.name}:${b.port}`);
    const [svc] = renderedObjects(gpuCharts, 'akash-provider', 'Service') as { metadata: { name: string; namespace: string }; spec: { ports: { port: number }[] } }[];
    expect(backends.sort()).toEqual([`${svc!.metadata.namespace}/${svc!.metadata.name}:8443`, `${svc!.metadata.namespace}/${svc!.metadata.name}:8444`]);
    expect(svc!.spec.ports.map((p) => p.port)).toEqual(expect.arrayContaining([8443, 8444]));
    // The data plane listens on the node itself, and Docker publishes those ports of the k3s container.
    const [proxy] = renderedObjects(gpuCharts, 'nginx-gateway-fabric', 'NginxProxy') as { spec: { kubernetes: { daemonSet: { container: { hostPorts: { port: number }[] } } } } }[];
    const hostPorts = proxy!.spec.kubernetes.daemonSet.container.hostPorts.map((h) => h.port);
    expect(hostPorts).toEqual(expect.arrayContaining([80, 443, 8443, 8444]));
    const published = gpuPlan.ports.filter((p) => p.protocol === 'tcp').map((p) => p.container);
    for (const port of [80, 443, 8443, 8444]) expect(published).toContain(port);
  });

  it("the bid script is mounted in the provider pod and reads RigLease's price table from /config", () => {
    const [sts] = renderedObjects(gpuCharts, 'akash-provider', 'StatefulSet') as { spec: { template: { spec: { containers: { env: { name: string; value?: string }[]; volumeMounts: { name: string; mountPath: string }[] }[]; volumes: { name: string; configMap?: { name: string }; hostPath?: { path: string } }[] } } } }[];
    const pod = sts!.spec.template.spec;
    const c = pod.containers[0]!;
    const scriptPath = c.env.find((e) => e.name === 'AKASH_BID_PRICE_SCRIPT_PATH')!.value!;
    const scriptsMount = c.volumeMounts.find((m) => scriptPath.startsWith(`${m.mountPath}/`))!;
    const scriptsVolume = pod.volumes.find((v) => v.name === scriptsMount.name)!;
    const [cm] = renderedObjects(gpuCharts, 'akash-provider', 'ConfigMap', scriptsVolume.configMap!.name) as { data: Record<string, string> }[];
    const script = cm!.data[scriptPath.slice(scriptsMount.mountPath.length + 1)]!;
    expect(script).toBe(bidScript());
    expect(script).toContain('config="/config/riglease-pricing.json"');
    // /config is the node folder RigLease writes the table into (node-file.ts).
    const configMount = c.volumeMounts.find((m) => m.mountPath === '/config')!;
    expect(pod.volumes.find((v) => v.name === configMount.name)!.hostPath!.path).toBe('/root/.akash/k8s-config');
  });

  it("the wallet reaches the chart through the Secret the plan writes, in the HelmChart's own namespace", () => {
    const chart = parse(gpuPlan.manifests.find((m) => m.component === 'akash-provider')!.yaml) as { metadata: { namespace: string }; spec: { valuesSecrets: { name: string; keys: string[] }[] } };
    const [ref] = chart.spec.valuesSecrets;
    const secrets = written(gpuPlan, 'Secret');
    const secret = secrets.find((s) => name(s) === ref!.name) as { metadata: { namespace: string }; stringData: Record<string, string> } | undefined;
    expect(secret).toBeDefined();
    expect(secret!.metadata.namespace).toBe(chart.metadata.namespace);
    expect(Object.keys(secret!.stringData)).toEqual(ref!.keys);
    // The plan shows the redacted form only.
    expect(JSON.stringify(gpuPlan)).not.toMatch(/BEGIN TENDERMINT PRIVATE KEY/);
  });
});
