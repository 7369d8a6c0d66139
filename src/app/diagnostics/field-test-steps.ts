import type { z } from 'zod';
import type { StackPlan } from '../../api/schemas/stack.js';
import { AKASH_NAMESPACE } from '../../provider/stack/manifests.js';
import { gpuInventory } from '../../provider/stack/status-model.js';
import { judgeCrds, judgeHelmJobs, judgeNamespaces, judgeNodes, judgePods, judgeQuotes } from './field-test-evaluate.js';
import type { FieldExpectations } from './field-test-expect.js';
import { KubeCrd, KubeJob, KubeNamespace, KubeNode, KubePod, listOf } from './field-test-kube-json.js';
import { lastLines, type StepOutcome } from './field-test-model.js';
import type { CommandRun, FieldProbe } from './field-test-probe.js';
import type { FieldStep } from './field-test-runner.js';
import type { FarmExpectation } from './field-test-farm.js';

/** What `riglease pricing quote` answers, as far as the comparison needs it. */
export interface QuoteAnswer {
  bid: boolean;
  price: string | null;
  reason: string | null;
  denom: string;
}

/** The parts of the stack plan the steps read (a StackPlan is one). */
export interface FieldPlan {
  containers: readonly { name: string; image: string }[];
  ports: readonly { host: number; container: number }[];
  gpuLabels: StackPlan['gpuLabels'];
  notes: readonly string[];
}

export interface FieldContext {
  probe: FieldProbe;
  plan: FieldPlan;
  expect: FieldExpectations;
  /** How the stack service's `up` ended; its failure is step 1's. */
  up: { ok: boolean; error: string | null; log: string[] };
  /** How long a step waits for the cluster to settle (charts download images for minutes). */
  waitMs: number;
  pollMs: number;
  order: unknown;
  quote(order: unknown): Promise<QuoteAnswer>;
  walletAddress: string | null;
  /** `--farm`: the members the controller knows (field-test-farm.ts); null = a single machine. */
  farm: FarmExpectation | null;
}

/** The provider pod (StatefulSet `akash-provider`, chart container `provider`) and its bid script path (chart statefulset.yaml, configmap-scripts.yaml). */
export const PROVIDER_POD = 'akash-provider-0';
export const PROVIDER_CONTAINER = 'provider';
export const BID_SCRIPT_PATH = '/scripts/price_script.sh';

const failed = (run: CommandRun, why: string, fix?: string): StepOutcome => ({ ok: false, summary: why, failure: { command: run.command, exitCode: run.exitCode, output: lastLines(run.stderr, run.stdout) }, ...(fix ? { fix } : {}) });

/** The judgement failed on a command that worked: the failure's output is what was judged. */
export const withRun = (run: CommandRun, o: StepOutcome): StepOutcome => (o.ok ? o : { ...o, failure: { command: run.command, exitCode: run.exitCode, output: o.details ?? [] } });

/** `kubectl … -o json` parsed with `schema`, or the failure naming the command and what it printed. */
export async function kubectlRead<T extends z.ZodTypeAny>(ctx: FieldContext, args: string[], schema: T, signal: AbortSignal, trace: (c: string) => void): Promise<{ run: CommandRun; data: z.infer<T> | null; outcome: StepOutcome | null }> {
  const full = [...args, '-o', 'json'];
  const run = await ctx.probe.kubectl(full, signal);
  trace(run.command);
  if (run.exitCode !== 0) return { run, data: null, outcome: failed(run, `kubectl could not read ${args.slice(1).join(' ')}: k3s is not answering.`, 'k3s takes a minute or two after a start; if it never answers, "riglease stack logs k3s" shows why. Attach the report to a bug.') };
  let json: unknown;
  try {
    json = JSON.parse(run.stdout);
  } catch {
    return { run, data: null, outcome: failed(run, 'kubectl printed something that is not JSON.') };
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) return { run, data: null, outcome: failed(run, `kubectl's answer does not have the shape Kubernetes documents: ${parsed.error.issues[0]?.message ?? 'invalid'}.`) };
  return { run, data: parsed.data as z.infer<T>, outcome: null };
}

/** Tries until it passes or the wait is over; the last failure is the one reported. */
export async function poll(ctx: FieldContext, signal: AbortSignal, attempt: () => Promise<StepOutcome>): Promise<StepOutcome> {
  const deadline = Date.now() + ctx.waitMs;
  for (;;) {
    const o = await attempt();
    if (o.ok || signal.aborted || Date.now() + ctx.pollMs > deadline) {
      const waited = Math.round(ctx.waitMs / 1000);
      return o.ok || signal.aborted || waited < 1 ? o : { ...o, summary: `${o.summary} It stayed so for ${waited} s.` };
    }
    await new Promise<void>((resolve) => {
      const t = setTimeout(resolve, ctx.pollMs);
      signal.addEventListener('abort', () => (clearTimeout(t), resolve()), { once: true });
    });
  }
}

