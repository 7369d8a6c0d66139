import type { FieldStepResult, StepOutcome } from './field-test-model.js';

/**
 * One step of the field test. Steps are data: adding one (a farm step, say) is one more entry in
 * the list with the ids of the steps it needs.
 */
export interface FieldStep<C> {
  id: string;
  title: string;
  /** Steps that must have passed for this one to mean anything; otherwise it is "not run". */
  needs: readonly string[];
  /** The whole step, waiting included; past it the step is stopped and failed. */
  timeoutMs: number;
  /** `trace` records the command being run, so a timeout can still name it. */
  run(ctx: C, signal: AbortSignal, trace: (command: string) => void): Promise<StepOutcome>;
}

export interface RunStepsOptions {
  signal?: AbortSignal;
  /** Called as each step starts and ends (the CLI prints progress on stderr). */
  onStart?(n: number, title: string): void;
  onEnd?(result: FieldStepResult): void;
  now?(): number;
}

/**
 * Runs the steps in order. None is skipped silently: a step whose needs did not pass is
 * "not run" with the reason; a step that throws or overruns its time is "failed" with what it
 * was doing; after Ctrl-C every remaining step is "not run (cancelled)".
 */
export async function runFieldSteps<C>(steps: readonly FieldStep<C>[], ctx: C, opts: RunStepsOptions = {}): Promise<FieldStepResult[]> {
  const now = opts.now ?? (() => Date.now());
  const results: FieldStepResult[] = [];
  const byId = new Map<string, FieldStepResult>();
  for (const [i, step] of steps.entries()) {
    const n = i + 1;
    const blocked = blockedBy(step, byId, opts.signal);
    let result: FieldStepResult;
    if (blocked) {
      result = { n, id: step.id, title: step.title, status: 'not_run', summary: `Not run, because ${blocked}.`, details: [], failure: null, fix: null, durationMs: 0 };
    } else {
      opts.onStart?.(n, step.title);
      const started = now();
      const outcome = await runOne(step, ctx, opts.signal);
      result = {
        n,
        id: step.id,
        title: step.title,
        status: outcome.ok ? 'passed' : 'failed',
        summary: outcome.summary,
        details: outcome.details ?? [],
        failure: outcome.ok ? null : (outcome.failure ?? null),
        fix: outcome.ok ? null : (outcome.fix ?? null),
        durationMs: Math.max(0, Math.round(now() - started)),
      };
    }
    results.push(result);
    byId.set(step.id, result);
    opts.onEnd?.(result);
  }
  return results;
}

function blockedBy<C>(step: FieldStep<C>, done: Map<string, FieldStepResult>, signal: AbortSignal | undefined): string | null {
  if (signal?.aborted) return 'the field test was cancelled';
  for (const id of step.needs) {
    const r = done.get(id);
    if (!r) return `step "${id}" does not exist or comes later`;
    if (r.status === 'failed') return `step ${r.n} (${r.title}) failed`;
    if (r.status === 'not_run') return `step ${r.n} (${r.title}) was not run`;
  }
  return null;
}

async function runOne<C>(step: FieldStep<C>, ctx: C, outer: AbortSignal | undefined): Promise<StepOutcome> {
  const controller = new AbortController();
  let command: string | null = null;
  let timer: NodeJS.Timeout | undefined;
  const onAbort = (): void => controller.abort();
  outer?.addEventListener('abort', onAbort, { once: true });
  const secs = Math.round(step.timeoutMs / 1000);
  const stopped = new Promise<StepOutcome>((resolve) => {
    const fail = (why: string): void =>
      resolve({ ok: false, summary: why, failure: { command: command ?? '(none started)', exitCode: null, output: [why] } });
    timer = setTimeout(() => {
      // Resolved before the abort, whose listener would otherwise call it a cancel.
      fail(`This step did not finish within ${secs} s.`);
      controller.abort();
    }, step.timeoutMs);
    controller.signal.addEventListener('abort', () => fail('Cancelled (Ctrl-C) while this step ran.'), { once: true });
  });
  try {
    return await Promise.race([
      step.run(ctx, controller.signal, (c) => {
        command = c;
      }),
      stopped,
    ]);
  } catch (err) {
    const msg = err instanceof Error ? err.message : String(err);
    return { ok: false, summary: `This step could not run: ${msg}`, failure: { command: command ?? '(none started)', exitCode: null, output: [msg] } };
  } finally {
    clearTimeout(timer);
    outer?.removeEventListener('abort', onAbort);
  }
}
