import type { z } from 'zod';
import type { ClientSchemas } from '../../../src/api/client.js';
import type { Method } from '../../../src/api/contract.js';
import { RigError } from '../../../src/api/errors.js';
import type { MethodSpec } from '../../../src/api/method.js';
import { appMethods } from '../../../src/api/methods/app.js';
import { dashboardMethods } from '../../../src/api/methods/dashboard.js';

/**
 * The contract's schemas, built one domain at a time on its first call. Building every method's
 * zod schemas when the page starts cost the first screen tens of ms of main thread before React
 * ran. Every answer is still checked against its method's output schema, as with the whole
 * contract (`contractSchemas`). The domains the first screen draws with (the header, the landing
 * and the Dashboard's status card) come with the shell, so their answers can be shown in the first
 * render. Settings are not among them although every start asks the theme: its schemas are the
 * largest, and boot.ts paints with the remembered theme until the answer is checked.
 */
const domains = {
  app: () => appMethods,
  availability: () => import('../../../src/api/methods/availability.js').then((m) => m.availabilityMethods),
  bench: () => import('../../../src/api/methods/bench.js').then((m) => m.benchMethods),
  bme: () => import('../../../src/api/methods/bme.js').then((m) => m.bmeMethods),
  chain: () => import('../../../src/api/methods/chain.js').then((m) => m.chainMethods),
  dashboard: () => dashboardMethods,
  diagnostics: () => import('../../../src/api/methods/diagnostics.js').then((m) => m.diagnosticsMethods),
  farm: () => import('../../../src/api/methods/farm.js').then((m) => m.farmMethods),
  hardware: () => import('../../../src/api/methods/hardware.js').then((m) => m.hardwareMethods),
  network: () => import('../../../src/api/methods/network.js').then((m) => m.networkMethods),
  onboarding: () => import('../../../src/api/methods/onboarding.js').then((m) => m.onboardingMethods),
  orders: () => import('../../../src/api/methods/orders.js').then((m) => m.ordersMethods),
  pricing: () => import('../../../src/api/methods/pricing.js').then((m) => m.pricingMethods),
  reclaim: () => import('../../../src/api/methods/reclaim.js').then((m) => m.reclaimMethods),
  relay: () => import('../../../src/api/methods/relay.js').then((m) => m.relayMethods),
  secrets: () => import('../../../src/api/methods/secrets.js').then((m) => m.secretsMethods),
  settings: () => import('../../../src/api/methods/settings.js').then((m) => m.settingsMethods),
  stack: () => import('../../../src/api/methods/stack.js').then((m) => m.stackMethods),
  task: () => import('../../../src/api/methods/task.js').then((m) => m.taskMethods),
} satisfies Record<string, () => Record<string, MethodSpec> | Promise<Record<string, MethodSpec>>>;

type Domain = keyof typeof domains;
type MethodsOf<D extends Domain> = keyof Awaited<ReturnType<(typeof domains)[D]>>;

/**
 * Which domain's file holds each method. The compiler checks both ways: a name listed under a
 * domain that does not define it fails here, and so does a method of the contract listed nowhere.
 */
