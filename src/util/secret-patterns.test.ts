import { randomBytes } from 'node:crypto';
import { Bip39, EnglishMnemonic } from '@cosmjs/crypto';
import { describe, expect, it } from 'vitest';
import { REDACTED, redact, redactText } from './redact.js';
import { redactHexKeys, redactMnemonics, redactSecretsInText, rememberSecretValue } from './secret-patterns.js';

const phrase24 = Bip39.encode(randomBytes(32)).toString();
const phrase12 = Bip39.encode(randomBytes(16)).toString();
const hexKey = randomBytes(32).toString('hex');
const joinToken = `K10${randomBytes(32).toString('hex')}::server:${randomBytes(16).toString('hex')}`;

function expectNoWordsOf(text: string, phrase: string): void {
  // Short list words ("act", "add") may legitimately occur in the surrounding text; the run must not.
  expect(text).not.toContain(phrase);
  const words = phrase.split(' ');
  for (let i = 0; i + 3 <= words.length; i++) expect(text).not.toContain(words.slice(i, i + 3).join(' '));
}

describe('secret patterns', () => {
  it.each([
    ['a generated 24-word phrase in a sentence', `restored from ${phrase24} ok`, phrase24],
    ['a generated 12-word phrase in upper case', `PHRASE=${phrase12.toUpperCase()}`, phrase12],
    // Found by generating phrases: "BASIC MUTUAL" looked like an auth header and split the phrase.
    ['a phrase whose "basic" reads like an auth header', 'PHRASE=VICTORY CARBON CLAP REAL BASIC MUTUAL BOY SECOND HELLO ORDINARY SUSPECT COOL', 'victory carbon clap real basic mutual boy second hello ordinary suspect cool'],
    ['a phrase as a pretty-printed JSON array', JSON.stringify({ words: phrase24.split(' ') }, null, 4), phrase24],
    ['a numbered phrase, one word per line', phrase12.split(' ').map((w, i) => `${i + 1}. ${w}`).join('\n'), phrase12],
  ])('removes %s', (_name, text, phrase) => {
    const out = redactSecretsInText(text);
    expect(out).toContain(REDACTED);
    expectNoWordsOf(out.toLowerCase(), phrase);
    // Words of the phrase, in order, whatever separates them, must not survive.
    const letters = out.toLowerCase().replace(/[^a-z]+/g, ' ');
    expect(letters).not.toContain(phrase.split(' ').slice(0, 4).join(' '));
  });

  it('keeps ordinary sentences made partly of list words', () => {
    const line = 'price above market for the RTX 4090: not bidding, balance below the bid deposit';
    expect(redactMnemonics(line)).toBe(line);
    expect(EnglishMnemonic.wordlist).toContain('above');
  });

  it.each([
    ['hex private key', `key ${hexKey} loaded`, hexKey],
    ['0x hex private key', `0x${hexKey.toUpperCase()}`, hexKey.toUpperCase()],
    ['k3s join token', `K3S_TOKEN=${joinToken}`, joinToken],
    ['k3s join token in free text', `joining with ${joinToken} now`, joinToken],
    ['bearer header', 'Authorization: Bearer abcDEF123_-.xyz', 'abcDEF123_-.xyz'],
    ['server token in a login URL', 'open http://127.0.0.1:7878/?token=Zx8_kd93KdlwQpq-aa', 'Zx8_kd93KdlwQpq-aa'],
    ['a --token flag', 'riglease serve --token Zx8_kd93KdlwQpq-aa', 'Zx8_kd93KdlwQpq-aa'],
    ['api key assignment', 'apiKey: "sk_live_9ahsd8a7sd"', 'sk_live_9ahsd8a7sd'],
    ['PEM private key', '-----BEGIN EC PRIVATE KEY-----\nMHcCAQEEIB\n-----END EC PRIVATE KEY-----', 'MHcCAQEEIB'],
  ])('removes a %s', (_name, text, secret) => {
    const out = redactSecretsInText(text);
    expect(out).not.toContain(secret);
    expect(out).toContain(REDACTED);
  });

  it('keeps public hashes: image digests and Cosmos tx hashes', () => {
    const digest = `sha256:${hexKey}`;
    expect(redactSecretsInText(`image busybox@${digest}`)).toContain(digest);
    const tx = hexKey.toUpperCase();
    expect(redactSecretsInText(`transaction ${tx} failed`)).toContain(tx);
    expect(redact({ hash: tx })).toEqual({ hash: tx });
  });

  it.each([
    ['a key after a key-ish word', `signer ${hexKey}`, true, true],
    ['a string that is only the hex', `"${hexKey}"`, true, true],
    ['0x-prefixed hex', `got 0x${hexKey}`, true, true],
    ['a container id in a k3s log line', `StartContainer for "${hexKey}" returns successfully`, false, true],
  ])('hex: %s — live logs redact: %s, the bundle redacts: %s', (_name, text, live, bundle) => {
    expect(redactHexKeys(text, false).includes(hexKey), 'live').toBe(!live);
    expect(redactHexKeys(text, true).includes(hexKey), 'bundle').toBe(!bundle);
  });

  it('removes a value registered at run time wherever it appears', () => {
    const token = `srv-${randomBytes(12).toString('base64url')}`;
    rememberSecretValue(token);
    expect(redactText(`cookie riglease=${token}x`)).not.toContain(token);
  });

  it('a phrase stored as an array of words is removed word by word', () => {
    const out = redact({ backup: phrase12.split(' ') }) as { backup: string[] };
    expect(out.backup.every((w) => w === REDACTED)).toBe(true);
  });
});
