import { describe, expect, it } from 'vitest';
import { isAllowedExternalUrl } from './external-links.js';

describe('isAllowedExternalUrl', () => {
  it('opens https links to Akash, GitHub and the vendor docs', () => {
    expect(isAllowedExternalUrl('https://akash.network/docs/providers/')).toBe(true);
    expect(isAllowedExternalUrl('https://console.akash.network/')).toBe(true);
    expect(isAllowedExternalUrl('https://github.com/akash-network/provider')).toBe(true);
    expect(isAllowedExternalUrl('https://docs.nvidia.com/datacenter/cloud-native/container-toolkit/')).toBe(true);
  });

  it('refuses http, other schemes, lookalike hosts, credentials and odd ports', () => {
    expect(isAllowedExternalUrl('http://akash.network/')).toBe(false);
    expect(isAllowedExternalUrl('file:///etc/passwd')).toBe(false);
    expect(isAllowedExternalUrl('javascript:alert(1)')).toBe(false);
    expect(isAllowedExternalUrl('https://akash.network.evil.example/')).toBe(false);
    expect(isAllowedExternalUrl('https://evilakash.network/')).toBe(false);
    expect(isAllowedExternalUrl('https://user:pw@github.com/')).toBe(false);
    expect(isAllowedExternalUrl('https://github.com:8443/')).toBe(false);
    expect(isAllowedExternalUrl('not a url')).toBe(false);
  });
});
