// The planned stack against the real charts: every chart RigLease plans is rendered from the
// pinned upstream copy with exactly the values the plan gives it, and every object — rendered or
// written by RigLease itself — must be one a v1.32 API server accepts (test/helm, test/k8s).
import { parseAllDocuments } from 'yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { StackSettings } from '../../api/schemas/settings/stack.js';
import { buildRenderer, type K8sObject } from '../../../test/helm/render.js';
import { upstreamCrds } from '../../../test/k8s/crds.js';
import { validateObject } from '../../../test/k8s/validate.js';
import { invalidObjects } from '../../../test/k8s/validate-rendered.js';
import { fixtureGpus } from '../../../test/stack/fixture-gpus.js';
import { renderPlanCharts, type RenderedPlanChart } from '../../../test/stack/render-plan.js';
import { plan } from './plan.js';

const thePlan = plan({
  settings: StackSettings.parse({ domain: 'rig.example.com', email: 'ops@rig.example.com' }),
  hardware: { gpus: fixtureGpus('rtx4090_535.86.05_1gpu.xml') },
  secrets: { walletAddress: 'akash1qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqq', walletKeyPresent: true },
  pricing: { script: '#!/bin/bash\necho 1.5\n', env: { PRICE_TARGET_GPU_MAPPINGS: 'rtx4090=120' } },
});

let rendered = new Map<string, RenderedPlanChart>();
const crds = upstreamCrds();

beforeAll(async () => {
  await buildRenderer();
  rendered = await renderPlanCharts(thePlan);
}, 300_000);

const objects = (component: string): K8sObject[] => rendered.get(component)!.objects.map((o) => o.object);
const find = (component: string, kind: string) => objects(component).find((o) => o['kind'] === kind) as Record<string, never>;

describe('the planned stack rendered from the pinned charts', () => {
  it('every chart renders, and every object in it is valid', () => {
    expect([...rendered.keys()].sort()).toEqual(['akash-gateway', 'akash-hostname-operator', 'akash-inventory-operator', 'akash-provider', 'cert-manager', 'nginx-gateway-fabric', 'nvidia-device-plugin']);
    for (const [component, r] of rendered) expect(invalidObjects(r, crds), component).toEqual({});
  });

  it('every manifest RigLease writes itself (HelmCharts, namespaces, TLS, RuntimeClass, wallet Secret) is valid', () => {
    for (const m of thePlan.manifests) {
      for (const doc of parseAllDocuments(m.yaml)) {
        const obj = doc.toJSON() as K8sObject;
        expect(validateObject(obj, { crds }), `${m.file} ${String(obj['kind'])}`).toEqual([]);
      }
    }
  });

  it('the provider StatefulSet carries its env (gateway mode) and its home volume is on a class k3s has', () => {
    const sts = find('akash-provider', 'StatefulSet') as unknown as {
      spec: { volumeClaimTemplates: { spec: { storageClassName?: string } }[]; template: { spec: { containers: { env?: { name: string }[]; envFrom: unknown[] }[] } } };
    };
    const c = sts.spec.template.spec.containers[0]!;
    expect(c.env!.map((e) => e.name)).toEqual(expect.arrayContaining(['AP_INGRESS_MODE', 'AP_GATEWAY_NAME', 'AP_GATEWAY_NAMESPACE', 'AP_GATEWAY_IMPLEMENTATION', 'AKASH_BID_PRICE_SCRIPT_PATH']));
    expect(sts.spec.volumeClaimTemplates[0]!.spec.storageClassName).toBe('local-path');
    const cm = objects('akash-provider').find((o) => o['kind'] === 'ConfigMap' && (o['metadata'] as { name: string }).name === 'akash-provider-main') as { data: Record<string, string> };
    expect(cm.data).toMatchObject({ AP_INGRESS_MODE: 'gateway-api', AP_GATEWAY_NAME: 'akash-gateway', AP_GATEWAY_NAMESPACE: 'akash-gateway', AP_GATEWAY_IMPLEMENTATION: 'nginx' });
    const le = objects('akash-provider').find((o) => o['kind'] === 'ConfigMap' && (o['metadata'] as { name: string }).name === 'akash-provider-letsencrypt') as { data: Record<string, string> };
    expect(le.data['AP_CERT_ISSUER_EMAIL']).toBe('ops@rig.example.com');
    // The bid script is still mounted from the chart (the price table itself comes from /config).
    const scripts = objects('akash-provider').find((o) => o['kind'] === 'ConfigMap' && (o['metadata'] as { name: string }).name === 'akash-provider-script') as { data: Record<string, string> };
    expect(scripts.data['price_script.sh']).toBe('#!/bin/bash\necho 1.5\n');
    // The Let's Encrypt challenge route hangs off the akash-gateway's Gateway.
    expect(find('akash-provider', 'HTTPRoute')).toMatchObject({ spec: { parentRefs: [{ name: 'akash-gateway', namespace: 'akash-gateway' }], hostnames: ['provider.rig.example.com'] } });
  });

  it('the hostname operator runs in gateway mode; the gateway has the TCP routes to the provider', () => {
    const cm = find('akash-hostname-operator', 'ConfigMap') as unknown as { data: Record<string, string> };
    expect(cm.data).toMatchObject({ 'ingress-mode': 'gateway-api', 'gateway-name': 'akash-gateway', 'gateway-namespace': 'akash-gateway' });
    const gw = find('akash-gateway', 'Gateway') as unknown as { spec: { gatewayClassName: string; listeners: { name: string; port: number; hostname?: string }[] } };
    expect(gw.spec.gatewayClassName).toBe('nginx');
    expect(gw.spec.listeners.map((l) => l.port)).toEqual([80, 8443, 8444, 443, 443]);
    expect(gw.spec.listeners.find((l) => l.name === 'https-wildcard')!.hostname).toBe('*.ingress.rig.example.com');
    expect(objects('akash-gateway').filter((o) => o['kind'] === 'TCPRoute')).toHaveLength(2);
  });

  it('NGINX Gateway Fabric: class nginx, nginx as a host-port DaemonSet that deletes the old pod first', () => {
    expect(find('nginx-gateway-fabric', 'GatewayClass')).toMatchObject({ metadata: { name: 'nginx' } });
    const proxy = find('nginx-gateway-fabric', 'NginxProxy') as unknown as { spec: { kubernetes: { daemonSet: { container: { hostPorts: unknown[] }; patches: unknown[] } } } };
    expect(proxy.spec.kubernetes.daemonSet.container.hostPorts).toHaveLength(4);
    expect(proxy.spec.kubernetes.daemonSet.patches).toEqual([{ type: 'StrategicMerge', value: { spec: { updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } } } } }]);
  });

  it('the device plugin DaemonSet can be scheduled on this node; the inventory operator reports ram', () => {
    const ds = find('nvidia-device-plugin', 'DaemonSet') as unknown as { spec: { template: { spec: { runtimeClassName: string; affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: { matchExpressions: { key: string }[] }[] } } } } } } };
    expect(ds.spec.template.spec.runtimeClassName).toBe('nvidia');
    const keys = ds.spec.template.spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms.flatMap((t) => t.matchExpressions.map((e) => e.key));
    // The GPU-node label this node's k3s sets on itself (container-spec.ts k3sArgs).
    expect(keys).toEqual(['allow-nvdp']);
    const cfg = find('akash-inventory-operator', 'ConfigMap') as unknown as { data: Record<string, string> };
    expect(Object.values(cfg.data).join('\n')).toMatch(/ram/);
  });
});
