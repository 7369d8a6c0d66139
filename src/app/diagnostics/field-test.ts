import type { HardwareReport } from '../../api/schemas/hardware.js';
import type { StackPlan } from '../../api/schemas/stack.js';
import { expectationsFromPlan } from './field-test-expect.js';
import { machineFacts } from './field-test-facts.js';
import type { FieldStepResult, FieldTestReport } from './field-test-model.js';
import type { FieldProbe } from './field-test-probe.js';
import { defaultReportPath, redactReport, writeReport } from './field-test-report.js';
import { runFieldSteps, type RunStepsOptions } from './field-test-runner.js';
import { farmSteps, type FarmExpectation } from './field-test-farm.js';
import { fieldSteps, type FieldContext, type QuoteAnswer } from './field-test-steps.js';

export interface FieldTestDeps {
  plan(): Promise<StackPlan>;
  /** Runs the stack service's `up` to its end; showing its progress is the caller's business. */
  up(signal: AbortSignal): Promise<{ ok: boolean; error: string | null; log: string[] }>;
  /** Stops the stack again (data kept); returns what happened, in words. */
  down(): Promise<string>;
  probe(plan: StackPlan): FieldProbe;
  scan(): Promise<HardwareReport | null>;
  quote(order: unknown): Promise<QuoteAnswer>;
  walletAddress(): Promise<string | null>;
  /** `--farm`: the members the controller knows; null when this machine is no farm's controller. */
  farm?(): Promise<FarmExpectation | null>;
  version: string;
  env: NodeJS.ProcessEnv;
  /** The data folder: the report goes to its `reports/` unless a path is given. */
  home: string;
}

export interface FieldTestOptions extends Pick<RunStepsOptions, 'onStart' | 'onEnd'> {
  reportPath?: string;
  /** Leave the stack running afterwards even if the test started it. */
  keep: boolean;
  /** How long each step waits for the cluster to settle. */
  waitMs: number;
  pollMs?: number;
  signal?: AbortSignal;
  /** Also the farm steps (field-test-farm.ts): members as nodes, placement, members' GPUs in the inventory. */
  farm?: boolean;
}

export interface FieldTestResult {
  report: FieldTestReport;
  files: { json: string; text: string };
}

/** Generous on purpose: the bid must not fail on price, only on the script (ACT needs no AKT price). */
export function sampleOrder(gpu: { model: string; ram: string; interface: string } | null): unknown {
  return {
    resources: [
      {
        cpu: 4000,
        memory: 16 * 2 ** 30,
        ...(gpu ? { gpu: { units: 1, attributes: { vendor: { nvidia: { model: gpu.model, ram: gpu.ram, interface: gpu.interface } } } } } : {}),
        storage: [{ class: 'ephemeral', size: 100 * 2 ** 30 }],
        count: 1,
        endpoint_quantity: 1,
      },
    ],
    price: { denom: 'uact', amount: '1000000.000000000000000000' },
  };
}

/** A person's rig is left as it was found: stopped again only if the field test started it. */
async function leaveAsFound(deps: FieldTestDeps, probe: FieldProbe, keep: boolean, wasRunning: boolean): Promise<string> {
  if (keep) return 'the stack was left running (--keep).';
  if (wasRunning) return 'the stack was left running: it was already running before the field test.';
  if (!(await probe.inspect().then((c) => c.running, () => false))) return 'the stack is not running, so there was nothing to stop.';
  return deps.down().then(
    () => 'the stack was stopped again (data kept), as it was not running before the test; --keep leaves it running.',
    (err: unknown) => `the stack could not be stopped again: ${err instanceof Error ? err.message : String(err)}`,
  );
}

/**
 * The field test: `up` through the stack service, then every step in order (field-test-steps.ts),
 * then a redacted report. The stack is left as it was found unless `keep` says otherwise.
 */
export async function runFieldTest(deps: FieldTestDeps, opts: FieldTestOptions): Promise<FieldTestResult> {
  const startedAt = new Date();
  const signal = opts.signal ?? new AbortController().signal;
  const scan = await deps.scan().catch(() => null);
  const steps = [...fieldSteps({ waitMs: opts.waitMs }), ...(opts.farm ? farmSteps({ waitMs: opts.waitMs }) : [])];
  let results: FieldStepResult[];
  let afterwards = 'nothing was changed: the stack could not be planned.';
  let images: Record<string, string> = {};
  let plan: StackPlan | null = null;
  let planError = '';
  try {
    plan = await deps.plan();
  } catch (err) {
    planError = err instanceof Error ? err.message : String(err);
  }
  if (!plan) {
    results = steps.map((s, i) =>
      i === 0
        ? { n: 1, id: s.id, title: s.title, status: 'failed', summary: `The stack could not be planned: ${planError}`, details: [], failure: { command: 'riglease stack plan', exitCode: 1, output: [planError] }, fix: 'Fix what the message names (often the selected GPUs: run a hardware scan), then run the field test again.', durationMs: 0 }
        : { n: i + 1, id: s.id, title: s.title, status: 'not_run', summary: 'Not run, because step 1 failed.', details: [], failure: null, fix: null, durationMs: 0 },
    );
  } else {
    images = { k3s: plan.containers[0]!.image };
    const probe = deps.probe(plan);
    const wasRunning = await probe.inspect().then((c) => c.running, () => false);
    const up = await deps.up(signal).catch((err: unknown) => ({ ok: false, error: err instanceof Error ? err.message : String(err), log: [] }));
    const selected = scan?.gpus.filter((g) => g.uuid && (plan!.gpus.all || plan!.gpus.deviceIds.includes(g.uuid))) ?? [];
    const ctx: FieldContext = {
      probe,
      plan,
      expect: expectationsFromPlan(plan),
      up,
      waitMs: opts.waitMs,
      pollMs: opts.pollMs ?? 5_000,
      order: sampleOrder(selected.find((g) => g.akash)?.akash ?? null),
      quote: deps.quote,
      walletAddress: await deps.walletAddress().catch(() => null),
      farm: opts.farm && deps.farm ? await deps.farm().catch(() => null) : null,
    };
    results = await runFieldSteps(steps, ctx, { signal, ...(opts.onStart ? { onStart: opts.onStart } : {}), ...(opts.onEnd ? { onEnd: opts.onEnd } : {}) });
    afterwards = await leaveAsFound(deps, probe, opts.keep, wasRunning);
  }
  const report: FieldTestReport = {
    kind: 'riglease-field-test',
    version: 1,
    startedAt: startedAt.toISOString(),
    endedAt: new Date().toISOString(),
    passed: results.every((r) => r.status === 'passed'),
    cancelled: signal.aborted,
    afterwards,
    machine: machineFacts(scan, deps.version, images),
    steps: results,
  };
  const redacted = redactReport(report, deps.env);
  const files = await writeReport(opts.reportPath ?? defaultReportPath(deps.home, startedAt), redacted);
  return { report: redacted, files };
}
