import { describe, expect, it } from 'vitest';
import { ProviderProfileSettings } from './chain.js';

describe("the provider's host URI", () => {
  it('is https on port 8443, the port Akash\'s provider chart registers at every start', () => {
    expect(ProviderProfileSettings.parse({ hostUri: 'https://provider.example.com:8443' }).hostUri).toBe('https://provider.example.com:8443');
    expect(ProviderProfileSettings.parse({}).hostUri).toBeNull();
  });

  it('refuses another port with the reason (the chart would put :8443 back on chain)', () => {
    for (const uri of ['https://provider.example.com:9443', 'https://provider.example.com', 'http://provider.example.com:8443']) {
      const r = ProviderProfileSettings.safeParse({ hostUri: uri });
      expect(r.success, uri).toBe(false);
      expect(r.error?.issues[0]?.message).toMatch(/must be https:\/\/<host>:8443: Akash's provider chart registers port 8443 at every start/);
    }
  });
});
