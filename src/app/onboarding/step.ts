/** What a step's check says about the machine right now. */
export type CheckResult = { state: 'done' } | { state: 'todo'; reason: string } | { state: 'failed'; reason: string };

export const done = (): CheckResult => ({ state: 'done' });
export const todo = (reason: string): CheckResult => ({ state: 'todo', reason });
export const failed = (reason: string): CheckResult => ({ state: 'failed', reason });

/** What the runner tells a step besides the context: what the person already confirmed. */
export interface StepInfo {
  confirmed: ReadonlySet<string>;
  /** How many times this step's action has been started before (crash resumes count). */
  attempts: number;
}

export interface StepAction<C> {
  id: string;
  label: string;
  /**
   * Present: the wizard runs it itself (must be idempotent: a crash may have interrupted the
   * last run, and it runs again only when the check says the work is not done).
   * Absent: the person does it on a screen and presses "check again".
   */
  run?: (ctx: C, signal: AbortSignal) => Promise<void>;
}

/** One wizard step, declared as data. */
export interface StepDef<C> {
  id: string;
  title: string;
  /** Asked while the step is not started; false = skipped (e.g. "fixes" when nothing blocks). */
  appliesWhen(ctx: C, info: StepInfo): boolean | Promise<boolean>;
  /** Cheap and side-effect free: reads state, never changes it. */
  check(ctx: C, info: StepInfo): Promise<CheckResult>;
  action: StepAction<C>;
  /** Shown when the step failed: what it means and what to try. */
  failureText: string;
  checkAgainLabel?: string;
}
