/**
 * Money on chain in exact integers (never a float): parsing amounts, USD values, ACT→AKT quotes.
 * ACT and AKT both have 6 decimals (1 ACT = 1e6 uact, 1 AKT = 1e6 uakt; chain-sdk
 * ts/src/network/config.ts). Text goes through the one formatter, src/api/money-format.ts, which
 * the renderer shares.
 */
import { formatTokens } from '../../api/money-format.js';

export type Unit = 'ACT' | 'AKT';
export const DENOM_OF: Record<Unit, 'uact' | 'uakt'> = { ACT: 'uact', AKT: 'uakt' };
const MICRO = 1_000_000n;
const DEC = 10n ** 18n;

/** 12_500_000n → "12.5 ACT"; keeps every micro digit that is not zero (the one formatter, src/api/money-format.ts). */
export function formatMicro(micro: bigint | string, unit: Unit): string {
  return formatTokens(micro, unit);
}

/** "12.5" (whole units, up to 6 decimals) → 12_500_000n; null when it is not such a number. */
export function parseUnits(text: string): bigint | null {
  const m = /^(\d+)(?:\.(\d{1,6}))?$/.exec(text.trim());
  if (!m) return null;
  return BigInt(m[1]!) * MICRO + BigInt((m[2] ?? '').padEnd(6, '0'));
}

/** A LegacyDec as text ("1.14") → 18-decimal atomics. */
export function decimalToAtomics(text: string): bigint {
  const m = /^(\d+)(?:\.(\d+))?$/.exec(text);
  if (!m) throw new Error(`not a decimal: ${text}`);
  return BigInt(m[1]!) * DEC + BigInt((m[2] ?? '').slice(0, 18).padEnd(18, '0'));
}

/** USD value of micro-units at a USD price per whole unit, as "$12.34" (cents truncated). ACT is $1. */
export function formatUsd(micro: bigint | string, usdPerUnit: string): string {
  const cents = (BigInt(micro) * decimalToAtomics(usdPerUnit) * 100n) / (MICRO * DEC);
  return `$${cents / 100n}.${(cents % 100n).toString().padStart(2, '0')}`;
}

/**
 * AKT minted for `uact` at an AKT price (USD), as x/bme computes it (node x/bme/keeper/keeper.go
 * prepareToBM): swap rate = 1 / price (LegacyDec, 18 decimals, rounded half to even), minted =
 * uact × rate truncated, spread = minted × bps / 10000 truncated, paid = minted − spread.
 */
export function quoteActToAkt(uact: bigint, aktUsd: string, settleSpreadBps: number): { minted: bigint; spread: bigint; paid: bigint } {
  const rate = chop((DEC * DEC * DEC) / decimalToAtomics(aktUsd));
  const mintedAtomics = uact * rate;
  const minted = mintedAtomics / DEC;
  const spread = chop((mintedAtomics * BigInt(settleSpreadBps) * DEC * DEC) / (10_000n * DEC)) / DEC;
  return { minted, spread, paid: minted - spread };
}

function chop(n: bigint): bigint {
  const q = n / DEC;
  const twice = (n % DEC) * 2n;
  return twice > DEC || (twice === DEC && q % 2n === 1n) ? q + 1n : q;
}
