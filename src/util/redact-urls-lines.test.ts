import { describe, expect, it } from 'vitest';
import { redactFileText } from '../app/diagnostics/export-redaction.js';
import { generateMnemonic } from '../provider/chain/mnemonic.js';
import { redact, redactText } from './redact.js';

describe('redaction of URL credentials and phrases across lines', () => {
  it('removes the password of https://user:pw@host, and a token used as the user name', () => {
    const out = redactText('GET https://alice:s3cretPw@rpc.example.com/status failed');
    expect(out).not.toContain('s3cretPw');
    expect(out).toContain('https://alice:[redacted]@rpc.example.com/status');
    expect(redactText('clone https://ghp_abcdefghijklmnop1234@github.com/x/y')).not.toContain('ghp_abcdefghijklmnop1234');
    expect(redact({ url: 'wss://bob:hunter22@ws.example.net/socket' })).toEqual({ url: 'wss://bob:[redacted]@ws.example.net/socket' });
  });

  it('removes keys in URL paths but keeps public ids (addresses, tx hashes, numbers)', () => {
    const out = redactText('fetch https://mainnet.infura.io/v3/9aa3d95b3bc440fa88ea12eaa4456161 timed out');
    expect(out).toBe('fetch https://mainnet.infura.io/v3/[redacted] timed out');
    const pub = 'https://console.akash.network/addresses/akash1qypqxpq9qcrsszg2pvxq6rs0zqg3yyc5lzv7xu/tx/0A1B2C3D4E5F60718293A4B5C6D7E8F90A1B2C3D4E5F60718293A4B5C6D7E8F9/12345';
    expect(redactText(pub)).toBe(pub);
  });

  it('removes ?key=, token= and apikey= values of any length', () => {
    for (const [text, secret] of [
      ['url https://api.example.com/path?key=AbC1&x=1', 'AbC1'],
      ['url https://api.example.com/path?x=1&token=t0k', 't0k'],
      ['GET /v1/gpu-prices?apikey=Zz9&limit=5', 'Zz9'],
      ['https://rpc.example.com/?api_key=k3y#frag', 'k3y'],
    ] as const) {
      const out = redactText(text);
      expect(out).not.toContain(secret);
      expect(out).toContain('[redacted]');
    }
    expect(redactText('https://api.example.com/path?x=1&limit=5')).toBe('https://api.example.com/path?x=1&limit=5');
  });

  it('removes a recovery phrase written one word per line from a diagnostics file, keeping every line', () => {
    const phrase = generateMnemonic();
    for (const layout of [phrase.split(' ').join('\n'), phrase.split(' ').map((w, i) => `${i + 1}. ${w}`).join('\r\n')]) {
      const text = `backup notes\n${layout}\nend`;
      const out = redactFileText('stack.log', text);
      for (const w of new Set(phrase.split(' '))) expect(out.split(/\W+/)).not.toContain(w);
      expect(out.split('\n')).toHaveLength(text.split('\n').length);
      expect(out.startsWith('backup notes\n')).toBe(true);
    }
  });
});
