import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { passphraseSecretStore } from '../../store/passphrase-secret-store.js';
import type { ChainContext } from './chain-context.js';
import { addressOf, generateMnemonic } from './mnemonic.js';
import { WalletService } from './wallet-service.js';
import { MNEMONIC_SECRET, walletStateFile } from './wallet-state.js';

const PASS = 'wallet key record passphrase';
const FAST = { kdf: { N: 2 ** 10, r: 8, p: 1 } };

async function setup() {
  const home = await mkdtemp(path.join(os.tmpdir(), 'riglease-key-record-'));
  const stateDir = path.join(home, 'state');
  const secrets = passphraseSecretStore(path.join(home, 'secrets'), async () => PASS, FAST);
  const wallet = new WalletService({ secrets, stateDir, chain: {} as ChainContext, confirmReveal: (p) => secrets.checkPassphrase(p) });
  return { stateDir, secrets, wallet };
}

describe('the wallet key is one record', () => {
  it('a two-file install (key without its address) keeps working and gets the address stored with the key on the next unlock', async () => {
    const { stateDir, secrets, wallet } = await setup();
    const phrase = generateMnemonic();
    const address = await addressOf(phrase);
    await secrets.set(MNEMONIC_SECRET, phrase); // the old layout: no label
    await walletStateFile(stateDir).write({ address, source: 'imported', createdAt: '2026-01-01T00:00:00.000Z', pendingTxs: [], certificateSerial: '7', certificatePem: null, retiredCertificates: [] });
    expect(await secrets.label(MNEMONIC_SECRET)).toBeNull();
    expect((await wallet.info()).address).toBe(address);
    expect((await wallet.reveal(PASS)).mnemonic).toBe(phrase);
    expect(await secrets.label(MNEMONIC_SECRET)).toBe(address);
    expect((await wallet.record()).certificateSerial).toBe('7');
  });

  it('when wallet.json names another wallet (a crash between the two writes), the key wins and the old certificate is dropped', async () => {
    const { stateDir, secrets, wallet } = await setup();
    const phrase = generateMnemonic();
    await secrets.set(MNEMONIC_SECRET, phrase, await addressOf(phrase));
    const other = await addressOf(generateMnemonic());
    await walletStateFile(stateDir).write({ address: other, source: 'created', createdAt: null, pendingTxs: [{ hash: 'AB', kind: 'send', at: 'x' }], certificateSerial: '9', certificatePem: 'PEM', retiredCertificates: [] });
    const info = await wallet.info();
    expect(info.address).toBe(await addressOf(phrase));
    const r = await wallet.record();
    expect([r.certificateSerial, r.certificatePem, r.pendingTxs]).toEqual([null, null, []]);
  });

  it('a damaged wallet.json does not hide the wallet: the address comes from the key', async () => {
    const { stateDir, secrets, wallet } = await setup();
    const phrase = generateMnemonic();
    await secrets.set(MNEMONIC_SECRET, phrase, await addressOf(phrase));
    await mkdir(stateDir, { recursive: true });
    await writeFile(path.join(stateDir, 'wallet.json'), '{ damaged');
    expect(await wallet.info()).toMatchObject({ exists: true, address: await addressOf(phrase) });
    await expect(wallet.importMnemonic(generateMnemonic(), false)).rejects.toThrow(/already exists/);
  });
});
