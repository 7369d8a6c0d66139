import { describe, expect, it } from 'vitest';
import { judgeCrds, judgeHelmJobs, judgeNamespaces, judgeNodes, judgePods, judgeQuotes, sameDecimal } from './field-test-evaluate.js';
import { AKASH_CRDS, GATEWAY_CRDS, expectationsFromPlan } from './field-test-expect.js';
import { KubeCrd, KubeJob, KubeNamespace, KubeNode, KubePod, listOf } from './field-test-kube-json.js';
import { bodySummary } from './field-test-steps.js';

/** Objects in the shapes kubectl prints (see field-test-kube-json.ts for the documents). */
const node = (ready: string) => KubeNode.parse({ apiVersion: 'v1', kind: 'Node', metadata: { name: 'rl-node' }, status: { conditions: [{ type: 'Ready', status: ready, reason: ready === 'True' ? 'KubeletReady' : 'KubeletNotReady', message: 'x' }] } });
const crd = (name: string, established = 'True') => KubeCrd.parse({ kind: 'CustomResourceDefinition', metadata: { name }, status: { conditions: [{ type: 'NamesAccepted', status: 'True' }, { type: 'Established', status: established }] } });
const ns = (name: string, labels: Record<string, string> = {}) => KubeNamespace.parse({ kind: 'Namespace', metadata: { name, labels: { 'kubernetes.io/metadata.name': name, ...labels } }, status: { phase: 'Active' } });
const job = (release: string, status: object) => KubeJob.parse({ kind: 'Job', metadata: { name: `helm-install-${release}`, namespace: 'kube-system' }, status });
const pod = (namespace: string, name: string, phase: string, ready: boolean, waiting?: { reason: string; message?: string }) =>
  KubePod.parse({
    kind: 'Pod',
    metadata: { name, namespace },
    status: { phase, conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }], containerStatuses: [{ name: 'c', ready, restartCount: waiting ? 3 : 0, state: waiting ? { waiting } : { running: { startedAt: '2026-12-01T00:00:00Z' } } }] },
  });

const helmChart = (name: string, ns: string) => `# Written by RigLease\napiVersion: helm.cattle.io/v1\nkind: HelmChart\nmetadata:\n  name: ${name}\n  namespace: kube-system\nspec:\n  chart: x\n  targetNamespace: ${ns}\n`;

describe('field test judgements', () => {
  it('nodes: Ready passes; NotReady fails with the reason; an empty list fails', () => {
    expect(judgeNodes([node('True')])).toMatchObject({ ok: true, details: ['rl-node: Ready=True (KubeletReady: x)'] });
    expect(judgeNodes([node('False')])).toMatchObject({ ok: false, summary: 'k3s answers, but 1 of 1 node(s) are not Ready.' });
    expect(judgeNodes([]).ok).toBe(false);
    // The list shape kubectl prints parses; a bare object does not.
    expect(listOf(KubeNode).safeParse({ apiVersion: 'v1', kind: 'List', items: [], metadata: { resourceVersion: '' } }).success).toBe(true);
    expect(listOf(KubeNode).safeParse({ kind: 'Node' }).success).toBe(false);
  });

  it('CRDs: each required one established; missing and not-yet-established are named', () => {
    const all = AKASH_CRDS.map((n) => crd(n));
    expect(judgeCrds(all, AKASH_CRDS).ok).toBe(true);
    const r = judgeCrds([crd(AKASH_CRDS[0]!), crd(AKASH_CRDS[1]!, 'False')], AKASH_CRDS);
    expect(r.ok).toBe(false);
    expect(r.details).toEqual(['manifests.akash.network: established', 'providerhosts.akash.network: not established yet', 'providerleasedips.akash.network: missing']);
  });

  it('namespaces: present, Active and labelled akash.network=true where Akash needs it', () => {
    const want = [{ name: 'akash-services', akashLabel: true }, { name: 'lease', akashLabel: true }, { name: 'cert-manager', akashLabel: false }];
    expect(judgeNamespaces([ns('akash-services', { 'akash.network': 'true' }), ns('lease', { 'akash.network': 'true' }), ns('cert-manager')], want).ok).toBe(true);
    const r = judgeNamespaces([ns('akash-services')], want);
    expect(r.details).toEqual(['akash-services: exists, but without the label akash.network=true', 'lease: missing', 'cert-manager: missing']);
  });

  it('charts: helm-install jobs complete; failed ones carry the Job condition message', () => {
    const charts = [{ release: 'akash-provider', namespace: 'akash-services' }, { release: 'cert-manager', namespace: 'cert-manager' }, { release: 'akash-gateway', namespace: 'akash-gateway' }];
    const r = judgeHelmJobs([job('akash-provider', { succeeded: 1, conditions: [{ type: 'Complete', status: 'True' }] }), job('cert-manager', { failed: 6, conditions: [{ type: 'Failed', status: 'True', reason: 'BackoffLimitExceeded', message: 'Job has reached the specified backoff limit' }] })], charts);
    expect(r.ok).toBe(false);
    expect(r.details).toEqual(['akash-provider: installed', 'cert-manager: install failed (Job has reached the specified backoff limit)', 'akash-gateway: install job not started']);
  });

  it('pods: every pod of each chart namespace Ready or completed; a namespace without pods is not ready', () => {
    const ok = judgePods([pod('akash-services', 'akash-provider-0', 'Running', true), pod('akash-services', 'job-x', 'Succeeded', false)], ['akash-services']);
    expect(ok).toMatchObject({ ok: true, details: ['akash-services/akash-provider-0: Ready', 'akash-services/job-x: completed'] });
    const bad = judgePods([pod('nvidia-device-plugin', 'nvdp-abc', 'Pending', false, { reason: 'ImagePullBackOff', message: 'Back-off pulling image "nvcr.io/nvidia/k8s-device-plugin:v0.16.2"' })], ['nvidia-device-plugin', 'akash-gateway']);
    expect(bad.ok).toBe(false);
    expect(bad.details).toEqual(['nvidia-device-plugin/nvdp-abc: Pending, ImagePullBackOff: Back-off pulling image "nvcr.io/nvidia/k8s-device-plugin:v0.16.2", restarted 3×', 'akash-gateway: no pods yet']);
  });

  it('quotes: the script and the quote agree on the number (trailing zeros aside), or both refuse', () => {
    const q = { bid: true, price: '12.500000', reason: null, denom: 'uact' };
    expect(judgeQuotes({ exitCode: 0, stdout: '12.5\n', stderr: '' }, q).ok).toBe(true);
    const differ = judgeQuotes({ exitCode: 0, stdout: '13\n', stderr: '' }, q);
    expect(differ).toMatchObject({ ok: false, summary: 'The provider\'s bid script says 13, "riglease pricing quote" says 12.500000.' });
    expect(judgeQuotes({ exitCode: 1, stdout: '', stderr: 'no bid: paused: gaming\n' }, { bid: false, price: null, reason: 'paused: gaming', denom: 'uact' }).ok).toBe(true);
    expect(judgeQuotes({ exitCode: 126, stdout: '', stderr: 'exec: "/scripts/price_script.sh": permission denied' }, q).details?.[0]).toBe('bid script in the provider pod: no bid (exec: "/scripts/price_script.sh": permission denied)');
    expect(sameDecimal('0.010', '.01')).toBe(false);
    expect(sameDecimal('007.10', '7.1')).toBe(true);
  });

  it('the /status body is summarised on one line', () => {
    expect(bodySummary('{"cluster":{},"bidengine":{},"manifest":{}}')).toBe('JSON with cluster, bidengine, manifest');
    expect(bodySummary('')).toBe('(empty)');
  });
});

