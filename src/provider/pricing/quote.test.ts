import { describe, expect, it } from 'vitest';
import { PricingSettings } from '../../api/schemas/settings/pricing.js';
import { formatScaled, parseDecimal, toScaled, ceilDiv } from './exact.js';
import { quote } from './quote.js';

const now = new Date('2026-11-25T12:00:00Z');
const order = (denom: string, amount = '100000', extra: Record<string, unknown> = {}) => ({
  resources: [{ cpu: 1000, memory: 2 ** 30, gpu: { units: 1, attributes: { vendor: { nvidia: { model: 'rtx4090', ram: '24Gi', interface: 'pcie' } } } }, storage: [], count: 1, endpoint_quantity: 0, ip_lease_quantity: 0 }],
  price: { denom, amount },
  ...extra,
});
// $0.0022 CPU + $0.0011 RAM + $0.4967 GPU = $0.5 per hour, for round numbers.
const settings = PricingSettings.parse({ gpus: [{ key: 'rtx4090', usdPerHour: 0.4967 }] });

describe('exact helpers', () => {
  it.each([
    [0.0022, 12, 2200000000n],
    [0.1 + 0.2, 2, 30n],
    [1.2345678915, 9, 1234567892n],
    [0, 6, 0n],
  ])('toScaled(%s, %s)', (v, d, out) => expect(toScaled(v, d)).toBe(out));
  it.each([-1, Number.NaN, Number.POSITIVE_INFINITY])('toScaled refuses %s', (v) => expect(() => toScaled(v, 6)).toThrow());
  it.each([
    [1500000n, 6, '1.500000'],
    [123n, 6, '0.000123'],
    [15n, 0, '15'],
  ])('formatScaled(%s, %s)', (v, d, out) => expect(formatScaled(v, d)).toBe(out));
  it('parseDecimal and ceilDiv', () => {
    expect(parseDecimal('12.5', 3)).toBe(12500n);
    expect(() => parseDecimal('1e5', 3)).toThrow();
    expect(ceilDiv(7n, 2n)).toBe(4n);
    expect(ceilDiv(8n, 2n)).toBe(4n);
  });
});

describe('quote', () => {
  it('prices in uact as USD-micro per block, rounded up, with the arithmetic shown', () => {
    const q = quote(order('uact'), settings, null, null, { local: [], paused: false, now });
        expect(q.bid).toBe(true);
    // Independently: $0.5/h × 730.488 h = $365.244 a month; × 10^12 (µ and 6 decimals) / 429909 blocks, rounded up.
    expect(q.price).toBe(formatScaled(ceilDiv(365_244n * 10n ** 9n, 429_909n), 6));
    expect(q.grossUsdPerHour).toBeCloseTo(0.5, 9);
    expect(q.steps.join('\n')).toMatch(/429909 blocks/);
    expect(q.steps.join('\n')).toMatch(/Rounded up to 6 decimals: 849\.58\d+ uact/);
  });

  it('prices in uakt through the AKT price', () => {
    const q = quote(order('uakt'), settings, null, 2, { local: [], paused: false, now });
    expect(q.price).toBe(formatScaled(ceilDiv(365_244n * 10n ** 9n, 429_909n * 2n), 6));
  });

  it.each([
    ['paused', order('uakt'), { paused: true }, /paused/],
    ['above the order max', order('uakt', '1'), {}, /too low/],
    ['unknown denom', order('uatom'), {}, /denom not supported/],
    ['garbage', { nope: true }, {}, /not understood/],
  ])('does not bid when %s', (_n, o, ctx, reason) => {
    const q = quote(o, settings, null, 2, { local: [], paused: false, now, ...ctx });
    expect(q.bid).toBe(false);
    expect(q.reason).toMatch(reason);
  });

  it('shows net after electricity for the GPUs in the order', () => {
    const gpu = { name: '4090', akash: { model: 'rtx4090', ram: '24Gi', interface: 'pcie' }, powerDrawW: 30, powerLimitW: 450, powerMaxLimitW: 600 };
    const q = quote(order('uact'), settings, null, null, { local: [gpu], paused: false, now });
    expect(q.powerUsdPerHour).toBeCloseTo(0.0795, 6);
    expect(q.netUsdPerHour).toBeCloseTo(0.5 - 0.0795, 6);
  });
});
