import path from 'node:path';
import type { HardwareReport } from '../../api/schemas/hardware.js';
import { localNetwork } from '../../hardware/bench/network-info.js';
import { runPortsCheck } from '../../hardware/bench/network-bench.js';
import type { EventHub } from '../../core/event-hub.js';
import type { NetworkService } from '../../provider/network/index.js';
import type { Logger } from '../../util/logger.js';
import type { PricingService } from '../pricing/pricing-service.js';
import { networkCheck, pricingCheck, providingCheck, walletCheck, withNetworkPath } from './onboarding-checks.js';
import { OnboardingRunner } from './onboarding-runner.js';
import { onboardingSteps, type OnboardingContext } from './onboarding-steps.js';
import { startProviding, type StartProvidingDeps } from './start-providing.js';

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

/** What the onboarding wizard needs from the rest of the agent, and nothing more. */
export interface OnboardingRoomDeps extends StartProvidingDeps {
  hub: Pick<EventHub, 'subscribe' | 'publish'>;
  pricing: Pick<PricingService, 'view' | 'estimate'>;
  network: Pick<NetworkService, 'lastReport'>;
  platform: NodeJS.Platform;
  stateDir: string;
  logger: Logger;
}

/** A scan this young is fresh enough for the provider attributes in the providing check. */
const REPORT_MAX_AGE_MS = 10 * 60_000;

export function realSeams(deps: OnboardingRoomDeps): Required<OnboardingSeams> {
  return {
    wallet: async () => walletCheck((await deps.chain()).wallet),
    pricing: async (confirmed) => {
      const [view, estimate] = await Promise.all([deps.pricing.view(), deps.pricing.estimate(undefined, undefined)]);
      return pricingCheck(view, estimate, confirmed);
    },
    network: async (confirmed) => {
      const settings = await deps.settings.all();
      const ports = async () => runPortsCheck({ local: await localNetwork(deps.platform), settings: settings.bench.network, signal: new AbortController().signal });
      // Only a detection the person already ran (the Network step shows it): a check never asks the router by itself.
      return withNetworkPath(await networkCheck(settings, ports, confirmed), deps.network.lastReport());
    },
    providing: async () =>
      providingCheck(await deps.stack().status(), async () => {
        const report: HardwareReport | null = await deps.hardware.scan({ maxAgeMs: REPORT_MAX_AGE_MS }).catch(() => null);
        return (await deps.chain()).provider.plan(report, (await deps.settings.all()).chain.provider, await deps.farm().attributeBuilder().catch(() => undefined));
      }),
    startProviding: (signal) => startProviding(deps, signal),
  };
}

export function createOnboardingRunner(deps: OnboardingRoomDeps, seams: OnboardingSeams): OnboardingRunner<OnboardingContext> {
  const plugged: Required<OnboardingSeams> = { ...realSeams(deps), ...seams };
  const context = (): OnboardingContext => ({
    scan: (maxAgeMs) => deps.hardware.scan({ maxAgeMs }),
    lastReport: () => deps.hardware.last(),
    ...plugged,
  });
  return new OnboardingRunner({
    steps: onboardingSteps(plugged),
    file: path.join(deps.stateDir, 'onboarding.json'),
    context,
    logger: deps.logger.child('onboarding'),
    onChange: (state) => deps.hub.publish('onboarding.changed', state),
  });
}
