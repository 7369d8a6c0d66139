/**
 * Suggestions for the provider's attributes from what the browser and the scan know. They are
 * suggestions, shown as such: the person confirms them, nothing is saved on its own.
 */

/** Time-zone prefixes → an Akash location-region (UN-geoscheme style, as AKASH.md §4 shows). */
const REGION_BY_ZONE: ReadonlyArray<[RegExp, string]> = [
  [/^America\/(Los_Angeles|Vancouver|Tijuana|Phoenix|Denver|Boise|Edmonton)/, 'na-us-west'],
  [/^America\/(Chicago|Winnipeg|Mexico_City|Regina)/, 'na-us-central'],
  [/^America\/(New_York|Toronto|Detroit|Montreal|Halifax|Indiana)/, 'na-us-east'],
  [/^America\/(Sao_Paulo|Argentina|Santiago|Bogota|Lima|Caracas)/, 'sa'],
  [/^Europe\/(London|Dublin|Lisbon)/, 'eu-west'],
  [/^Europe\/(Stockholm|Oslo|Helsinki|Copenhagen|Tallinn|Riga|Vilnius)/, 'eu-north'],
  [/^Europe\/(Madrid|Rome|Athens|Malta)/, 'eu-south'],
  [/^Europe\/(Warsaw|Prague|Budapest|Bucharest|Sofia|Kiev|Kyiv)/, 'eu-east'],
  [/^Europe\//, 'eu-central'],
  [/^Asia\/(Tokyo|Seoul|Shanghai|Hong_Kong|Taipei)/, 'as-east'],
  [/^Asia\/(Singapore|Bangkok|Jakarta|Kuala_Lumpur|Manila|Ho_Chi_Minh)/, 'as-southeast'],
  [/^Asia\/(Kolkata|Calcutta|Karachi|Dhaka)/, 'as-south'],
  [/^Australia\//, 'oc-australia'],
  [/^Africa\//, 'af'],
];

export function suggestRegion(timeZone: string): string | null {
  return REGION_BY_ZONE.find(([re]) => re.test(timeZone))?.[1] ?? null;
}

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
