import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type Docker from 'dockerode';
import { afterAll, describe, expect, it } from 'vitest';
import { testDockerEngine } from '../../../test/docker/engine.js';
import { crd, helmJob, namespace, node, nodeList, readyPod, useKubectlScenario } from '../../../test/stack/kubectl-standin.js';
import { cleanup, stackEnv } from '../../../test/stack/stack-env.js';
import { PricingSettings } from '../../api/schemas/settings/pricing.js';
import { quote } from '../../provider/pricing/quote.js';
import { expectationsFromPlan } from './field-test-expect.js';
import { FieldTestReport } from './field-test-model.js';
import { dockerFieldProbe } from './field-test-probe.js';
import { formatReport } from './field-test-report.js';
import { runFieldTest, sampleOrder, type FieldTestDeps } from './field-test.js';

const engine = await testDockerEngine();
const d = engine.ok ? describe : describe.skip;

const WALLET = 'akash1qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqq';

/** The quote `riglease pricing quote` would print with default prices (no market, ACT needs no AKT price). */
function defaultQuote(order: unknown) {
  const q = quote(order, PricingSettings.parse({}), null, null, { local: [], paused: false, now: new Date() });
  return { bid: q.bid, price: q.price, reason: q.reason, denom: q.denom };
}

d('field test against the real engine (stand-in k3s, kubectl stand-in answering in kubectl\'s shapes)', () => {
  let docker: Docker;
  const prefixes: string[] = [];
  const homes: string[] = [];
  afterAll(async () => {
    for (const p of prefixes) await cleanup(docker, p);
    for (const h of homes) await rm(h, { recursive: true, force: true });
  });

  it('passes every step the stand-in can satisfy, fails the first it cannot with the exact call, and writes a 0600 report', async () => {
    if (!engine.ok) return;
    docker = engine.docker;
    const e = await stackEnv(docker, { email: 'ops@example.org' });
    prefixes.push(e.prefix);
    const home = await mkdtemp(path.join(os.tmpdir(), 'riglease-field-'));
    homes.push(home);
    // The container must exist to hold the kubectl stand-in; the field test's own `up` then changes nothing.
    const first = await e.tasks.wait(e.service.up().id);
    expect(first.state, JSON.stringify(first.error)).toBe('succeeded');
    const plan = await e.service.plan();
    const container = docker.getContainer(plan.containers[0]!.name);
    const hostname = (await container.inspect()).Config.Hostname;
    const want = expectationsFromPlan(plan);
    const order = sampleOrder(null);
    const expected = defaultQuote(order);
    expect(expected.bid, expected.reason ?? '').toBe(true);
    const scenario = await useKubectlScenario(container, {
      nodes: nodeList(node(hostname, {})),
      crds: nodeList(...want.crds.map((n) => crd(n)), crd('addons.k3s.cattle.io')),
      namespaces: nodeList(namespace('kube-system'), ...want.namespaces.map((n) => namespace(n.name, n.akashLabel ? { 'akash.network': 'true' } : {}))),
      jobs: nodeList(...want.charts.map((c) => helmJob(c.release))),
      allPods: nodeList(readyPod('kube-system', 'coredns-6799fbcd5-x2x7z'), ...want.podNamespaces.map((ns) => readyPod(ns, `${ns}-0`))),
      node: node(hostname, {}),
      // The provider pod's bid script, standing in: prints what RigLease's script would.
      exec: { stdout: `${expected.price}\n` },
    });

    const deps: FieldTestDeps = {
      plan: () => e.service.plan(),
      up: async () => {
        const done = await e.tasks.wait(e.service.up().id);
        return { ok: done.state === 'succeeded', error: done.error?.message ?? null, log: done.log };
      },
      down: async () => (await e.service.down()).message,
      probe: (p) => dockerFieldProbe(docker, p.containers[0]!.name),
      scan: async () => null,
      quote: async (o) => defaultQuote(o),
      walletAddress: async () => WALLET,
      version: 'test',
      env: {},
      home,
    };
    const progress: string[] = [];
    const { report, files } = await runFieldTest(deps, { keep: false, waitMs: 1500, pollMs: 250, onEnd: (r) => progress.push(`${r.n}:${r.status}`) });

    const by = (id: string) => report.steps.find((s) => s.id === id)!;
    expect(report.steps.map((s) => `${s.n}:${s.id}:${s.status}`)).toEqual([
      '1:stack:passed',
      '2:k3s:passed',
      '3:crds:passed',
      '4:namespaces:passed',
      '5:charts:passed',
      // This engine has no GPU runtime, so the stack runs with no GPU selected.
      '6:inventory:failed',
      // Nothing in the stand-in serves HTTPS on 8443.
      '7:provider-api:failed',
      '8:self-quote:passed',
    ]);
    expect(progress).toEqual(report.steps.map((s) => `${s.n}:${s.status}`));
    expect(by('k3s').details).toEqual([`${hostname}: Ready=True (KubeletReady: kubelet is posting ready status)`]);
    expect(by('crds').details).toContain('manifests.akash.network: established');
    expect(by('charts').details).toContain(`${want.charts[0]!.release}: installed`);
    expect(by('inventory').summary).toMatch(/No GPU is selected/);
    const port = plan.ports.find((p) => p.container === 8443)!.host;
    expect(by('provider-api').failure?.command).toBe(`curl -k --max-time 5 https://127.0.0.1:${port}/status`);
    expect(by('provider-api').failure?.exitCode).toBeNull();
    expect(by('provider-api').failure?.output.join(' ')).toMatch(/ECONNRESET|ECONNREFUSED|socket hang up|EPROTO/);
    expect(by('self-quote').summary).toContain(`agree: ${expected.price} uact per block`);

    // The order reached the script on stdin, and the script ran in the provider pod with the denom.
    expect(JSON.parse(await scenario.read('exec-stdin.json'))).toEqual(order);
    const calls = await scenario.calls();
    expect(calls).toContain(`exec -i -n akash-services akash-provider-0 -c provider -- env AKASH_DENOM=uact AKASH_OWNER=${WALLET} /scripts/price_script.sh`);
    expect(calls).toContain('get nodes -o json');
    // Read only: the field test never changes the cluster.
    expect(calls.filter((c) => /^(label|patch|annotate|apply|delete|create)\b/.test(c))).toEqual([]);

    // Written where asked for by default, only for this user, and readable back.
    expect(files.json.startsWith(path.join(home, 'reports', 'field-test-'))).toBe(true);
    for (const f of [files.json, files.text]) expect((await stat(f)).mode & 0o777).toBe(0o600);
    expect(FieldTestReport.parse(JSON.parse(await readFile(files.json, 'utf8')))).toEqual(report);
    expect(await readFile(files.text, 'utf8')).toBe(formatReport(report));
    // The stack was running before (this test started it), so it is left running.
    expect(report.afterwards).toMatch(/left running/);
    expect(report.passed).toBe(false);
  }, 120_000);
});
