import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { RigError } from '../../api/errors.js';
import { redactText } from '../../util/redact.js';
import { checkExpiry, decodeJoinCode, encodeJoinCode, type JoinPayload } from './join-code.js';

const NOW = Date.parse('2026-11-30T12:00:00Z');
const payload: JoinPayload = {
  k3sUrl: 'https://192.168.1.20:6443',
  // The node-token form k3s writes: K10<sha256 of the CA>::server:<password>.
  k3sToken: 'K10e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855::server:0123456789abcdef0123456789abcdef',
  api: 'https://192.168.1.20:7879',
  apiFingerprint: 'ab'.repeat(32),
  pairingSecret: 'q8Vx1xv3yQHn2Gd7KcL5Y0sPz9R4tW6uA1bC2dE3fG4',
  expiresAt: NOW / 1000 + 3600,
  k3sVersion: 'v1.32.4-k3s1',
  controller: 'rig-01',
};

function errorOf(work: () => unknown): RigError {
  try {
    work();
  } catch (err) {
    if (err instanceof RigError) return err;
    throw err;
  }
  throw new Error('did not throw');
}

describe('join code', () => {
  const code = encodeJoinCode(payload);

  it('round-trips everything a machine needs, as one copyable word', () => {
    expect(code).toMatch(/^RLJ1\.[A-Za-z0-9_-]+\.[0-9a-f]{8}$/);
    expect(decodeJoinCode(code, NOW)).toEqual(payload);
  });

  it('survives what copying does to it: quotes, spaces, line breaks', () => {
    const mangled = `  "${code.slice(0, 40)}\n${code.slice(40, 90)} ${code.slice(90)}"\n`;
    expect(decodeJoinCode(mangled, NOW)).toEqual(payload);
  });

  const cases: [string, (c: string) => string, RegExp, string][] = [
    ['empty', () => '   ', /No join code/, 'invalid_input'],
    ['something else entirely', () => 'https://example.org/join', /not a RigLease join code/, 'invalid_input'],
    ['cut short (checksum lost)', (c) => c.slice(0, -12), /incomplete|damaged/, 'invalid_input'],
    ['one character changed', (c) => c.slice(0, 20) + (c[20] === 'A' ? 'B' : 'A') + c.slice(21), /damaged: a character/, 'invalid_input'],
    ['checksum changed', (c) => c.slice(0, -1) + (c.endsWith('0') ? '1' : '0'), /damaged: a character/, 'invalid_input'],
    ['made by a newer RigLease', (c) => c.replace(/^RLJ1/, 'RLJ2'), /newer RigLease/, 'precondition_failed'],
  ];
  it.each(cases)('%s → a clear error', (_name, mangle, message, code_) => {
    const err = errorOf(() => decodeJoinCode(mangle(code), NOW));
    expect(err.code).toBe(code_);
    expect(err.message).toMatch(message);
    expect(err.fix).toBeTruthy();
  });

  it('a valid checksum over content that is not a join payload is refused too', () => {
    const body = Buffer.from(JSON.stringify({ hello: 'world' })).toString('base64url');
    const head = `RLJ1.${body}`;
    const forged = `${head}.${createHash('sha256').update(head).digest('hex').slice(0, 8)}`;
    expect(errorOf(() => decodeJoinCode(forged, NOW)).message).toMatch(/lacks some of what a machine needs/);
  });

  it('expires: refused one second after its time, with when and what to do', () => {
    expect(() => decodeJoinCode(code, payload.expiresAt * 1000 - 1000)).not.toThrow();
    const err = errorOf(() => decodeJoinCode(code, payload.expiresAt * 1000 + 1000));
    expect(err.code).toBe('precondition_failed');
    expect(err.message).toContain('expired at 2026-11-30T13:00:00.000Z');
    expect(err.fix).toContain('riglease farm token');
    // The joining side decodes without a clock and checks against the controller's.
    expect(decodeJoinCode(code, null)).toEqual(payload);
    expect(() => checkExpiry(payload, payload.expiresAt * 1000 + 1)).toThrow(/expired/);
  });

  it('refuses payloads that would be unsafe: a plain-http k3s URL', () => {
    expect(() => encodeJoinCode({ ...payload, k3sUrl: 'http://192.168.1.20:6443' })).toThrow();
  });

  it('is a secret: redacted in any log line, with its k3s token and fleet credentials', () => {
    const line = `joining with ${code} as asked; header Authorization: RigLease-Fleet ${payload.pairingSecret}; token ${payload.k3sToken}`;
    const out = redactText(line);
    expect(out).not.toContain(code.slice(5, 40));
    expect(out).not.toContain(payload.pairingSecret);
    expect(out).not.toContain('0123456789abcdef0123456789abcdef');
    expect(out).toContain('joining with');
  });
});

