import { formatTokens } from '../../../../src/api/money-format.js';

/**
 * Micro units (a digit string or a number) as "12.512345 AKT", every micro digit kept: for what a
 * person confirms (a send, a conversion, a fee). Screens' figures use formatAmount.
 */
export function formatAkt(micro: string | number, unit = 'AKT'): string {
  return formatTokens(micro, unit, { group: true });
}

/** A figure on a screen: "72.81 ACT", "0.0056 AKT" (src/api/money-format.ts); the exact amount goes in its title. */
export function formatAmount(micro: string | number, unit = 'AKT'): string {
  return formatTokens(micro, unit, { group: true, precision: 'summary' });
}

/** Made once: a formatter built per call costs more than the formatting (the earnings chart formats dozens). */
const CENTS = new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

export function formatUsd(usd: number | null): string {
  return usd === null ? '—' : `$${CENTS.format(usd)}`;
}

/** "1.5" → "1500000"; null when it is not an AKT amount with at most 6 decimals. */
export function aktToMicro(text: string): string | null {
  const m = /^(\d{1,12})(?:\.(\d{1,6}))?$/.exec(text.trim());
  if (!m) return null;
  const v = BigInt(m[1]!) * 1_000_000n + BigInt((m[2] ?? '').padEnd(6, '0'));
  return v > 0n ? v.toString() : null;
}

export function shortAddress(a: string): string {
  return a.length > 20 ? `${a.slice(0, 12)}…${a.slice(-6)}` : a;
}
