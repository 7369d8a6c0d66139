import type { Handler } from '../../api/dispatch.js';
import type { OnboardingRunner } from '../onboarding/onboarding-runner.js';
import type { OnboardingContext } from '../onboarding/onboarding-steps.js';

/** The wizard is asked for at each call: it is built on first use, after every seam is plugged. */
export function onboardingHandlers(wizard: () => Pick<OnboardingRunner<OnboardingContext>, 'state' | 'next' | 'retry'>): {
  'onboarding.state': Handler<'onboarding.state'>;
  'onboarding.next': Handler<'onboarding.next'>;
  'onboarding.retry': Handler<'onboarding.retry'>;
} {
  return {
    'onboarding.state': async () => wizard().state(),
    'onboarding.next': async ({ confirm }) => wizard().next(confirm),
    'onboarding.retry': async ({ step }) => wizard().retry(step),
  };
}
