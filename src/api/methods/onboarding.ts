import { z } from 'zod';
import { method } from '../method.js';
import { OnboardingState, OnboardingStepId } from '../schemas/onboarding.js';

export const onboardingMethods = {
  'onboarding.state': method({
    input: z.object({}).strict(),
    output: OnboardingState,
    summary: 'Where onboarding stands: every step with its status, reason and action (reads only)',
  }),
  'onboarding.next': method({
    input: z
      .object({
        /** The person confirmed a step that needs a yes (review, pricing): it counts as done from now on. */
        confirm: OnboardingStepId.optional(),
      })
      .strict(),
    output: OnboardingState,
    summary: 'Check the steps in order, run what the wizard can run itself, and stop at the first step that needs the person',
  }),
  'onboarding.retry': method({
    input: z.object({ step: OnboardingStepId }).strict(),
    output: OnboardingState,
    summary: 'Check a failed or waiting step again (and run its action again when the wizard runs it)',
  }),
} as const;
