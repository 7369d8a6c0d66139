import { describe, expect, it } from 'vitest';
import { fixtureGpus } from '../../../test/stack/fixture-gpus.js';
import { gpuNodeLabels } from '../../provider/stack/gpu-labels.js';
import { INVENTORY_LINKS } from '../../provider/stack/gpu-labels.js';
import { expectationsFromPlan } from './field-test-expect.js';
import type { StepOutcome } from './field-test-model.js';
import type { CommandRun, FieldProbe } from './field-test-probe.js';
import { fieldSteps, type FieldContext, type FieldPlan } from './field-test-steps.js';

/**
 * The steps without Docker: the probe is a plain object answering what a test says, so each
 * step's judgement of an answer (and the failure it reports) is checked on its own.
 */
const CONTAINER = 'riglease-k3s';
const ok = (args: string[], stdout: string): CommandRun => ({ command: `docker exec ${CONTAINER} kubectl ${args.join(' ')}`, exitCode: 0, stdout, stderr: '' });

function probe(answer: (args: string[]) => CommandRun, drm: { exists: boolean; addresses: string[] } | null = null): FieldProbe {
  return {
    container: CONTAINER,
    inspect: async () => ({ exists: true, running: true, status: 'running', image: 'img', restarts: 0, hostname: 'riglease-node' }),
    imagePresent: async () => ({ present: true, id: 'sha256:1', error: null }),
    kubectl: async (args) => answer(args),
    drm: async () => drm,
    httpsGet: async (url) => ({ command: `curl -k --max-time 5 ${url}`, status: null, exitCode: null, stdout: '', stderr: 'ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:8443' }),
  };
}

const rtx = gpuNodeLabels(fixtureGpus('rtx4090_535.86.05_1gpu.xml')).perGpu;
const plan = (gpuLabels = rtx): FieldPlan => ({ containers: [{ name: CONTAINER, image: 'img' }], ports: [{ host: 18443, container: 8443 }], gpuLabels, notes: ['No provider domain set (stack.domain): the Akash provider chart is left out until one is.'] });

function ctx(p: FieldProbe, over: Partial<FieldContext> = {}): FieldContext {
  return {
    probe: p,
    plan: plan(),
    expect: expectationsFromPlan({ manifests: [] }),
    up: { ok: true, error: null, log: [] },
    waitMs: 0,
    pollMs: 10,
    order: {},
    quote: async () => ({ bid: true, price: '1', reason: null, denom: 'uact' }),
    walletAddress: null,
    farm: null,
    ...over,
  };
}

async function run(id: string, c: FieldContext): Promise<StepOutcome> {
  const step = fieldSteps({ waitMs: 0 }).find((s) => s.id === id)!;
  return step.run(c, new AbortController().signal, () => undefined);
}

const MODEL = 'akash.network/capabilities.gpu.vendor.nvidia.model.rtx4090';
const nodeJson = (labels: Record<string, string>) => JSON.stringify({ apiVersion: 'v1', kind: 'Node', metadata: { name: 'riglease-node', labels: { 'kubernetes.io/hostname': 'riglease-node', ...labels } }, status: { conditions: [{ type: 'Ready', status: 'True' }] } });

describe('field test steps (no Docker)', () => {
  it('the step list is data: ids, order and what each needs, so a farm step is one more entry', () => {
    expect(fieldSteps({ waitMs: 0 }).map((s) => `${s.id}<${s.needs.join(',')}`)).toEqual(['stack<', 'k3s<stack', 'crds<k3s', 'namespaces<k3s', 'charts<k3s', 'inventory<charts', 'provider-api<charts', 'self-quote<charts']);
  });

  it('step 1 reports a failed `up` with its last log lines and message', async () => {
    const o = await run('stack', ctx(probe(() => ok([], '')), { up: { ok: false, error: 'Port 8443 is in use by another program.', log: ['Planning…', 'Pre-flight checks…'] } }));
    expect(o).toMatchObject({ ok: false, failure: { command: 'riglease stack up', exitCode: 1, output: ['Planning…', 'Pre-flight checks…', 'Port 8443 is in use by another program.'] } });
  });

  it('inventory: the GPU is found when the operator labelled the node for it, else missing with the cause read from /sys/class/drm', async () => {
    const labelled = nodeJson({ [MODEL]: '1', [`${MODEL}.ram.24Gi`]: '1', [`${MODEL}.interface.PCIe`]: '1' });
    const found = await run('inventory', ctx(probe((a) => ok(a, labelled))));
    expect(found.ok).toBe(true);
    expect(found.details?.[0]).toMatch(/^NVIDIA GeForce RTX 4090 \(GPU-[0-9a-f-]+\): found: Recognised by Akash's inventory/);

    const missing = await run('inventory', ctx(probe((a) => ok(a, nodeJson({ 'akash.network': 'true' })), { exists: false, addresses: [] })));
    expect(missing).toMatchObject({ ok: false, summary: "1 of 1 selected GPU(s) are not listed by Akash's inventory." });
    expect(missing.details?.[0]).toMatch(/: missing: .*this machine has no \/sys\/class\/drm at all/);
    expect(missing.fix).toContain('sudo modprobe nvidia_drm');
    expect(missing.fix).toContain(INVENTORY_LINKS.aibIssue);
    expect(missing.failure?.command).toBe(`docker exec ${CONTAINER} kubectl get node riglease-node -o json`);
  });

  it('a kubectl answer that is not JSON, or not in the documented shape, is a failure that says so', async () => {
    const text = await run('k3s', ctx(probe((a) => ok(a, 'No resources found'))));
    expect(text).toMatchObject({ ok: false, summary: 'kubectl printed something that is not JSON.', failure: { exitCode: 0, output: ['No resources found'] } });
    const shape = await run('crds', ctx(probe((a) => ok(a, '{"kind":"List"}'))));
    expect(shape.summary).toMatch(/^kubectl's answer does not have the shape Kubernetes documents/);
  });

  it('the provider steps say why when the provider chart is not planned; the API step names the URL it tried', async () => {
    const c = ctx(probe((a) => ok(a, '')));
    const api = await run('provider-api', c);
    expect(api).toMatchObject({ ok: false, summary: 'The Akash provider is not part of the stack yet: No provider domain set (stack.domain): the Akash provider chart is left out until one is.' });
    const withProvider = { ...c, expect: { ...c.expect, provider: true } };
    const refused = await run('provider-api', withProvider);
    expect(refused.failure).toEqual({ command: 'curl -k --max-time 5 https://127.0.0.1:18443/status', exitCode: null, output: ['ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:8443'] });
  });
});
