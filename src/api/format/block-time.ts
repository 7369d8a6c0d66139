/**
 * AKASH.md §2: 6.117 s a block, the figure the helm price script uses; only when no measurement
 * exists. In src/api so the renderer turns per-block prices into per-hour ones with the same figure.
 */
export const ASSUMED_SECONDS_PER_BLOCK = 6.117;

/** A stablecoin-valued per-block price (uact: 1 ACT = $1) as US dollars per hour. */
export function usdPerHourOfMicroPerBlock(microPerBlock: number, secondsPerBlock = ASSUMED_SECONDS_PER_BLOCK): number {
  return (microPerBlock * (3600 / secondsPerBlock)) / 1e6;
}
