import { generateMnemonic } from '../../provider/chain/index.js';
import type { Agent } from '../agent.js';
import type { PricingService } from '../pricing/pricing-service.js';
import { createHeadlessAgent } from '../headless-host.js';
import { DEMO_DOMAIN, DEMO_EMAIL, DEMO_HOST_URI, DEMO_ORDERS, demoBidOrder, type DemoOrder } from './demo-seed.js';
import { startDemoWorld, type DemoWorld, type DemoWorldOptions } from './demo-world.js';

export interface DemoAgent {
  agent: Agent;
  world: DemoWorld;
  /** Stops the agent, then the demo chain and market, and deletes the throwaway data folder. */
  close(): Promise<void>;
}

/**
 * The agent of `riglease serve --demo`: built exactly like the real headless one, but inside the
 * demo world (see demo-world.ts), with a fresh wallet that exists only on the demo chain — created
 * here at random, never written outside the throwaway folder — registered and earning there.
 */
export async function openDemoAgent(opts: DemoWorldOptions & { version: string; host?: 'headless' | 'cli'; logToStderr?: boolean }): Promise<DemoAgent> {
  const world = await startDemoWorld({ baseEnv: opts.baseEnv, appRoot: opts.appRoot, resourcesPath: opts.resourcesPath, isPackaged: opts.isPackaged });
  let agent: Agent | null = null;
  try {
    agent = createHeadlessAgent({
      host: opts.host ?? 'headless',
      version: opts.version,
      env: world.env,
      demo: true,
      nvidiaSmi: world.nvidiaSmi,
      getPassphrase: async () => world.passphrase,
      ...(opts.logToStderr === undefined ? {} : { logToStderr: opts.logToStderr }),
    }).agent;
    const wallet = await (await agent.chain()).wallet.importMnemonic(generateMnemonic(), false);
    if (!wallet.address) throw new Error('the demo wallet has no address');
    // The domain and address the seeded provider record points at: a newcomer is not asked to invent one.
    await agent.settings.update((s) => {
      s.stack.domain = DEMO_DOMAIN;
      s.chain.provider.hostUri = DEMO_HOST_URI;
      s.chain.provider.email = DEMO_EMAIL;
      // The earning rig follows the market (a price above it would win no lease): the Dashboard
      // never blames a price the Pricing screen shows below the market.
      s.pricing.strategy = 'follow-market';
    });
    // Market prices and the AKT rate from the demo's Console API stand-in, so USD figures show at once.
    await agent.pricing.market(true);
    world.seed(wallet.address, await demoLeasePrices(agent.pricing));
  } catch (err) {
    await agent?.stop().catch(() => undefined);
    await world.stop();
    throw err;
  }
  const a = agent;
  return {
    agent: a,
    world,
    close: async () => {
      await a.stop().catch(() => undefined);
      await world.stop();
    },
  };
}

/**
 * What each seeded lease pays a block: this rig's own bid for its order (the real quote the bid
 * script gives), so the Leases screen, the Dashboard and "Quote an order" on Pricing agree.
 */
async function demoLeasePrices(pricing: Pick<PricingService, 'quote'>): Promise<(o: DemoOrder) => string> {
  const prices = new Map<number, string>();
  for (const o of DEMO_ORDERS) {
    const q = await pricing.quote(demoBidOrder(o));
    if (!q.bid || q.price === null) throw new Error(`the demo rig would not bid for its own seeded order ${o.name}: ${q.reason ?? 'no price'}`);
    prices.set(o.dseq, q.price);
  }
  return (o) => prices.get(o.dseq) ?? '0';
}
