/**
 * Exact decimal arithmetic on BigInt. The quote and the generated bid script (which uses `bc`)
 * must print the same digits for every order, so neither side may use floating point between
 * the integer price table and the printed per-block price.
 */

/** A non-negative finite number as an integer count of 10^-digits units (decimal rounding of its shortest form). */
export function toScaled(value: number, digits: number): bigint {
  if (!Number.isFinite(value) || value < 0) throw new RangeError(`not a non-negative finite number: ${value}`);
  // toFixed works on the exact binary value and rounds half up in decimal, the same on every platform.
  const fixed = value.toFixed(digits);
  return BigInt(fixed.replace('.', ''));
}

/** `12.345` → 12345n × 10^(digits-3); refuses anything but plain decimals. */
export function parseDecimal(text: string, digits: number): bigint {
  const m = /^([0-9]+)(?:\.([0-9]+))?$/.exec(text);
  if (!m) throw new RangeError(`not a plain decimal: ${text}`);
  const frac = m[2] ?? '';
  if (frac.length > digits) throw new RangeError(`more than ${digits} decimals: ${text}`);
  return BigInt(m[1]! + frac.padEnd(digits, '0'));
}

/** Integer of 10^-digits units → `"1.500000"`; digits 0 → `"15"` (what `bc` prints with scale=digits, plus a leading 0). */
export function formatScaled(value: bigint, digits: number): string {
  if (value < 0n) throw new RangeError('negative');
  if (digits === 0) return value.toString();
  const s = value.toString().padStart(digits + 1, '0');
  return `${s.slice(0, -digits)}.${s.slice(-digits)}`;
}

export function ceilDiv(a: bigint, b: bigint): bigint {
  if (b <= 0n || a < 0n) throw new RangeError('ceilDiv needs a ≥ 0 and b > 0');
  return (a + b - 1n) / b;
}

export const pow10 = (n: number): bigint => 10n ** BigInt(n);
