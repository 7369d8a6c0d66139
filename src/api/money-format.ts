/**
 * The one money formatter: integer micro-units in (1 ACT = 1e6 uact, 1 AKT = 1e6 uakt;
 * chain-sdk ts/src/network/config.ts), text out, never through a float. Pure and import-free, so
 * the agent, the CLI and the renderer (which sees only src/api) share it.
 *
 * - `exact`: every micro digit that is not zero ("0.005625 AKT"). For what a person confirms or
 *   copies: a send, a conversion, a fee, a withdrawal.
 * - `summary`: the figures on a screen ("72.81 ACT", "0.0056 AKT"): at most SUMMARY_DECIMALS.large
 *   decimals from 1 upwards, at most SUMMARY_DECIMALS.small below 1, rounded half up; a non-zero
 *   amount too small to show reads "< 0.0001 ACT", never "0 ACT".
 */
export const SUMMARY_DECIMALS = { large: 2, small: 4 } as const;

const MICRO = 1_000_000n;

export interface TokenFormat {
  precision?: 'exact' | 'summary';
  /** Thousands separators in the whole part ("1,234.5 ACT"); off for machine-read CLI output. */
  group?: boolean;
  /** Summary rounding: half up (default), or up for an amount that is needed, so it is never understated. */
  round?: 'half' | 'up';
}

export function formatTokens(micro: bigint | string | number, unit: string, opts: TokenFormat = {}): string {
  const v = typeof micro === 'number' ? BigInt(Math.round(micro)) : BigInt(micro);
  const neg = v < 0n;
  let a = neg ? -v : v;
  let decimals = 6;
  if (opts.precision === 'summary') {
    decimals = a >= MICRO ? SUMMARY_DECIMALS.large : SUMMARY_DECIMALS.small;
    const step = 10n ** BigInt(6 - decimals);
    const rounded = ((a + (opts.round === 'up' ? step - 1n : step / 2n)) / step) * step;
    if (rounded === 0n && a > 0n) return `${neg ? '> -' : '< '}${(1 / 10 ** decimals).toFixed(decimals)} ${unit}`;
    a = rounded;
  }
  const whole = a / MICRO;
  const frac = (a % MICRO).toString().padStart(6, '0').slice(0, decimals).replace(/0+$/, '');
  const w = opts.group ? whole.toLocaleString('en-US') : whole.toString();
  return `${neg && a > 0n ? '-' : ''}${w}${frac ? `.${frac}` : ''} ${unit}`;
}

/** The unit a micro denom is written in: uact → ACT, uakt → AKT, anything else as itself. */
export function unitOf(denom: string): string {
  return denom === 'uact' ? 'ACT' : denom === 'uakt' ? 'AKT' : denom;
}
