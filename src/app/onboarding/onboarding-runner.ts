import { z } from 'zod';
import { RigError } from '../../api/errors.js';
import { OnboardingStepStatus, type OnboardingState, type OnboardingStepView } from '../../api/schemas/onboarding.js';
import { VersionedJsonFile } from '../../store/json-file.js';
import type { Logger } from '../../util/logger.js';
import type { CheckResult, StepDef, StepInfo } from './step.js';

const StepRecord = z
  .object({
    status: OnboardingStepStatus,
    reason: z.string().nullable(),
    attempts: z.number().int().nonnegative(),
    updatedAt: z.string(),
  })
  .strict();
type StepRecord = z.infer<typeof StepRecord>;

/** What is on disk: one record per step that was ever reached, and what the person confirmed. */
export const OnboardingRecord = z
  .object({
    steps: z.record(z.string(), StepRecord),
    confirmed: z.array(z.string()),
    finishedAt: z.string().nullable(),
  })
  .strict();
export type OnboardingRecord = z.infer<typeof OnboardingRecord>;

const EMPTY: OnboardingRecord = { steps: {}, confirmed: [], finishedAt: null };
const DEFAULT_CHECK_AGAIN = 'Check again';

export interface OnboardingRunnerOptions<C> {
  steps: readonly StepDef<C>[];
  /** Where progress lives (written atomically after every change of a step). */
  file: string;
  /** Built fresh for each run of the wizard: the services the checks and actions use. */
  context: () => C;
  logger: Logger;
  now?: () => Date;
  /** Called after every change on disk with the wizard as the UI shows it (the agent publishes it). */
  onChange?: (state: OnboardingState) => void;
}

/**
 * Runs the wizard's steps in order and keeps its progress on disk, so closing the app or a
 * crash at any point resumes exactly where it stopped:
 * - a step recorded done is never checked or run again;
 * - a step caught `running` (the app died during its action) is checked first: if its work is
 *   already there it becomes done without running again, otherwise its action runs again;
 * - a failed step stays failed until `retry`, so the wizard never moves on past a failure.
 * Calls are serialized: two windows pressing "next" at once run the steps once.
 */
export class OnboardingRunner<C> {
  private readonly file: VersionedJsonFile<typeof OnboardingRecord>;
  private readonly now: () => Date;
  private queue: Promise<unknown> = Promise.resolve();
  private readonly controller = new AbortController();

  constructor(private readonly opts: OnboardingRunnerOptions<C>) {
    const ids = new Set<string>();
    for (const s of opts.steps) {
      if (ids.has(s.id)) throw new Error(`onboarding step ${s.id} is declared twice`);
      ids.add(s.id);
    }
    this.now = opts.now ?? (() => new Date());
    this.file = new VersionedJsonFile({
      file: opts.file,
      schema: OnboardingRecord,
      version: 1,
      onCorrupt: (file, keptAs, reason) => opts.logger.warn('onboarding progress could not be read; kept aside and started over', { file, keptAs, reason }),
    });
  }

  /** The wizard as the UI shows it; reads the file only. */
  async state(): Promise<OnboardingState> {
    return this.view(await this.read());
  }

  /** Confirms `confirm` (if given), then walks the steps until one needs the person or fails. */
  next(confirm?: string): Promise<OnboardingState> {
    return this.serialized(async () => {
      const record = await this.read();
      if (confirm !== undefined) {
        this.stepOrThrow(confirm);
        if (!record.confirmed.includes(confirm)) {
          record.confirmed.push(confirm);
          await this.file.write(record);
        }
      }
      return this.view(await this.advance(record));
    });
  }

  /** "Check again" / "Try again": a failed or waiting step goes back in line, then the wizard walks on. */
  retry(stepId: string): Promise<OnboardingState> {
    return this.serialized(async () => {
      this.stepOrThrow(stepId);
      const record = await this.read();
      const rec = record.steps[stepId];
      if (rec?.status === 'done') throw new RigError('conflict', `The step "${stepId}" is already done.`, 'Nothing to retry; continue with the next step.');
      if (rec && (rec.status === 'failed' || rec.status === 'todo')) {
        record.steps[stepId] = { ...rec, status: 'pending', reason: null, updatedAt: this.now().toISOString() };
        await this.file.write(record);
      }
      return this.view(await this.advance(record));
    });
  }

  /** Stops a running action (quit); its step stays `running` on disk and resumes next time. */
  stop(): void {
    this.controller.abort();
  }

