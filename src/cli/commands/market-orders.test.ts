import { describe, expect, it } from 'vitest';
import { formatOpenOrders, formatOrderLog } from '../format/orders.js';
import { parseSince } from './market-orders.js';

describe('riglease market orders | open-orders', () => {
  it('reads --since as minutes, hours or days, and refuses anything else', () => {
    expect(parseSince('90m')).toBe(1.5);
    expect(parseSince('24h')).toBe(24);
    expect(parseSince('7d')).toBe(168);
    expect(parseSince('12')).toBe(12);
    for (const bad of ['0h', '31d', '3x', '-1h', '']) expect(() => parseSince(bad), bad).toThrow(/not a duration/);
  });

  it('prints the summary first, then each order with its decision in words', () => {
    const text = formatOrderLog({
      source: 'node',
      message: 'Read from the provider.',
      sinceHours: 24,
      skipped: 0,
      notSeen: 'Orders turned away before pricing are not listed.',
      summary: { total: 1, gpuOrders: 1, bid: 0, refused: [{ code: 'price_too_low', words: 'below your price', count: 1 }], line: '1 GPU order today: bid on 0, 1 below your price' },
      orders: [{ at: '2026-12-06T01:02:03.000Z', owner: 'akash1qypqxpq9qcrsszg2pvxq6rs0zqg3yyc5wrtx6f', denom: 'uact', maxPrice: '220.000000000000000000', gpus: [{ vendor: 'nvidia', model: '*', units: 2 }], decision: 'refused', code: 'price_too_low', price: '604.1', words: 'not bid: the order pays at most 220, your price is 604.1 uact per block' }],
    });
    expect(text.split('\n')[0]).toBe('1 GPU order today: bid on 0, 1 below your price');
    expect(text).toContain('2026-12-06 01:02:03  2 × any GPU');
    expect(text).toContain('max 220 uact');
    expect(text).toContain('not bid: the order pays at most 220, your price is 604.1 uact per block');
    const open = formatOpenOrders({ models: ['rtx3090'], sinceHours: 24, scanned: 3, message: '1 open order', orders: [{ id: 'akash1x/42/1/1', owner: 'akash1x', dseq: '42', createdHeight: 10, createdAt: null, gpus: [{ vendor: 'nvidia', model: 'rtx3090', ram: '24Gi', units: 1 }], denom: 'uact', maxPrice: '900.5', wouldBid: true, price: '604.1', code: null, reason: null, words: 'would bid 604.1 uact per block' }] });
    expect(open).toContain('block 10  42/1/1  1 × rtx3090 24Gi');
    expect(open).toContain('would bid 604.1 uact per block');
  });
});
