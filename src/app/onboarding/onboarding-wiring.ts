import path from 'node:path';
import type { Agent } from '../agent.js';
import { OnboardingRunner } from './onboarding-runner.js';
import { onboardingSteps, type OnboardingContext } from './onboarding-steps.js';
import { done, todo } from './step.js';

/**
 * Where the other domains plug their checks into the wizard. Set a field before the first
 * onboarding call (the agent constructor is the place); unset fields use the defaults below.
 *
 * Plugged today: readiness and fixes (hardware scan), wallet (the wallet record on disk),
 * network (only "is the provider's domain set"), start-providing check (only "is the stack
 * running"). Not plugged: pricing (power floor, earnings estimate: the default waits for the
 * person to confirm), port reachability, provider registration and certificate, and the
 * start-providing action (the person presses "Start providing" on the stack screen).
 */
export type OnboardingSeams = Partial<Pick<OnboardingContext, 'wallet' | 'pricing' | 'network' | 'providing' | 'startProviding'>>;

export function createOnboardingRunner(agent: Agent, seams: OnboardingSeams): OnboardingRunner<OnboardingContext> {
  const context = (): OnboardingContext => ({
    scan: (maxAgeMs) => agent.hardware.scan({ maxAgeMs }),
    lastReport: () => agent.hardware.last(),
    wallet:
      seams.wallet ??
      (async () => {
        const record = await agent.chain.wallet.record();
        return record.address ? done() : todo('No wallet yet: create one, or import the recovery phrase of one you have.');
      }),
    pricing: seams.pricing ?? (async (confirmed) => (confirmed ? done() : todo('Look over your prices and the power floor, then confirm them.'))),
    network:
      seams.network ??
      (async () => {
        const s = await agent.settings.all();
        return s.chain.provider.hostUri ? done() : todo("Set the provider's domain (chain.provider.hostUri), e.g. https://provider.example.com:8443.");
      }),
    providing:
      seams.providing ??
      (async () => {
        const s = await agent.stack.status();
        return s.overall === 'running' ? done() : todo(`The provider stack is ${s.overall.replace('_', ' ')}.`);
      }),
    ...(seams.startProviding ? { startProviding: seams.startProviding } : {}),
  });
  return new OnboardingRunner({
    steps: onboardingSteps(seams),
    file: path.join(agent.deps.paths.stateDir, 'onboarding.json'),
    context,
    logger: agent.deps.logger.child('onboarding'),
    onChange: (state) => agent.hub.publish('onboarding.changed', state),
  });
}
