import type { Handler } from '../../api/dispatch.js';
import type { Agent } from '../agent.js';

export function onboardingHandlers(agent: Agent): {
  'onboarding.state': Handler<'onboarding.state'>;
  'onboarding.next': Handler<'onboarding.next'>;
  'onboarding.retry': Handler<'onboarding.retry'>;
} {
  return {
    'onboarding.state': async () => agent.onboarding.state(),
    'onboarding.next': async ({ confirm }) => agent.onboarding.next(confirm),
    'onboarding.retry': async ({ step }) => agent.onboarding.retry(step),
  };
}
