/**
 * Conventions shared by the quote, the bid script and the earnings estimate. They follow the
 * official price_script_generic.sh (helm-charts): 30.437 days a month, 6.117 s blocks →
 * 429909 blocks a month; GB means GiB (2^30 bytes) as in its `pow(1024; 3)`.
 */
export const BLOCKS_PER_MONTH = 429_909n;
/** 30.437 days × 24 h = 730.488 h, kept as thousandths so the arithmetic stays exact. */
export const HOURS_PER_MONTH_MILLI = 730_488n;
export const HOURS_PER_MONTH = 730.488;
export const GIB = 1_073_741_824n;
/** Prices go into the script as integer pico-USD (10^-12) per unit-hour. */
export const PRICE_DIGITS = 12;
/** The AKT price goes in as integer nano-USD per AKT. */
export const RATE_DIGITS = 9;
export const DEFAULT_PRECISION = 6;

/**
 * Denoms whose per-block price is USD-micro: ACT (1 ACT is taken as $1, AKASH.md §2) and the
 * Axelar USDC IBC denoms on mainnet and sandbox (as in the official script).
 */
export const USD_DENOMS: readonly string[] = [
  'uact',
  'ibc/170C677610AC31DF0904FFE09CD3B5C657492170E7E52372E48756B71E56F2F1',
  'ibc/12C6A0C374171B595A0A9E18B83FA09D295FB1F2D8C6DAA3AC28683471752D84',
];
export const AKT_DENOM = 'uakt';

/** Storage classes priced by name; any other class is priced as the dearest of these. */
export const STORAGE_CLASSES = ['ephemeral', 'beta1', 'beta2', 'beta3', 'ram'] as const;
