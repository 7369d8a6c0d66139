/** Micro units (a digit string or a number) as "12.5 AKT"; exact for strings, rounded for numbers. */
export function formatAkt(micro: string | number, unit = 'AKT'): string {
  const v = typeof micro === 'number' ? BigInt(Math.round(micro)) : BigInt(micro);
  const neg = v < 0n;
  const a = neg ? -v : v;
  const frac = (a % 1_000_000n).toString().padStart(6, '0').replace(/0+$/, '');
  return `${neg ? '-' : ''}${(a / 1_000_000n).toLocaleString('en-US')}${frac ? `.${frac}` : ''} ${unit}`;
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
