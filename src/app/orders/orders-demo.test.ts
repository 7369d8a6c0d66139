import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Handler } from '../../api/dispatch.js';
import { openDemoAgent, type DemoAgent } from '../demo/demo-agent.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

/**
 * Demo mode's order log and open orders come from the demo chain's seeded orders, read over the
 * chain client and priced by the same quote the bid script agrees with.
 */
describe('orders in demo mode', () => {
  let demo: DemoAgent;
  beforeAll(async () => {
    demo = await openDemoAgent({ baseEnv: { HOME: process.env['HOME'] ?? '/' }, appRoot: repoRoot, version: '0.0.0-test', host: 'headless' });
  }, 30_000);
  afterAll(async () => {
    await demo?.close();
  });
  const ctx = { via: 'internal' } as const;

  it('logs the orders that reach the script, and the open orders say the same decision for each', async () => {
    const log = await (demo.agent.handlers['orders.log'] as Handler<'orders.log'>)({ sinceHours: 24 }, ctx);
    expect(log.source).toBe('demo');
    expect(log.summary.line).toBe('12 GPU orders today: bid on 9, 3 below your price');
    // The A100 order never reaches the script (the rig has none); the two CPU-only ones do.
    expect(log.orders).toHaveLength(14);
    expect(log.orders.some((o) => o.gpus?.some((g) => g.model === 'a100'))).toBe(false);
    const open = await (demo.agent.handlers['orders.open'] as Handler<'orders.open'>)({ sinceHours: 24 }, ctx);
    expect(open.models).toEqual(['rtx3090']);
    expect(open.orders).toHaveLength(12);
    for (const o of open.orders) {
      const logged = log.orders.find((l) => l.owner === o.owner)!;
      expect(o.wouldBid).toBe(logged.decision === 'bid');
      expect(o.price).toBe(logged.price ?? null);
      expect(o.words).toMatch(o.wouldBid ? /^would bid \d+\.\d+ uact per block$/ : /^would not bid: the order pays at most \d+, your price is/);
    }
  });
});
