/**
 * What leases earned, in exact integers: one implementation for `earnings.get` and the
 * Dashboard's earnings series (src/app/dashboard/earnings-series.ts). Light on purpose (no chain
 * libraries), so it may be imported outside src/provider/chain (eslint.config.js).
 *
 * A lease's price is a Cosmos `Dec` per block: micro units × 1e18 ("atomics"). A lease created at
 * block `c` and closed at block `e` (or still open at height `h`) has accrued for the blocks
 * (c, e] — `e - c` blocks. Sums stay in atomics and become micro units (floored) once, at the end.
 */

/** Cosmos `Dec` precision: 1 micro unit = 1e18 atomics. */
export const ATOMICS_PER_MICRO = 10n ** 18n;
export { ASSUMED_SECONDS_PER_BLOCK } from '../../api/format/block-time.js';

export interface AccrualSpan {
  /** Block the lease started at, and closed at (0 = still open). */
  createdAt: number;
  closedOn: number;
  /** Price per block in atomics (micro units × 1e18). */
  priceAtomics: bigint;
}

/** Price atomics from a lease row: the chain's exact `Dec` when known, else the micro number (to 1e-6 micro). */
export function priceAtomicsOf(l: { pricePerBlock: number; priceAtomics?: string | undefined }): bigint {
  if (l.priceAtomics !== undefined && /^\d+$/.test(l.priceAtomics)) return BigInt(l.priceAtomics);
  return BigInt(Math.round(l.pricePerBlock * 1e6)) * 10n ** 12n;
}

/**
 * Blocks of `span` that fall in the block range (from, to], i.e. blocks from+1 … to, with the
 * lease's own blocks (createdAt, closedOn || height]. Never negative.
 */
export function blocksIn(span: Pick<AccrualSpan, 'createdAt' | 'closedOn'>, from: number, to: number, height: number): bigint {
  const end = Math.min(span.closedOn > 0 ? span.closedOn : height, height, to);
  const start = Math.max(span.createdAt, from);
  return end > start ? BigInt(end - start) : 0n;
}

/** Atomics accrued by every span in (from, to]. */
export function accruedAtomics(spans: readonly AccrualSpan[], from: number, to: number, height: number): bigint {
  let sum = 0n;
  for (const s of spans) sum += s.priceAtomics * blocksIn(s, from, to, height);
  return sum;
}

/** Whole micro units (floored) of an atomics sum. */
export function atomicsToMicro(atomics: bigint): bigint {
  return atomics / ATOMICS_PER_MICRO;
}

/** How many blocks a window of `seconds` spans at `secondsPerBlock` (rounded to whole blocks). */
export function windowBlocks(seconds: number, secondsPerBlock: number): number {
  if (!(secondsPerBlock > 0)) throw new Error(`bad block time ${secondsPerBlock}`);
  return Math.round(seconds / secondsPerBlock);
}

/** The block made at a wall-clock moment, counted back from the current height at `nowMs` (whole blocks). */
export function blockAt(atMs: number, height: number, nowMs: number, secondsPerBlock: number): number {
  return height - Math.round((nowMs - atMs) / 1000 / secondsPerBlock);
}

/** Average block time from two block headers; null when they cannot tell (same height, clock going backwards). */
export function averageBlockSeconds(older: { height: number; timeMs: number }, newer: { height: number; timeMs: number }): number | null {
  const blocks = newer.height - older.height;
  const ms = newer.timeMs - older.timeMs;
  if (blocks <= 0 || ms <= 0) return null;
  return ms / 1000 / blocks;
}
