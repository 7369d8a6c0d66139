// Upstream's own charts are the oracle: each chart RigLease installs renders with its defaults
// (plus the values a provider must set) and every object is one the pinned API server accepts.
// Where upstream itself is broken, the exact error is asserted so this file documents it.
import { beforeAll, describe, expect, it } from 'vitest';
import { invalidObjects as invalid } from '../k8s/validate-rendered.js';
import { UPSTREAM, buildRenderer, renderChart, type RenderedChart } from './render.js';

const AKASH = `${UPSTREAM}/akash-helm-charts@f3d8d46/charts`;
const PROVIDER = `${AKASH}/akash-provider`;
/** What a provider must set: its address, domain, contact and RPC node (the chart defaults them empty). */
const PROVIDER_IDENTITY = {
  from: 'akash1qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqq',
  domain: 'provider.example.com',
  email: 'ops@example.com',
  node: 'https://rpc.example.com:443',
};

function envFromOf(rendered: RenderedChart): unknown[] {
  const sts = rendered.objects.find((o) => o.object.kind === 'StatefulSet')?.object as
    { spec: { template: { spec: { containers: { envFrom?: unknown[] }[] } } } } | undefined;
  return sts?.spec.template.spec.containers[0]?.envFrom ?? [];
}

// A cold build of the Go renderer takes seconds (minutes on a busy CI machine): not a test's time.
beforeAll(() => buildRenderer().then(() => undefined), 180_000);

describe('akash-provider 19.0.2 (helm-charts@f3d8d46)', () => {
  const release = { chartDir: PROVIDER, releaseName: 'akash-provider', namespace: 'akash-services' };

  it("with Let's Encrypt off renders AP_INGRESS_MODE/AP_GATEWAY_* inside envFrom, which the API server rejects", async () => {
    const rendered = await renderChart({ ...release, values: { ...PROVIDER_IDENTITY, letsEncrypt: { enabled: false } } });
    expect(envFromOf(rendered)).toContainEqual(expect.objectContaining({ name: 'AP_INGRESS_MODE' }));
    const path = 'spec.template.spec.containers[0].envFrom';
    expect(invalid(rendered)).toEqual({
      'provider/templates/statefulset.yaml StatefulSet/akash-provider': [1, 2, 3, 4].flatMap((i) => [
        `${path}[${i}]: unknown field "name" (V1EnvFromSource)`,
        `${path}[${i}]: unknown field "valueFrom" (V1EnvFromSource)`,
      ]),
    });
  });

  it("with Let's Encrypt on (and the provider's identity set) every object validates", async () => {
    const rendered = await renderChart({ ...release, values: { ...PROVIDER_IDENTITY, letsEncrypt: { enabled: true } } });
    expect(rendered.objects.map((o) => o.object.kind)).toContain('HTTPRoute');
    expect(envFromOf(rendered)).toEqual([{ configMapRef: { name: 'akash-provider-main' } }, { configMapRef: { name: 'akash-provider-letsencrypt' } }]);
    expect(invalid(rendered)).toEqual({});
  });

  it('with pure defaults the empty domain makes an invalid HTTPRoute hostname', async () => {
    const rendered = await renderChart({ ...release, values: {} });
    const route = rendered.objects.find((o) => o.object.kind === 'HTTPRoute')?.object.spec as { hostnames: string[] };
    expect(route.hostnames).toEqual(['provider.']);
    expect(invalid(rendered)).toEqual({
      'provider/templates/gateway.yaml HTTPRoute/akash-provider-letsencrypt-challenge': [
        "spec.hostnames[0]: should match '^(\\*\\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$'",
      ],
    });
  });
});

describe('every other upstream chart renders with its defaults and validates', () => {
  const charts: { name: string; chartDir: string; namespace: string; values?: Record<string, unknown>; chartVersion?: string; kinds: string[] }[] = [
    { name: 'akash-hostname-operator', chartDir: `${AKASH}/akash-hostname-operator`, namespace: 'akash-services', kinds: ['Deployment'] },
    { name: 'akash-inventory-operator', chartDir: `${AKASH}/akash-inventory-operator`, namespace: 'akash-services', kinds: ['Deployment'] },
    { name: 'akash-ip-operator', chartDir: `${AKASH}/akash-ip-operator`, namespace: 'akash-services', kinds: ['Deployment'] },
    { name: 'akash-gateway', chartDir: `${AKASH}/akash-gateway`, namespace: 'akash-gateway', kinds: ['Gateway'] },
    {
      name: 'nvidia-device-plugin v0.16.2',
      chartDir: `${UPSTREAM}/nvidia-k8s-device-plugin@v0.16.2/deployments/helm/nvidia-device-plugin`,
      namespace: 'nvidia-device-plugin',
      kinds: ['DaemonSet'],
    },
    {
      name: 'nvidia-device-plugin v0.16.2 with GFD (enables the node-feature-discovery subchart)',
      chartDir: `${UPSTREAM}/nvidia-k8s-device-plugin@v0.16.2/deployments/helm/nvidia-device-plugin`,
      namespace: 'nvidia-device-plugin',
      values: { gfd: { enabled: true } },
      kinds: ['DaemonSet', 'Deployment'],
    },
    { name: 'nginx-gateway-fabric v2.5.1', chartDir: `${UPSTREAM}/nginx-gateway-fabric@v2.5.1/charts/nginx-gateway-fabric`, namespace: 'nginx-gateway', kinds: ['Deployment', 'GatewayClass', 'NginxProxy'] },
    {
      name: 'cert-manager v1.19.1 (CRDs from the chart)',
      chartDir: `${UPSTREAM}/cert-manager@v1.19.1/deploy/charts/cert-manager`,
      chartVersion: 'v1.19.1',
      namespace: 'cert-manager',
      values: { crds: { enabled: true } },
      kinds: ['Deployment', 'CustomResourceDefinition', 'ValidatingWebhookConfiguration'],
    },
  ];
  for (const c of charts) {
    it(c.name, async () => {
      const rendered = await renderChart({ chartDir: c.chartDir, values: c.values ?? {}, releaseName: 'rel', namespace: c.namespace, chartVersion: c.chartVersion });
      const kinds = new Set(rendered.objects.map((o) => o.object.kind));
      for (const k of c.kinds) expect(kinds).toContain(k);
      expect(invalid(rendered)).toEqual({});
    });
  }

  it('nginx-gateway-fabric ships its CRDs through a crds/ link, which the renderer follows', async () => {
    const rendered = await renderChart({ chartDir: `${UPSTREAM}/nginx-gateway-fabric@v2.5.1/charts/nginx-gateway-fabric`, values: {}, releaseName: 'rel', namespace: 'nginx-gateway' });
    expect(rendered.crds.map((c) => (c.object.spec as { names: { kind: string } }).names.kind)).toContain('NginxProxy');
  });

  it('cert-manager renders its version from the folder pin, and refuses without one', async () => {
    const chartDir = `${UPSTREAM}/cert-manager@v1.19.1/deploy/charts/cert-manager`;
    const rendered = await renderChart({ chartDir, values: {}, releaseName: 'rel', namespace: 'cert-manager', chartVersion: 'v1.19.1' });
    const deployment = rendered.objects.find((o) => o.object.kind === 'Deployment')?.object.metadata as { labels: Record<string, string> };
    expect(deployment.labels['app.kubernetes.io/version']).toBe('v1.19.1');
    await expect(renderChart({ chartDir, values: {}, releaseName: 'rel', namespace: 'cert-manager' })).rejects.toThrow(/Chart.template.yaml needs chartVersion/);
  });
});
