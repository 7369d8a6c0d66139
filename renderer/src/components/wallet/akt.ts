import { formatMicro } from '../../../../src/api/money-text.js';

/** Micro units (digits, or an integer number) as "1,234.5 AKT": the one money formatter, with thousands grouped. */
export function formatAkt(micro: string | number, unit = 'AKT'): string {
  return formatMicro(typeof micro === 'number' ? Math.round(micro) : micro, unit, { grouping: true });
}

export function formatUsd(usd: number | null): string {
  return usd === null ? '—' : `$${usd.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
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