  private async advance(record: OnboardingRecord): Promise<OnboardingRecord> {
    const ctx = this.opts.context();
    const confirmed = new Set(record.confirmed);
    for (const step of this.opts.steps) {
      const rec = record.steps[step.id];
      if (rec?.status === 'done') continue;
      if (rec?.status === 'failed') return record;
      const info: StepInfo = { confirmed, attempts: rec?.attempts ?? 0 };
      // Once a step has been started it stays in the wizard until it is done.
      if (!rec || rec.status === 'pending' || rec.status === 'skipped') {
        if (!(await step.appliesWhen(ctx, info))) {
          if (rec?.status !== 'skipped') await this.set(record, step.id, 'skipped', null);
          continue;
        }
      }
      const first = await this.safeCheck(step, ctx, info);
      if (first.state === 'done') {
        await this.set(record, step.id, 'done', null);
        continue;
      }
      if (first.state === 'failed') {
        await this.set(record, step.id, 'failed', first.reason);
        return record;
      }
      const run = step.action.run;
      if (!run) {
        await this.set(record, step.id, 'todo', first.reason);
        return record;
      }
      // Written before the action starts: a crash from here on resumes at this step.
      const attempts = (rec?.attempts ?? 0) + 1;
      await this.set(record, step.id, 'running', first.reason, attempts);
      this.opts.logger.info('onboarding step started', { step: step.id, attempt: attempts });
      try {
        await run(ctx, this.controller.signal);
      } catch (err) {
        if (this.controller.signal.aborted) return record;
        await this.set(record, step.id, 'failed', `${step.failureText} (${errorText(err)})`);
        this.opts.logger.warn('onboarding step failed', { step: step.id, err: errorText(err) });
        return record;
      }
      const after = await this.safeCheck(step, ctx, { confirmed, attempts });
      if (after.state !== 'done') {
        await this.set(record, step.id, 'failed', `${step.failureText} (${after.reason})`);
        return record;
      }
      await this.set(record, step.id, 'done', null);
    }
    if (record.finishedAt === null) {
      record.finishedAt = this.now().toISOString();
      await this.file.write(record);
      this.opts.logger.info('onboarding finished');
    }
    return record;
  }

  /** A check that throws is a failed check with its message, never a crashed wizard. */
  private async safeCheck(step: StepDef<C>, ctx: C, info: StepInfo): Promise<CheckResult> {
    try {
      return await step.check(ctx, info);
    } catch (err) {
      return { state: 'failed', reason: `${step.failureText} (${errorText(err)})` };
    }
  }

  private async set(record: OnboardingRecord, id: string, status: OnboardingStepStatus, reason: string | null, attempts?: number): Promise<void> {
    const prev = record.steps[id];
    record.steps[id] = { status, reason, attempts: attempts ?? prev?.attempts ?? 0, updatedAt: this.now().toISOString() };
    await this.file.write(record);
    this.opts.onChange?.(this.view(record));
  }

  private view(record: OnboardingRecord): OnboardingState {
    let current: string | null = null;
    const steps = this.opts.steps.map((s): OnboardingStepView => {
      const rec = record.steps[s.id];
      const status = rec?.status ?? 'pending';
      if (current === null && status !== 'done' && status !== 'skipped') current = s.id;
      return {
        id: s.id,
        title: s.title,
        status,
        reason: rec?.reason ?? null,
        action: { id: s.action.id, label: s.action.label, kind: s.action.run ? 'auto' : 'user' },
        failureText: s.failureText,
        checkAgainLabel: s.checkAgainLabel ?? DEFAULT_CHECK_AGAIN,
        attempts: rec?.attempts ?? 0,
        updatedAt: rec?.updatedAt ?? null,
      };
    });
    const finished = current === null && record.finishedAt !== null;
    return { current, finished, finishedAt: finished ? record.finishedAt : null, steps };
  }

  private read(): Promise<OnboardingRecord> {
    return this.file.read(() => structuredClone(EMPTY));
  }

  private stepOrThrow(id: string): StepDef<C> {
    const step = this.opts.steps.find((s) => s.id === id);
    if (!step) throw new RigError('not_found', `There is no onboarding step called "${id}".`, `Steps: ${this.opts.steps.map((s) => s.id).join(', ')}.`);
    return step;
  }

  private serialized<T>(work: () => Promise<T>): Promise<T> {
    const next = this.queue.then(work, work);
    this.queue = next.catch(() => undefined);
    return next;
  }
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
