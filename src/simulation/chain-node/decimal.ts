/** Cosmos SDK `Dec` values travel as integers scaled by 10^18 ("atomics"); the chain node keeps them so. */
export const DEC = 10n ** 18n;
