import { describe, expect, it } from 'vitest';
import { ProviderProfileSettings } from '../../api/schemas/settings/chain.js';
import { buildAttributes } from './attributes.js';

describe('buildAttributes: location-region', () => {
  it('publishes an Akash region code without a word, and warns about a code tenants cannot filter by', () => {
    const ok = buildAttributes(null, ProviderProfileSettings.parse({ locationRegion: 'caribbean' }));
    expect(ok.attributes).toContainEqual({ key: 'location-region', value: 'caribbean' });
    expect(ok.warnings.filter((w) => w.includes('location-region'))).toEqual([]);
    const odd = buildAttributes(null, ProviderProfileSettings.parse({ locationRegion: 'na-us-east' }));
    expect(odd.attributes).toContainEqual({ key: 'location-region', value: 'na-us-east' });
    expect(odd.warnings.join(' ')).toMatch(/"na-us-east" is not one of Akash's region codes/);
  });
});
