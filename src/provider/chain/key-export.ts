import { randomBytes } from 'node:crypto';
import { Bip39, EnglishMnemonic, Slip10, Slip10Curve, stringToPath } from '@cosmjs/crypto';
import { z } from 'zod';
import { RigError } from '../../api/errors.js';
import type { SecretStore } from '../../store/secret-store.js';
import { rememberSecretValue } from '../../util/secret-patterns.js';
import { armorPrivateKey } from './key-armor.js';
import { HD_PATH, addressOf } from './mnemonic.js';
import { MNEMONIC_SECRET } from './wallet-service.js';

/** SecretStore entry: the armored export, its passphrase and the address it belongs to. */
export const KEY_EXPORT_SECRET = 'provider.key-export';

const StoredExport = z.object({ address: z.string().startsWith('akash1'), armored: z.string().startsWith('-----BEGIN TENDERMINT PRIVATE KEY-----'), passphrase: z.string().min(8) }).strict();
type StoredExport = z.infer<typeof StoredExport>;

export interface KeyExport {
  armored: string;
  passphrase: string;
}

/** What the export needs from the wallet: its public address (null when there is none). */
export interface WalletFacts {
  info(): Promise<{ exists: boolean; address: string | null }>;
}

/** The 32-byte secp256k1 key at the wallet's HD path (the one its address comes from). */
export async function privateKeyOf(mnemonic: string): Promise<Uint8Array> {
  const seed = await Bip39.mnemonicToSeed(new EnglishMnemonic(mnemonic));
  return Slip10.derivePath(Slip10Curve.Secp256k1, seed, stringToPath(HD_PATH)).privkey;
}

/**
 * The provider's key as `provider-services keys import` reads it, for the provider chart.
 * Made once per wallet and kept in the SecretStore with its passphrase (random, generated once),
 * so every later export is byte-identical: the stack's Secret manifest does not change unless
 * the wallet does. Nothing here is logged; both values are registered with the redactor.
 */
export class ProviderKeyExport {
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly wallet: WalletFacts,
    private readonly secrets: SecretStore,
  ) {}

  async address(): Promise<string | null> {
    const info = await this.wallet.info();
    return info.exists ? info.address : null;
  }

  /** Whether an export can be made, without decrypting anything. */
  async keyPresent(): Promise<boolean> {
    return (await this.address()) !== null;
  }

  /** The armored key + passphrase, or null when there is no wallet. Serialised: one export per wallet. */
  keyExport(): Promise<KeyExport | null> {
    const next = this.queue.then(() => this.exportOnce());
    this.queue = next.catch(() => undefined);
    return next;
  }

  private async exportOnce(): Promise<KeyExport | null> {
    const address = await this.address();
    if (!address) return null;
    const stored = await this.stored();
    if (stored && stored.address === address) return this.hand(stored);

    const mnemonic = await this.secrets.get(MNEMONIC_SECRET);
    if (!mnemonic) return null;
    if ((await addressOf(mnemonic)) !== address) {
      throw new RigError('internal', 'The saved wallet phrase does not match the wallet address on record.', 'Import the wallet again (Wallet screen, or `riglease wallet import --replace`).');
    }
    // The passphrase is generated once and kept across wallet changes; hex, so the chart's shell never has to quote it.
    const passphrase = stored?.passphrase ?? randomBytes(24).toString('hex');
    const key = await privateKeyOf(mnemonic);
    try {
      const armored = await armorPrivateKey(key, passphrase);
      const next: StoredExport = { address, armored, passphrase };
      await this.secrets.set(KEY_EXPORT_SECRET, JSON.stringify(next));
      return this.hand(next);
    } finally {
      key.fill(0);
    }
  }

  private async stored(): Promise<StoredExport | null> {
    const raw = await this.secrets.get(KEY_EXPORT_SECRET);
    if (raw === null) return null;
    try {
      return StoredExport.parse(JSON.parse(raw));
    } catch {
      // Unreadable: made again below (same wallet, new salt); the old copy is only a cache.
      return null;
    }
  }

  private hand(s: StoredExport): KeyExport {
    rememberSecretValue(s.passphrase);
    rememberSecretValue(Buffer.from(s.passphrase).toString('base64'));
    return { armored: s.armored, passphrase: s.passphrase };
  }
}
