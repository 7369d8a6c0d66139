import { describe, expect, it } from 'vitest';
import { contentSecurityPolicy, hostAllowed, newToken, originAllowed, presentedCredential, tokenMatches } from './security.js';

describe('token', () => {
  it('is 32 random bytes, URL-safe, different each start', () => {
    const a = newToken();
    expect(Buffer.from(a, 'base64url')).toHaveLength(32);
    expect(a).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(newToken()).not.toBe(a);
  });

  it('matches only the exact token', () => {
    const t = newToken();
    expect(tokenMatches(t, t)).toBe(true);
    expect(tokenMatches(`${t}x`, t)).toBe(false);
    expect(tokenMatches(t.slice(0, -1), t)).toBe(false);
    expect(tokenMatches('', t)).toBe(false);
    expect(tokenMatches(null, t)).toBe(false);
  });

  it('is read from the bearer header, else the riglease.bearer subprotocol, never from a cookie', () => {
    expect(presentedCredential({ authorization: 'Bearer abc' })).toBe('abc');
    expect(presentedCredential({ authorization: 'Basic abc', 'sec-websocket-protocol': 'riglease.v1, riglease.bearer.zzz' })).toBeNull();
    expect(presentedCredential({ 'sec-websocket-protocol': 'riglease.v1, riglease.bearer.zzz' })).toBe('zzz');
    expect(presentedCredential({ 'sec-websocket-protocol': 'riglease.v1' })).toBeNull();
    // The cookie the server used to set, planted by any other port: not a credential any more.
    expect(presentedCredential({ cookie: 'riglease_token_7878=zzz; riglease_token=zzz' } as Record<string, string>)).toBeNull();
  });
});

describe('Host and Origin (DNS rebinding, cross-site requests)', () => {
  const loop = { bindHost: '127.0.0.1', port: 4000 };
  it('a loopback server answers to loopback names on its port only', () => {
    expect(hostAllowed('127.0.0.1:4000', loop)).toBe(true);
    expect(hostAllowed('localhost:4000', loop)).toBe(true);
    expect(hostAllowed('[::1]:4000', loop)).toBe(true);
    expect(hostAllowed('evil.example:4000', loop)).toBe(false);
    expect(hostAllowed('127.0.0.1:4001', loop)).toBe(false);
    expect(hostAllowed('192.168.1.5:4000', loop)).toBe(false);
    expect(hostAllowed(undefined, loop)).toBe(false);
  });

  it('a wildcard bind accepts IP literals and its own hostname, never other names', () => {
    const wild = { bindHost: '0.0.0.0', port: 4000, extraNames: ['rig-01'] };
    expect(hostAllowed('192.168.1.5:4000', wild)).toBe(true);
    expect(hostAllowed('rig-01:4000', wild)).toBe(true);
    expect(hostAllowed('attacker.example:4000', wild)).toBe(false);
  });

  it('an Origin must be the page we served, 127.0.0.1 and localhost counting as one', () => {
    expect(originAllowed('http://127.0.0.1:4000', '127.0.0.1:4000', loop)).toBe(true);
    expect(originAllowed('http://localhost:4000', '127.0.0.1:4000', loop)).toBe(true);
    expect(originAllowed('http://127.0.0.1:4001', '127.0.0.1:4000', loop)).toBe(false);
    expect(originAllowed('https://127.0.0.1:4000', '127.0.0.1:4000', loop)).toBe(false);
    expect(originAllowed('http://evil.example', '127.0.0.1:4000', loop)).toBe(false);
    expect(originAllowed('null', '127.0.0.1:4000', loop)).toBe(false);
    const wild = { bindHost: '0.0.0.0', port: 4000 };
    // Another machine's page on the same port is still another site.
    expect(originAllowed('http://10.0.0.9:4000', '10.0.0.5:4000', wild)).toBe(false);
    expect(originAllowed('http://10.0.0.5:4000', '10.0.0.5:4000', wild)).toBe(true);
  });

  it('the CSP allows only our own origin and WebSocket', () => {
    const csp = contentSecurityPolicy('127.0.0.1:4000');
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain('connect-src \'self\' ws://127.0.0.1:4000');
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe');
  });
});
