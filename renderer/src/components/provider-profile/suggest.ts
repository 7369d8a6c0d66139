/**
 * Suggestions for the provider's attributes from what the browser and the scan know. They are
 * suggestions, shown as such: the person confirms them, nothing is saved on its own.
 */

/** A time zone's Akash location-region: always one of the Akash Console's codes (src/api/regions). */
export { suggestRegion } from '../../../../src/api/regions/suggest-region.js';

/** "en-US" → "US"; null when the browser's language names no country. */
export function suggestCountry(language: string): string | null {
  const m = /^[a-z]{2,3}[-_]([A-Z]{2})\b/.exec(language);
  return m ? m[1]! : null;
}

/**
 * The RAM generation from the processor model, only where the processor takes one kind: Ryzen
 * 7000 and later desktop chips and Intel Core Ultra take DDR5 only; anything else could be either.
 */
export function suggestMemory(cpuModel: string): 'ddr5' | null {
  if (/Ryzen\s+\d\s+[789]\d{3}/i.test(cpuModel) || /Core\(TM\)\s+Ultra|Core Ultra/i.test(cpuModel)) return 'ddr5';
  return null;
}
