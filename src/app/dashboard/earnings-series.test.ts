import { describe, expect, it } from 'vitest';
import { blockTime, earningsSeries, type LeaseSpan } from './earnings-series.js';

const now = new Date('2026-11-30T12:30:00Z');
const spb = 6; // 600 blocks an hour, 14,400 a day
const height = 1_000_000;
const hoursAgo = (h: number) => height - h * 600;
const lease = (p: Partial<LeaseSpan>): LeaseSpan => ({ createdAt: hoursAgo(2), closedOn: 0, pricePerBlock: 100, denom: 'uakt', gpus: 1, ...p });

describe('earningsSeries', () => {
  it('buckets the last 24 h by the hour and counts a lease only while it ran', () => {
    // 100 uakt × 600 blocks = 0.06 AKT an hour; running for the last 2 h.
    const s = earningsSeries('24h', { leases: [lease({})], height, now, usdPerAkt: 2, powerUsdPerGpuHour: 0.05, secondsPerBlock: spb });
    expect(s.points).toHaveLength(24);
    expect(s.bucketMinutes).toBe(60);
    expect(s.points.at(-1)!.at).toBe('2026-11-30T12:00:00.000Z');
    expect(s.totals.grossAkt).toBeCloseTo(0.12, 6);
    expect(s.totals.grossUsd).toBeCloseTo(0.24, 6);
    expect(s.totals.powerUsd).toBeCloseTo(0.1, 6);
    expect(s.totals.netUsd).toBeCloseTo(0.14, 6);
    // 10:30–11:00, 11:00–12:00, 12:00–12:30: nothing before the lease began.
    const earning = s.points.filter((p) => p.grossAkt > 0).map((p) => [p.at.slice(11, 16), p.grossAkt]);
    expect(earning).toEqual([
      ['10:00', 0.03],
      ['11:00', 0.06],
      ['12:00', 0.03],
    ]);
  });

  it('stops counting at the close block, and 7 d / 30 d cover the older leases', () => {
    const old = lease({ createdAt: hoursAgo(24 * 10), closedOn: hoursAgo(24 * 9) });
    const day = earningsSeries('24h', { leases: [old], height, now, usdPerAkt: 1, powerUsdPerGpuHour: null, secondsPerBlock: spb });
    const week = earningsSeries('7d', { leases: [old], height, now, usdPerAkt: 1, powerUsdPerGpuHour: null, secondsPerBlock: spb });
    const month = earningsSeries('30d', { leases: [old], height, now, usdPerAkt: 1, powerUsdPerGpuHour: null, secondsPerBlock: spb });
    expect(day.totals.grossAkt).toBe(0);
    expect(week.totals.grossAkt).toBe(0);
    expect(week.points).toHaveLength(28);
    expect(month.points).toHaveLength(30);
    expect(month.totals.grossAkt).toBeCloseTo(24 * 0.06, 6);
    expect(month.totals.powerUsd).toBe(0);
  });

  it('counts USDC leases as dollars, leaves AKT out of USD when no AKT price is known, and charges power per GPU', () => {
    const usdc = lease({ denom: 'ibc/170C677610AC31DF0904FFE09CD3B5C657492170E7E52372E48756B71E56F2F1', pricePerBlock: 50, gpus: 2 });
    const akt = lease({});
    const s = earningsSeries('24h', { leases: [usdc, akt], height, now, usdPerAkt: null, powerUsdPerGpuHour: 0.01, secondsPerBlock: spb });
    expect(s.totals.grossUsd).toBeCloseTo(2 * 0.03, 6);
    expect(s.totals.grossAkt).toBeCloseTo(0.12, 6);
    expect(s.totals.powerUsd).toBeCloseTo((2 + 1) * 2 * 0.01, 6);
    expect(s.totals.netUsd).toBeCloseTo(s.totals.grossUsd - s.totals.powerUsd, 6);
  });

  it('totals exactly the last 24 h, as the Leases screen counts it, though the first bar starts at a whole hour', () => {
    // Running for 30 h: the 24 bars span 23.5 h (11:00 yesterday … now), the total the whole 24 h.
    const s = earningsSeries('24h', { leases: [lease({ createdAt: hoursAgo(30) })], height, now, usdPerAkt: 1, powerUsdPerGpuHour: 0.01, secondsPerBlock: spb });
    expect(s.totals.grossAkt).toBeCloseTo(24 * 0.06, 6);
    expect(s.totals.powerUsd).toBeCloseTo(24 * 0.01, 6);
    const bars = s.points.reduce((sum, p) => sum + p.grossAkt, 0);
    expect(bars).toBeCloseTo(23.5 * 0.06, 6);
  });

  it('maps a block height to wall time with the average block time', () => {
    expect(blockTime(hoursAgo(1), height, now, spb).toISOString()).toBe('2026-11-30T11:30:00.000Z');
  });
});
