import { formatTokens } from '../../api/money-format.js';

/** 1 AKT = 1e6 uakt (AKASH.md §2). Cosmos `Dec` values travel in protobuf as integers scaled by 1e18. */
export const UAKT_PER_AKT = 1_000_000n;
export const DEC_SCALE = 10n ** 18n;

export function parseGasPrice(s: string): { numerator: bigint; denominator: bigint } {
  const m = /^(\d+)(?:\.(\d+))?uakt$/.exec(s);
  if (!m) throw new Error(`bad gas price ${s}`);
  const frac = m[2] ?? '';
  return { numerator: BigInt(`${m[1]}${frac}`), denominator: 10n ** BigInt(frac.length) };
}

/** "12.345678 AKT" from micro units, every digit kept (the one formatter, src/api/money-format.ts). */
export function formatAkt(uakt: bigint): string {
  return formatTokens(uakt, 'AKT');
}

/** Micro units (possibly fractional) as a JS number of whole units, for display and USD maths only. */
export function microToUnits(micro: number): number {
  return micro / 1e6;
}

/** A protobuf Dec amount (1e18-scaled integer string) as micro units (number; display only). */
export function decAtomicsToMicro(amount: string): number {
  if (!/^\d+$/.test(amount)) {
    // Some nodes (REST/amino) give "1.500000000000000000": accept that form too.
    const n = Number(amount);
    if (!Number.isFinite(n)) throw new Error(`bad Dec amount ${amount}`);
    return n;
  }
  const v = BigInt(amount);
  return Number(v / 10n ** 12n) / 1e6;
}
