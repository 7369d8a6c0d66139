import { mkdtemp, readFile, readdir, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { RigError } from '../api/errors.js';
import { passphraseSecretStore } from './passphrase-secret-store.js';

async function tempDir(): Promise<string> {
  return mkdtemp(path.join(os.tmpdir(), 'riglease-secrets-'));
}

describe('passphrase secret store', () => {
  it('round-trips a secret, keeps it encrypted at rest with mode 0600, one file per name', async () => {
    const dir = await tempDir();
    const store = passphraseSecretStore(dir, async () => 'correct horse battery');
    const phrase = 'abandon ability able about above absent absorb abstract absurd abuse access accident';
    await store.set('wallet.mnemonic', phrase);
    await store.set('provider.cert-key', 'PEM');
    expect(await store.get('wallet.mnemonic')).toBe(phrase);
    expect(await store.has('wallet.mnemonic')).toBe(true);
    expect(await store.has('nothing')).toBe(false);
    const files = (await readdir(dir)).filter((f) => f.endsWith('.secret')).sort();
    expect(files).toEqual(['provider.cert-key.secret', 'wallet.mnemonic.secret']);
    const raw = await readFile(path.join(dir, 'wallet.mnemonic.secret'), 'utf8');
    expect(raw).not.toContain('abandon');
    expect((await stat(path.join(dir, 'wallet.mnemonic.secret'))).mode & 0o777).toBe(0o600);
    // Per-file salt: the two files do not share key material.
    const a = JSON.parse(raw) as { salt: string; N: number };
    const b = JSON.parse(await readFile(path.join(dir, 'provider.cert-key.secret'), 'utf8')) as { salt: string };
    expect(a.salt).not.toBe(b.salt);
    expect(a.N).toBeGreaterThanOrEqual(2 ** 15);
  });

  it('a wrong passphrase is refused as unauthorized and nothing is lost or overwritten', async () => {
    const dir = await tempDir();
    await passphraseSecretStore(dir, async () => 'first passphrase').set('wallet.mnemonic', 'secret one');
    const before = await readFile(path.join(dir, 'wallet.mnemonic.secret'), 'utf8');
    const wrong = passphraseSecretStore(dir, async () => 'another passphrase');
    const err = await wrong.get('wallet.mnemonic').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RigError);
    expect((err as RigError).code).toBe('unauthorized');
    expect((err as RigError).message).toMatch(/Wrong passphrase/);
    await expect(wrong.set('wallet.mnemonic', 'overwrite attempt')).rejects.toThrow(/Wrong passphrase/);
    expect(await readFile(path.join(dir, 'wallet.mnemonic.secret'), 'utf8')).toBe(before);
    expect(await passphraseSecretStore(dir, async () => 'first passphrase').get('wallet.mnemonic')).toBe('secret one');
  });

  it('asks for the passphrase lazily, once, and not for has()', async () => {
    const dir = await tempDir();
    let asked = 0;
    const store = passphraseSecretStore(dir, async () => {
      asked++;
      return 'lazy passphrase';
    });
    expect(await store.has('x')).toBe(false);
    expect(asked).toBe(0);
    await store.set('x', '1');
    await store.set('y', '2');
    expect(await store.get('x')).toBe('1');
    expect(asked).toBe(1);
    expect(await store.checkPassphrase('lazy passphrase')).toBe(true);
    expect(await store.checkPassphrase('not it at all')).toBe(false);
  });

  it('deletes, rejects bad names and a too-short passphrase', async () => {
    const dir = await tempDir();
    const store = passphraseSecretStore(dir, async () => 'long enough pass');
    await store.set('a', 'v');
    await store.delete('a');
    expect(await store.get('a')).toBeNull();
    await expect(store.set('../evil', 'v')).rejects.toThrow(/not a valid secret name/);
    await expect(passphraseSecretStore(await tempDir(), async () => 'short').set('a', 'v')).rejects.toThrow(/at least 8/);
  });
});
