import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RigError } from '../../api/errors.js';
import { passphraseSecretStore } from '../../store/passphrase-secret-store.js';
import { pagePassphrase } from './page-passphrase.js';

const FAST = { kdf: { N: 2 ** 10, r: 8, p: 1 } };
const noTerminal = async (): Promise<string> => {
  throw new RigError('unauthorized', 'none was given');
};

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'riglease-page-pass-'));
});
afterEach(async () => rm(dir, { recursive: true, force: true }));

function setup(envHasOne = false) {
  const page = pagePassphrase(noTerminal, envHasOne);
  const store = passphraseSecretStore(dir, page.getPassphrase, FAST);
  return { store, entry: page.bind(store) };
}

describe('the passphrase typed in the page', () => {
  it('is needed on a first run, must be strong, and once accepted opens the store', async () => {
    const { store, entry } = setup();
    expect(await entry.status()).toEqual({ needsPassphrase: true, isNew: true, protection: 'passphrase file' });
    await expect(entry.submit('password')).rejects.toThrow();
    expect(store.unlocked).toBe(false);
    expect((await entry.status()).isNew).toBe(true);
    expect(await entry.submit('copper lantern orbit meadow seventy quilt')).toEqual({ needsPassphrase: false, isNew: false, protection: 'passphrase file' });
    await store.set('wallet', 'secret words');
    expect(await store.get('wallet')).toBe('secret words');
  });

  it('after a restart: a wrong one is refused and nothing stays held; the right one opens', async () => {
    const first = setup();
    await first.entry.submit('copper lantern orbit meadow seventy quilt');
    await first.store.set('wallet', 'secret words');
    const again = setup();
    expect(await again.entry.status()).toMatchObject({ needsPassphrase: true, isNew: false });
    await expect(again.entry.submit('copper lantern orbit meadow seventy quiet')).rejects.toThrow();
    // Nothing was kept: the next read asks the fallback (no terminal here), not the wrong one.
    await expect(again.store.get('wallet')).rejects.toThrow('none was given');
    await again.entry.submit('copper lantern orbit meadow seventy quilt');
    expect(await again.store.get('wallet')).toBe('secret words');
  });

  it('is not asked where RIGLEASE_PASSPHRASE is set', async () => {
    expect((await setup(true).entry.status()).needsPassphrase).toBe(false);
  });
});
