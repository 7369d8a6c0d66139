/**
 * The one money formatter: integer micro-units in (bigint or digits), exact text out, never a
 * float. ACT, AKT and USDC all have 6 decimals (1 ACT = 1e6 uact; chain-sdk ts/src/network/config.ts).
 * It lives in the contract's folder so the CLI, the agent and the renderer all call this one
 * function; `grouping` only inserts thousands separators (screens), the digits are the same.
 */
export function formatMicro(micro: bigint | string | number, unit: string, opts: { grouping?: boolean } = {}): string {
  // A number is accepted only when it is an integer (an exact micro figure); anything else is a bug upstream.
  if (typeof micro === 'number' && !Number.isSafeInteger(micro)) throw new Error(`not an integer micro amount: ${micro}`);
  const v = BigInt(micro);
  const neg = v < 0n;
  const a = neg ? -v : v;
  const frac = (a % 1_000_000n).toString().padStart(6, '0').replace(/0+$/, '');
  const whole = opts.grouping ? (a / 1_000_000n).toLocaleString('en-US') : (a / 1_000_000n).toString();
  return `${neg ? '-' : ''}${whole}${frac ? `.${frac}` : ''} ${unit}`;
}

/** The unit a micro denom is written in: uact → ACT, uakt → AKT, anything else as itself. */
export function unitOf(denom: string): string {
  return denom === 'uact' ? 'ACT' : denom === 'uakt' ? 'AKT' : denom;
}