describe('field test expectations from the stack plan', () => {
  it('ingress-era plan: Akash CRDs and namespaces, one pod namespace per chart, no Gateway API', () => {
    const e = expectationsFromPlan({
      manifests: [
        { yaml: helmChart('nvidia-device-plugin', 'nvidia-device-plugin') },
        { yaml: helmChart('ingress-nginx', 'ingress-nginx') },
        { yaml: helmChart('akash-inventory-operator', 'akash-services') },
        { yaml: 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: riglease-provider-wallet\nstringData:\n  values.yaml: "[redacted]"\n' },
      ],
    });
    expect(e.crds).toEqual(AKASH_CRDS);
    expect(e.namespaces).toEqual([{ name: 'akash-services', akashLabel: true }, { name: 'lease', akashLabel: true }]);
    expect(e.charts.map((c) => c.release)).toEqual(['nvidia-device-plugin', 'ingress-nginx', 'akash-inventory-operator']);
    expect(e.podNamespaces).toEqual(['nvidia-device-plugin', 'ingress-nginx', 'akash-services']);
    expect(e.provider).toBe(false);
  });

  it('gateway-era plan: Gateway API CRDs and akash-gateway join; planned Namespaces and CRDs are added', () => {
    const namespaces = 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: akash-services\n  labels:\n    akash.network: "true"\n---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: cert-manager\n';
    const e = expectationsFromPlan({
      manifests: [
        { yaml: namespaces },
        { yaml: 'apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n  name: nginxproxies.gateway.nginx.org\n' },
        { yaml: helmChart('nginx-gateway-fabric', 'nginx-gateway') },
        { yaml: helmChart('akash-gateway', 'akash-gateway') },
        { yaml: helmChart('akash-provider', 'akash-services') },
      ],
    });
    expect(e.crds).toEqual([...AKASH_CRDS, 'nginxproxies.gateway.nginx.org', ...GATEWAY_CRDS]);
    expect(e.namespaces).toEqual([{ name: 'akash-services', akashLabel: true }, { name: 'lease', akashLabel: true }, { name: 'akash-gateway', akashLabel: true }, { name: 'cert-manager', akashLabel: false }]);
    expect(e.podNamespaces).toEqual(['nginx-gateway', 'akash-gateway', 'akash-services']);
    expect(e.provider).toBe(true);
  });
});
