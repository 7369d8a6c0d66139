import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ProviderProfileSettings } from '../schemas/settings/chain.js';
import { isLocationRegion, LOCATION_REGIONS } from './location-regions.js';
import { suggestRegion, SUGGESTABLE_REGIONS } from './suggest-region.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
/** akash-network/console config/provider-attributes.json, recorded verbatim (see its .source). */
const upstream = JSON.parse(readFileSync(path.join(repoRoot, 'test/fixtures/akash-console/provider-attributes.json'), 'utf8')) as {
  'location-region': { key: string; type: string; required: boolean; values: { key: string; description: string }[] };
};

describe('location-region codes', () => {
  it('are exactly the Akash Console\'s list, in its order, with its descriptions', () => {
    const attr = upstream['location-region'];
    expect(attr.key).toBe('location-region');
    expect(attr.required).toBe(true);
    expect(LOCATION_REGIONS.map((r) => ({ key: r.code, description: r.description }))).toEqual(attr.values.map((v) => ({ key: v.key, description: v.description })));
  });

  it('every one of them can be saved as the provider\'s region (central-america and caribbean included)', () => {
    for (const r of LOCATION_REGIONS) expect(ProviderProfileSettings.safeParse({ locationRegion: r.code }).success, r.code).toBe(true);
  });

  it('suggests only codes from that list, never the made-up ones it once offered', () => {
    for (const code of SUGGESTABLE_REGIONS) expect(isLocationRegion(code), code).toBe(true);
    for (const old of ['na-us-central', 'na-us-east', 'sa', 'af', 'oc-australia', 'us-west']) expect(isLocationRegion(old), old).toBe(false);
  });

  it.each([
    // Each region's upstream description names the country the zone is in.
    ['Europe/Berlin', 'eu-central'],
    ['Europe/London', 'eu-west'],
    ['Europe/Madrid', 'eu-southwest'],
    ['Europe/Bucharest', 'eu-southeast'],
    ['America/Los_Angeles', 'na-us-west'],
    ['America/New_York', 'na-us-northeast'],
    ['America/Toronto', 'na-ca-central'],
    ['America/Sao_Paulo', 'sa-brazil'],
    ['Australia/Sydney', 'oc-aus'],
    ['Pacific/Auckland', 'oc-nz'],
    ['Asia/Tokyo', 'as-east'],
    ['Africa/Lagos', 'af-west'],
  ])('%s → %s', (zone, code) => {
    expect(suggestRegion(zone)).toBe(code);
  });

  it('suggests nothing for a zone with no region of its own', () => {
    expect(suggestRegion('America/Mexico_City')).toBeNull();
    expect(suggestRegion('Antarctica/Troll')).toBeNull();
    expect(suggestRegion('UTC')).toBeNull();
  });
});
