import { mkdtemp, readFile, readdir, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RigError } from '../src/api/errors.js';
import { SafeStorageSecretStore, type SafeStorageLike } from './safe-storage-secret-store.js';

/**
 * Stands in for the OS keyring (Electron cannot run here). It XORs with a key so the test can
 * check that what reaches the disk is the keyring's output, not the plain text.
 */
function keyring(opts: { available?: boolean; backend?: 'gnome_libsecret' | 'basic_text' } = {}): SafeStorageLike {
  const xor = (b: Buffer) => Buffer.from(b.map((x) => x ^ 0x5a));
  return {
    isEncryptionAvailable: () => opts.available ?? true,
    encryptString: (s: string) => xor(Buffer.from(s, 'utf8')),
    decryptString: (b: Buffer) => xor(b).toString('utf8'),
    getSelectedStorageBackend: () => opts.backend ?? 'gnome_libsecret',
  };
}

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'riglease-safe-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const phrase = 'abandon ability able about above absent absorb abstract absurd abuse access accident';

describe('SafeStorageSecretStore', () => {
  it('round-trips a secret through the keyring into a 0600 file with no plain text', async () => {
    const store = new SafeStorageSecretStore(dir, keyring(), 'linux');
    await store.set('wallet-mnemonic', phrase);
    expect(await store.has('wallet-mnemonic')).toBe(true);
    expect(await store.get('wallet-mnemonic')).toBe(phrase);
    const [file] = await readdir(dir);
    expect((await stat(path.join(dir, file!))).mode & 0o777).toBe(0o600);
    expect((await readFile(path.join(dir, file!))).toString('utf8')).not.toContain('abandon');
    await store.delete('wallet-mnemonic');
    expect(await store.get('wallet-mnemonic')).toBeNull();
  });

  it('keeps a public label (the wallet address) in the same file, and still reads files written before labels', async () => {
    const store = new SafeStorageSecretStore(dir, keyring(), 'linux');
    await store.set('wallet.mnemonic', phrase, 'akash1example');
    expect(await store.label('wallet.mnemonic')).toBe('akash1example');
    expect(await store.get('wallet.mnemonic')).toBe(phrase);
    expect(await readdir(dir)).toEqual(['wallet.mnemonic.safe']);
    await store.set('old', phrase);
    expect(await store.label('old')).toBeNull();
    expect(await store.get('old')).toBe(phrase);
  });

  it('refuses to store anything when the OS has no encryption, or only the basic_text fallback', async () => {
    for (const safe of [keyring({ available: false }), keyring({ backend: 'basic_text' })]) {
      const store = new SafeStorageSecretStore(dir, safe, 'linux');
      const err = await store.set('wallet-mnemonic', phrase).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(RigError);
      expect((err as RigError).code).toBe('unavailable');
      expect((err as RigError).fix).toMatch(/keyring|KWallet/i);
    }
    expect(await readdir(dir)).toEqual([]);
  });

  it('refuses names that could escape the secrets folder', async () => {
    const store = new SafeStorageSecretStore(dir, keyring(), 'win32');
    expect(store.kind).toBe('Windows DPAPI');
    await expect(store.set('../settings', 'x')).rejects.toMatchObject({ code: 'invalid_input' });
  });
});
