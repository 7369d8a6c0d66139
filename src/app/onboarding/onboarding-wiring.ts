import path from 'node:path';
import type { HardwareReport } from '../../api/schemas/hardware.js';
import { localNetwork } from '../../hardware/bench/network-info.js';
import { runPortsCheck } from '../../hardware/bench/network-bench.js';
import type { Agent } from '../agent.js';
import { networkCheck, pricingCheck, providingCheck, walletCheck, withNetworkPath } from './onboarding-checks.js';
import { OnboardingRunner } from './onboarding-runner.js';
import { onboardingSteps, type OnboardingContext } from './onboarding-steps.js';
import { startProviding } from './start-providing.js';

/**
 * Where the other domains plug their checks into the wizard. Every field has a real default
 * below; a field set before the first onboarding call (tests, another host) replaces it.
 *
 * - wallet: the wallet exists and its balance covers the provider shortfall (chain service);
 * - pricing: this rig's prices are at or above the power floor and confirmed with the estimate;
 * - network: domain and host URI set and agreeing; ports checked by the bench ports probe when
 *   `bench.network.portProbeUrl` is set, else "not tested", which the person may accept;
 * - providing: stack container on the current settings, provider on chain as the settings say,
 *   a certificate whose key this rig holds;
 * - startProviding: stack up (a task, mirrored into the wizard's task) → register/update +
 *   certificate, both idempotent.
 */
export type OnboardingSeams = Partial<Pick<OnboardingContext, 'wallet' | 'pricing' | 'network' | 'providing' | 'startProviding'>>;

/** A scan this young is fresh enough for the provider attributes in the providing check. */
const REPORT_MAX_AGE_MS = 10 * 60_000;

export function realSeams(agent: Agent): Required<OnboardingSeams> {
  return {
    wallet: async () => walletCheck((await agent.chain()).wallet),
    pricing: async (confirmed) => {
      const [view, estimate] = await Promise.all([agent.pricing.view(), agent.pricing.estimate(undefined, undefined)]);
      return pricingCheck(view, estimate, confirmed);
    },
    network: async (confirmed) => {
      const settings = await agent.settings.all();
      const ports = async () => runPortsCheck({ local: await localNetwork(agent.platform), settings: settings.bench.network, signal: new AbortController().signal });
      // Only a detection the person already ran (the Network step shows it): a check never asks the router by itself.
      return withNetworkPath(await networkCheck(settings, ports, confirmed), agent.network.lastReport());
    },
    providing: async () =>
      providingCheck(await agent.stack.status(), async () => {
        const report: HardwareReport | null = await agent.hardware.scan({ maxAgeMs: REPORT_MAX_AGE_MS }).catch(() => null);
        return (await agent.chain()).provider.plan(report, (await agent.settings.all()).chain.provider, await agent.farm.attributeBuilder().catch(() => undefined));
      }),
    startProviding: (signal) => startProviding(agent, signal),
  };
}

export function createOnboardingRunner(agent: Agent, seams: OnboardingSeams): OnboardingRunner<OnboardingContext> {
  const plugged: Required<OnboardingSeams> = { ...realSeams(agent), ...seams };
  const context = (): OnboardingContext => ({
    scan: (maxAgeMs) => agent.hardware.scan({ maxAgeMs }),
    lastReport: () => agent.hardware.last(),
    ...plugged,
  });
  return new OnboardingRunner({
    steps: onboardingSteps(plugged),
    file: path.join(agent.deps.paths.stateDir, 'onboarding.json'),
    context,
    logger: agent.deps.logger.child('onboarding'),
    onChange: (state) => agent.hub.publish('onboarding.changed', state),
  });
}
