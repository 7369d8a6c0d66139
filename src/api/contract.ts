import type { z } from 'zod';
import type { MethodSpec } from './method.js';
import { appMethods } from './methods/app.js';
import { availabilityMethods } from './methods/availability.js';
import { pricingMethods } from './methods/pricing.js';
import { chainMethods } from './methods/chain.js';
import { hardwareMethods } from './methods/hardware.js';
import { settingsMethods } from './methods/settings.js';
import { stackMethods } from './methods/stack.js';
import { taskMethods } from './methods/task.js';
import { benchMethods } from './methods/bench.js';
import { diagnosticsMethods } from './methods/diagnostics.js';
import { onboardingMethods } from './methods/onboarding.js';
import { farmMethods } from './methods/farm.js';
import { dashboardMethods } from './methods/dashboard.js';
import { reclaimMethods } from './methods/reclaim.js';
import { bmeMethods } from './methods/bme.js';
import { relayMethods } from './methods/relay.js';
import { networkMethods } from './methods/network.js';
import { secretsMethods } from './methods/secrets.js';
import { ordersMethods } from './methods/orders.js';

/**
 * The whole API, written once. Electron IPC, the HTTP/WS server and the CLI all bind this
 * object with one loop; the renderer's client is typed from it. Each domain owns its file
 * in ./methods/ and is merged here.
 */
export const contract = {
  ...appMethods,
  ...availabilityMethods,
  ...pricingMethods,
  ...chainMethods,
  ...hardwareMethods,
  ...settingsMethods,
  ...stackMethods,
  ...taskMethods,
  ...benchMethods,
  ...diagnosticsMethods,
  ...onboardingMethods,
  ...farmMethods,
  ...dashboardMethods,
  ...secretsMethods,
  ...reclaimMethods,
  ...bmeMethods,
  ...relayMethods,
  ...networkMethods,
  ...ordersMethods,
} as const satisfies Record<string, MethodSpec>;

export type Contract = typeof contract;
export type Method = keyof Contract;
/** What a caller passes (defaults not yet applied). */
export type In<M extends Method> = z.input<Contract[M]['input']>;
/** What a handler receives (defaults applied, validated). */
export type Parsed<M extends Method> = z.output<Contract[M]['input']>;
export type Out<M extends Method> = z.output<Contract[M]['output']>;

export const METHOD_NAMES = Object.keys(contract) as Method[];
export function isMethod(name: unknown): name is Method {
  return typeof name === 'string' && Object.hasOwn(contract, name);
}
