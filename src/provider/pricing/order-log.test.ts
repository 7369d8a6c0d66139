import { describe, expect, it } from 'vitest';
import { parseOrderLog, summarizeOrders, toDecision } from './order-log.js';

const line = (t: number, extra: Record<string, unknown>) => JSON.stringify({ v: 1, t, denom: 'uact', maxPrice: '900.000000000000000000', gpus: [{ vendor: 'nvidia', model: 'rtx4090', ram: '24Gi', interface: null, units: 1 }], ...extra });

describe('the bid script order log, read back', () => {
  it('skips and counts lines that do not parse, and keeps only the window', () => {
    const older = [line(100, { decision: 'bid', price: '500.1' }), line(2_000, { decision: 'bid', price: '500.1' })].join('\n');
    const current = [
      line(2_100, { decision: 'refused', code: 'price_too_low', price: '950.000001', reason: 'requested rate is too low' }),
      '{"v":1,"t":2200,"decision":"bid"', // cut short by a full disk
      JSON.stringify({ v: 2, t: 2_300, decision: 'bid' }), // another version
      line(2_400, { decision: 'refused', code: 'no_such_code' }),
      'x'.repeat(20_000),
      line(2_500, { decision: 'refused', code: 'paused', reason: 'paused: gaming', gpus: [] }),
      '',
    ].join('\n');
    const { lines, skipped } = parseOrderLog([older, current], 1_000);
    expect(skipped).toBe(4);
    expect(lines.map((l) => l.t)).toEqual([2_000, 2_100, 2_500]);
    expect(toDecision(lines[1]!)).toMatchObject({ at: new Date(2_100_000).toISOString(), words: 'not bid: the order pays at most 900, your price is 950.000001 uact per block' });
    expect(toDecision(lines[2]!).words).toBe('not bid: paused');
  });

  it('sums GPU orders by decision and reason for the Dashboard line', () => {
    const gpuLines = [
      ...Array.from({ length: 9 }, (_, i) => line(i, { decision: 'bid', price: '500' })),
      ...Array.from({ length: 3 }, (_, i) => line(20 + i, { decision: 'refused', code: 'price_too_low', price: '1000' })),
      line(30, { decision: 'refused', code: 'stale_akt_rate', denom: 'uakt' }),
      line(31, { decision: 'refused', code: 'nothing_to_price', gpus: [] }),
    ].join('\n');
    const { lines } = parseOrderLog([gpuLines], 0);
    const s = summarizeOrders(lines);
    expect(s.line).toBe('13 GPU orders today: bid on 9, 3 below your price, 1 AKT price too old');
    expect(s).toMatchObject({ total: 14, gpuOrders: 13, bid: 9 });
    expect(summarizeOrders([]).line).toBe('No orders reached your bid script today.');
  });
});
