import { describe, expect, it } from 'vitest';
import { REDACTED, redact, redactText } from './redact.js';

const phrase = 'abandon ability able about above absent absorb abstract absurd abuse access accident';

describe('redact', () => {
  it('hides values under secret-looking keys at any depth', () => {
    expect(redact({ wallet: { mnemonic: phrase, address: 'akash1xyz' }, headers: { authorization: 'Bearer t' }, token: 'abc' })).toEqual({
      wallet: { mnemonic: REDACTED, address: 'akash1xyz' },
      headers: { authorization: REDACTED },
      token: REDACTED,
    });
  });

  it('hides a recovery phrase even under an innocent key or inside text', () => {
    expect(redact({ note: phrase })).toEqual({ note: REDACTED });
    const line = redactText(`Wallet: ${phrase}. OK`);
    expect(line).toBe(`Wallet: ${REDACTED}. OK`);
    for (const word of phrase.split(' ')) expect(line).not.toContain(word);
  });

  it('leaves ordinary text alone', () => {
    expect(redactText('Port 8443 is already in use')).toBe('Port 8443 is already in use');
  });
});
