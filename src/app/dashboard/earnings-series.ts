import type { EarningsPoint, EarningsRange, EarningsSeries } from '../../api/schemas/dashboard.js';
import { accruedAtomics, ASSUMED_SECONDS_PER_BLOCK, atomicsToMicro, blockAt, priceAtomicsOf, windowBlocks } from '../../provider/chain/accrual.js';

/** AKASH.md §2: 6.117 s average block time (the figure the helm price script uses); a measured one wins. */
export const SECONDS_PER_BLOCK = ASSUMED_SECONDS_PER_BLOCK;

export interface LeaseSpan {
  /** Block the lease started at, and closed at (0 = still open). */
  createdAt: number;
  closedOn: number;
  /** Micro units of `denom` per block. */
  pricePerBlock: number;
  /** The chain's exact price (`Dec` atomics, micro × 1e18) when known; wins over `pricePerBlock`. */
  priceAtomics?: string | undefined;
  denom: string;
  /** GPUs the lease runs (power is paid per running GPU). */
  gpus: number;
}

export interface SeriesInput {
  leases: LeaseSpan[];
  height: number;
  now: Date;
  usdPerAkt: number | null;
  powerUsdPerGpuHour: number | null;
  secondsPerBlock?: number;
}

const RANGES: Record<EarningsRange, { buckets: number; minutes: number }> = {
  '24h': { buckets: 24, minutes: 60 },
  '7d': { buckets: 28, minutes: 6 * 60 },
  '30d': { buckets: 30, minutes: 24 * 60 },
};

/** Stablecoin denoms (USDC over IBC) are already dollars: 1e6 micro = 1 USD. */
function isUsd(denom: string): boolean {
  return denom.startsWith('ibc/') || denom === 'uusdc' || denom === 'uact';
}

/** The moment a block was (or will be) made, counted back from the current height. */
export function blockTime(block: number, height: number, now: Date, secondsPerBlock = SECONDS_PER_BLOCK): Date {
  return new Date(now.getTime() - (height - block) * secondsPerBlock * 1000);
}

const r4 = (x: number) => Math.round(x * 1e4) / 1e4;

/**
 * What the leases paid in each hour / 6 hours / day of the last 24 h / 7 d / 30 d, gross and net
 * of the power the leased GPUs drew. Derived from the chain's lease records (start and end block,
 * price per block), so it needs no history file and agrees with the chain.
 */
export function earningsSeries(range: EarningsRange, input: SeriesInput): EarningsSeries {
  const spb = input.secondsPerBlock ?? SECONDS_PER_BLOCK;
  const { buckets, minutes } = RANGES[range];
  const bucketMs = minutes * 60_000;
  // Buckets end at the next whole bucket boundary after now, so the last one is "this hour".
  const end = Math.ceil(input.now.getTime() / bucketMs) * bucketMs;
  const start = end - buckets * bucketMs;
  const points: EarningsPoint[] = [];
  for (let b = 0; b < buckets; b++) points.push({ at: new Date(start + b * bucketMs).toISOString(), grossUsd: 0, powerUsd: 0, netUsd: 0, grossAkt: 0 });
  const nowMs = input.now.getTime();
  const height = input.height;
  // Bucket edges as blocks, so what a bucket earned is the same block arithmetic as earnings.get (accrual.ts).
  const edges: number[] = [];
  for (let b = 0; b <= buckets; b++) edges.push(blockAt(Math.min(start + b * bucketMs, nowMs), height, nowMs, spb));
  // Each bucket's money in exact micro-units (ACT/USDC, AKT), floored once per lease per bucket as the ledger does;
  // the chart's numbers are made from these at the end.
  const microUsd = points.map(() => 0n);
  const microAkt = points.map(() => 0n);
  for (const l of input.leases) {
    const span = { createdAt: l.createdAt, closedOn: l.closedOn, priceAtomics: priceAtomicsOf(l) };
    const from = blockTime(l.createdAt, height, input.now, spb).getTime();
    const to = l.closedOn > 0 ? blockTime(l.closedOn, height, input.now, spb).getTime() : nowMs;
    for (let b = 0; b < buckets; b++) {
      const p = points[b]!;
      const micro = atomicsToMicro(accruedAtomics([span], edges[b]!, edges[b + 1]!, height));
      if (l.denom === 'uakt') microAkt[b] = microAkt[b]! + micro;
      else if (isUsd(l.denom)) microUsd[b] = microUsd[b]! + micro;
      const bs = start + b * bucketMs;
      const overlap = Math.max(0, Math.min(to, bs + bucketMs, nowMs) - Math.max(from, bs));
      if (overlap > 0 && input.powerUsdPerGpuHour !== null) p.powerUsd += input.powerUsdPerGpuHour * l.gpus * (overlap / 3_600_000);
    }
  }
  for (const [b, p] of points.entries()) {
    p.grossAkt = Number(microAkt[b]!) / 1e6;
    p.grossUsd = Number(microUsd[b]!) / 1e6 + (input.usdPerAkt === null ? 0 : p.grossAkt * input.usdPerAkt);
  }
  for (const p of points) {
    p.netUsd = p.grossUsd - p.powerUsd;
    p.grossUsd = r4(p.grossUsd);
    p.powerUsd = r4(p.powerUsd);
    p.netUsd = r4(p.netUsd);
    p.grossAkt = r4(p.grossAkt);
  }
  const totals = windowTotals(input, buckets * bucketMs, spb);
  return {
    range,
    bucketMinutes: minutes,
    points,
    totals: { grossUsd: r4(totals.grossUsd), powerUsd: r4(totals.powerUsd), netUsd: r4(totals.netUsd), grossAkt: r4(totals.grossAkt) },
  };
}

/**
 * What the leases paid in exactly the last 24 h / 7 d / 30 d, ending now: the same block window
 * and arithmetic as earnings.get (leases-service.ts), so "24 h" on the Dashboard and "last 24 h"
 * on the Leases screen are one figure. The bars start at a whole hour (or day) and so span a
 * little less; their sum is not the total.
 */
function windowTotals(input: SeriesInput, spanMs: number, spb: number): EarningsSeries['totals'] {
  const nowMs = input.now.getTime();
  const from = input.height - windowBlocks(spanMs / 1000, spb);
  const atomics = new Map<string, bigint>();
  let powerUsd = 0;
  for (const l of input.leases) {
    const span = { createdAt: l.createdAt, closedOn: l.closedOn, priceAtomics: priceAtomicsOf(l) };
    atomics.set(l.denom, (atomics.get(l.denom) ?? 0n) + accruedAtomics([span], from, input.height, input.height));
    const started = blockTime(l.createdAt, input.height, input.now, spb).getTime();
    const ended = l.closedOn > 0 ? blockTime(l.closedOn, input.height, input.now, spb).getTime() : nowMs;
    const overlap = Math.max(0, Math.min(ended, nowMs) - Math.max(started, nowMs - spanMs));
    if (overlap > 0 && input.powerUsdPerGpuHour !== null) powerUsd += input.powerUsdPerGpuHour * l.gpus * (overlap / 3_600_000);
  }
  let grossUsd = 0;
  let grossAkt = 0;
  for (const [denom, sum] of atomics) {
    const units = Number(atomicsToMicro(sum)) / 1e6;
    if (denom === 'uakt') {
      grossAkt += units;
      if (input.usdPerAkt !== null) grossUsd += units * input.usdPerAkt;
    } else if (isUsd(denom)) grossUsd += units;
  }
  return { grossUsd: r4(grossUsd), powerUsd: r4(powerUsd), netUsd: r4(grossUsd - powerUsd), grossAkt: r4(grossAkt) };
}