const methodsByDomain = {
  app: ['app.info'],
  availability: ['availability.get', 'availability.set', 'availability.history'],
  bench: ['bench.run', 'bench.history', 'bench.ladder', 'bench.mapPorts', 'bench.portsStatus'],
  bme: ['wallet.conversions', 'earnings.csv', 'wallet.convertPreview', 'wallet.convert'],
  chain: [
    'wallet.status', 'wallet.info', 'wallet.create', 'wallet.confirmBackup', 'wallet.import', 'wallet.previewSend', 'wallet.send', 'wallet.reveal',
    'network.get', 'network.set', 'provider.show', 'provider.register', 'provider.update', 'leases.list', 'earnings.get', 'leases.withdraw',
  ],
  dashboard: ['dashboard.summary', 'rig.status'],
  diagnostics: ['diagnostics.checks', 'diagnostics.export', 'diagnostics.repairPreview', 'diagnostics.repair'],
  farm: ['farm.token', 'farm.join', 'farm.joinStart', 'farm.status', 'farm.pause', 'farm.resume', 'farm.pauseAll', 'farm.resumeAll', 'farm.offline', 'farm.revokeToken', 'farm.leave', 'farm.remove'],
  hardware: ['hardware.scan'],
  network: ['network.detect', 'network.dnsStatus', 'network.dnsSync', 'network.reachability', 'network.setDnsToken'],
  onboarding: ['onboarding.state', 'onboarding.next', 'onboarding.retry'],
  orders: ['orders.log', 'orders.open'],
  pricing: ['pricing.get', 'pricing.set', 'pricing.quote', 'pricing.estimate', 'market.gpuPrices'],
  reclaim: ['leases.reclaimPreview', 'leases.reclaim', 'leases.closeReclaimed'],
  relay: ['relay.init', 'relay.setupScript', 'relay.status', 'relay.up', 'relay.down'],
  secrets: ['secrets.status', 'secrets.unlock'],
  settings: ['settings.all', 'settings.get', 'settings.set', 'settings.setMany', 'settings.problems'],
  stack: ['stack.plan', 'stack.up', 'stack.upgrade', 'stack.down', 'stack.start', 'stack.restart', 'stack.status', 'stack.logs', 'stack.logsFollow', 'stack.uninstall'],
  task: ['task.get', 'task.list', 'task.cancel'],
} as const satisfies { [D in Domain]: readonly MethodsOf<D>[] };

type Listed = (typeof methodsByDomain)[Domain][number];
/** Fails to compile while a method of the contract is missing above (its name is in the error). */
const everyMethodListed: Record<Exclude<Method, Listed>, never> = {};
void everyMethodListed;

export const domainOf = new Map<Method, Domain>(
  (Object.entries(methodsByDomain) as [Domain, readonly Method[]][]).flatMap(([domain, names]) => names.map((name) => [name, domain] as const)),
);

/**
 * One load per domain, shared by every call; once loaded it is handed out at once (a call then
 * checks its answer without waiting); a failed load (the agent gone) is asked again next time.
 */
function once<T>(load: () => T | Promise<T>): () => T | Promise<T> {
  let loaded: { value: T } | null = null;
  let pending: Promise<T> | null = null;
  return () => {
    if (loaded) return loaded.value;
    if (pending) return pending;
    const value = load();
    if (!(value instanceof Promise)) {
      loaded = { value };
      return value;
    }
    pending = value.then(
      (v) => {
        loaded = { value: v };
        return v;
      },
      (err: unknown) => {
        pending = null;
        throw unreachable(err);
      },
    );
    return pending;
  };
}

function unreachable(cause: unknown): RigError {
  return new RigError('unavailable', 'This page cannot load part of itself from the RigLease agent.', 'Check that `riglease serve` is still running, then reload this page.', { cause });
}

type Specs = Record<string, MethodSpec>;
const loadDomain = Object.fromEntries((Object.keys(domains) as Domain[]).map((d) => [d, once<Specs>(domains[d])])) as Record<Domain, () => Specs | Promise<Specs>>;
const loadEvents = once(() => import('../../../src/api/events.js').then((m) => m.events as Record<string, z.ZodType>));

function pick<T, R>(value: T | Promise<T>, f: (v: T) => R): R | Promise<R> {
  return value instanceof Promise ? value.then(f) : f(value);
}

export const lazySchemas: ClientSchemas = {
  output(method) {
    const domain = domainOf.get(method);
    // Unreachable while the table above compiles; kept so a wrong table fails loudly, not silently.
    if (!domain) throw new RigError('internal', `The page has no schema for ${method}.`);
    return pick(loadDomain[domain](), (methods) => {
      const spec = methods[method];
      if (!spec) throw new RigError('internal', `The page has no schema for ${method}.`);
      return spec.output;
    });
  },
  event(event) {
    return pick(loadEvents(), (all) => {
      const schema = all[event];
      if (!schema) throw new RigError('internal', `The page has no schema for the ${event} event.`);
      return schema;
    });
  },
};