export function fieldSteps(o: { waitMs: number }): FieldStep<FieldContext>[] {
  const long = o.waitMs + 60_000;
  return [
    {
      id: 'stack',
      title: 'k3s image present and container running',
      needs: [],
      timeoutMs: 60_000,
      run: async (ctx, _signal, trace) => {
        if (!ctx.up.ok) {
          trace('riglease stack up');
          return { ok: false, summary: `"riglease stack up" failed: ${ctx.up.error ?? 'no reason given'}`, failure: { command: 'riglease stack up', exitCode: 1, output: upOutput(ctx.up) }, fix: 'The message above says what stopped it; fix that and run the field test again.' };
        }
        const want = ctx.plan.containers[0]!;
        const img = await ctx.probe.imagePresent(want.image);
        const c = await ctx.probe.inspect();
        const details = [
          `image ${want.image}: ${img.present ? `present (${img.id ?? '?'})` : `missing${img.error ? ` (${img.error})` : ''}`}`,
          `container ${ctx.probe.container}: ${c.status}${c.restarts ? `, restarted ${c.restarts}× by Docker` : ''}`,
          // What the plan itself warns about (no GPU selected, no wallet yet…) explains later steps.
          ...ctx.plan.notes.map((n) => `plan note: ${n}`),
        ];
        const fail = (summary: string, command: string, fix: string): StepOutcome => ({ ok: false, summary, details, failure: { command, exitCode: null, output: details }, fix });
        if (!img.present) return fail(`The k3s image ${want.image} is not on this computer.`, `docker image inspect ${want.image}`, 'Check stack.images.k3s (empty = the pinned image) and that Docker can download or build it.');
        if (!c.running) return fail(`The k3s container is ${c.status}.`, `docker inspect ${ctx.probe.container}`, '"riglease stack logs k3s" shows why it stopped.');
        return { ok: true, summary: `The k3s image is present and the container is running.`, details };
      },
    },
    {
      id: 'k3s',
      title: 'k3s ready (node Ready)',
      needs: ['stack'],
      timeoutMs: long,
      run: (ctx, signal, trace) =>
        poll(ctx, signal, async () => {
          const r = await kubectlRead(ctx, ['get', 'nodes'], listOf(KubeNode), signal, trace);
          return r.outcome ?? withRun(r.run, judgeNodes(r.data!.items));
        }),
    },
    {
      id: 'crds',
      title: 'Resource definitions (CRDs) established',
      needs: ['k3s'],
      timeoutMs: long,
      run: (ctx, signal, trace) =>
        poll(ctx, signal, async () => {
          const r = await kubectlRead(ctx, ['get', 'customresourcedefinitions'], listOf(KubeCrd), signal, trace);
          return r.outcome ?? withRun(r.run, judgeCrds(r.data!.items, ctx.expect.crds));
        }),
    },
    {
      id: 'namespaces',
      title: 'Namespaces present and labelled',
      needs: ['k3s'],
      timeoutMs: long,
      run: (ctx, signal, trace) =>
        poll(ctx, signal, async () => {
          const r = await kubectlRead(ctx, ['get', 'namespaces'], listOf(KubeNamespace), signal, trace);
          return r.outcome ?? withRun(r.run, judgeNamespaces(r.data!.items, ctx.expect.namespaces));
        }),
    },
    {
      id: 'charts',
      title: "Every chart installed and its pods Ready",
      needs: ['k3s'],
      timeoutMs: long,
      run: (ctx, signal, trace) =>
        poll(ctx, signal, async () => {
          const jobs = await kubectlRead(ctx, ['get', 'jobs', '-n', 'kube-system'], listOf(KubeJob), signal, trace);
          if (jobs.outcome) return jobs.outcome;
          const installed = withRun(jobs.run, judgeHelmJobs(jobs.data!.items, ctx.expect.charts));
          if (!installed.ok) return installed;
          const pods = await kubectlRead(ctx, ['get', 'pods', '--all-namespaces'], listOf(KubePod), signal, trace);
          if (pods.outcome) return pods.outcome;
          const ready = withRun(pods.run, judgePods(pods.data!.items, ctx.expect.podNamespaces));
          return { ...ready, details: [...(installed.details ?? []), ...(ready.details ?? [])] };
        }),
    },
    {
      id: 'inventory',
      title: "Akash's inventory lists each selected GPU",
      needs: ['charts'],
      timeoutMs: long,
      run: async (ctx, signal, trace) => {
        if (!ctx.plan.gpuLabels.length) {
          return { ok: false, summary: 'No GPU is selected for providing, so there is nothing for the inventory to list.', fix: 'Choose the GPUs to rent out (stack.gpus, or the Set up screen), then run the field test again.' };
        }
        // The node is named after the container's hostname (k3s's default), as stack status reads it.
        const node = (await ctx.probe.inspect()).hostname ?? ctx.probe.container;
        return poll(ctx, signal, async () => {
          const r = await kubectlRead(ctx, ['get', 'node', node], KubeNode, signal, trace);
          if (r.outcome) return r.outcome;
          const rows = gpuInventory(ctx.plan.gpuLabels, r.data!.metadata.labels ?? {}, await ctx.probe.drm());
          const details = rows.map((g) => `${g.name} (${g.uuid ?? 'no uuid'}): ${g.state === 'labelled' ? 'found' : 'missing'}: ${g.detail}`);
          const missing = rows.filter((g) => g.state !== 'labelled');
          return withRun(r.run, missing.length ? { ok: false, summary: `${missing.length} of ${rows.length} selected GPU(s) are not listed by Akash's inventory.`, details, fix: missing[0]!.detail } : { ok: true, summary: `Akash's inventory lists all ${rows.length} selected GPU(s).`, details });
        });
      },
    },
    {
      id: 'provider-api',
      title: 'The provider answers on 8443',
      needs: ['charts'],
      timeoutMs: long,
      run: async (ctx, signal, trace) => {
        if (!ctx.expect.provider) return notPlanned(ctx);
        const port = ctx.plan.ports.find((p) => p.container === 8443)?.host ?? 8443;
        const url = `https://127.0.0.1:${port}/status`;
        return poll(ctx, signal, async () => {
          const r = await ctx.probe.httpsGet(url, 5_000, signal);
          trace(r.command);
          if (r.status === 200) return { ok: true, summary: `The provider answers on ${url}: HTTP 200.`, details: [`body: ${bodySummary(r.stdout)}`] };
          const why = r.status === null ? `no answer (${r.stderr})` : `HTTP ${r.status}`;
          return { ok: false, summary: `The provider does not answer on ${url}: ${why}.`, failure: { command: r.command, exitCode: null, output: lastLines(r.stderr, r.status === null ? '' : `HTTP ${r.status}\n${bodySummary(r.stdout)}`) }, fix: 'Check the provider pod ("riglease stack logs akash-provider") and that nothing else uses that port on this computer.' };
        });
      },
    },
    {
      id: 'self-quote',
      title: 'Bid script in the provider pod agrees with "riglease pricing quote"',
      needs: ['charts'],
      timeoutMs: 120_000,
      run: async (ctx, signal, trace) => {
        if (!ctx.expect.provider) return notPlanned(ctx);
        const denom = (ctx.order as { price?: { denom?: string } }).price?.denom ?? 'uact';
        const env = ['env', `AKASH_DENOM=${denom}`, ...(ctx.walletAddress ? [`AKASH_OWNER=${ctx.walletAddress}`] : [])];
        const run = await ctx.probe.kubectl(['exec', '-i', '-n', AKASH_NAMESPACE, PROVIDER_POD, '-c', PROVIDER_CONTAINER, '--', ...env, BID_SCRIPT_PATH], signal, JSON.stringify(ctx.order));
        trace(run.command);
        const q = await ctx.quote(ctx.order);
        const o = judgeQuotes(run, q);
        const details = [...(o.details ?? []), `sample order: ${JSON.stringify(ctx.order)}`];
        return o.ok ? { ...o, details } : { ...o, details, failure: { command: `${run.command} < order.json`, exitCode: run.exitCode, output: lastLines(run.stderr, run.stdout) } };
      },
    },
  ];
}

/** The up task's last log lines, then its error unless the log's last line already says it. */
function upOutput(up: FieldContext['up']): string[] {
  const log = up.log.slice(-19);
  const last = log[log.length - 1] ?? '';
  return up.error && !last.includes(up.error.split(' (')[0]!) ? [...log, up.error] : log;
}

function notPlanned(ctx: FieldContext): StepOutcome {
  const why = ctx.plan.notes.filter((n) => /provider chart/i.test(n)).join(' ') || 'The Akash provider chart is not in the plan.';
  return { ok: false, summary: `The Akash provider is not part of the stack yet: ${why}`, fix: 'Create or import the wallet and set the provider domain (riglease onboard, or the Set up screen), then run the field test again.' };
}

/** A short, single-line view of the provider's /status answer. */
export function bodySummary(body: string): string {
  try {
    const j = JSON.parse(body) as unknown;
    if (j && typeof j === 'object' && !Array.isArray(j)) return `JSON with ${Object.keys(j).slice(0, 12).join(', ')}`;
  } catch {
    // Not JSON: show the start of the text.
  }
  const flat = body.replace(/\s+/g, ' ').trim();
  return flat.length > 200 ? `${flat.slice(0, 200)}…` : flat || '(empty)';
}
