import { z } from 'zod';

/**
 * pending: not reached yet · skipped: does not apply to this machine · running: its action is
 * going (or was, when the app stopped) · todo: waits for the person · done · failed: retry it.
 */
export const OnboardingStepStatus = z.enum(['pending', 'skipped', 'running', 'todo', 'done', 'failed']);
export type OnboardingStepStatus = z.infer<typeof OnboardingStepStatus>;

export const OnboardingStepView = z.object({
  id: z.string(),
  title: z.string(),
  status: OnboardingStepStatus,
  /** Why the step is todo or failed, in words. */
  reason: z.string().nullable(),
  action: z.object({
    /** What the UI opens or runs: `wallet.setup`, `hardware.fix`, `stack.up`… */
    id: z.string(),
    label: z.string(),
    /** auto: the wizard runs it; user: the person does it on a screen, then "check again". */
    kind: z.enum(['auto', 'user']),
  }),
  /** What failure of this step means and what to try. */
  failureText: z.string(),
  checkAgainLabel: z.string(),
  attempts: z.number().int().nonnegative(),
  updatedAt: z.string().nullable(),
});
export type OnboardingStepView = z.infer<typeof OnboardingStepView>;

export const OnboardingState = z.object({
  /** The step the wizard stands on; null once finished. */
  current: z.string().nullable(),
  finished: z.boolean(),
  finishedAt: z.string().nullable(),
  steps: z.array(OnboardingStepView),
});
export type OnboardingState = z.infer<typeof OnboardingState>;

export const OnboardingStepId = z.string().regex(/^[a-z][a-z0-9-]{0,40}$/, 'a step id such as wallet or start-providing');
