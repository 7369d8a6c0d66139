import { z } from 'zod';
import type { SecretStore } from '../../store/secret-store.js';
import { privateKeyOf } from './key-export.js';
import { addressOf } from './mnemonic.js';
import { certificateFacts, providerPemFile } from './provider-cert.js';
import { CERT_KEY_SECRET } from './provider-service.js';
import type { WalletRecord } from './wallet-state.js';
import { MNEMONIC_SECRET } from './wallet-service.js';

/** SecretStore entry: the provider's PEM file as last built, so every write is byte-identical (the key's salt is random). */
export const CERT_FILE_SECRET = 'provider.cert-file';

const Stored = z.object({ address: z.string().startsWith('akash1'), serial: z.string().regex(/^\d+$/), pem: z.string().startsWith('-----BEGIN CERTIFICATE-----') }).strict();
type Stored = z.infer<typeof Stored>;

/** What the file needs from the wallet: the public address and the certificate on record (no secret). */
export interface CertWalletFacts {
  info(): Promise<{ exists: boolean; address: string | null }>;
  record(): Promise<WalletRecord>;
}

export type ProviderPemState =
  | { state: 'ready'; address: string; serial: string; certPem: string }
  | { state: 'none'; reason: string };

/**
 * The provider certificate RigLease registered, as the file the provider chart reads
 * (`/config/provider.pem`, see provider-cert.ts for the format). Built from the certificate on
 * record, its key (SecretStore `provider.cert-key`) and the wallet key (for the key's password),
 * then kept in the SecretStore (`provider.cert-file`). Nothing here is logged.
 */
export class ProviderCertFile {
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly wallet: CertWalletFacts,
    private readonly secrets: SecretStore,
  ) {}

  /** Which certificate would be handed over, from local state only: nothing is decrypted. */
  async current(): Promise<ProviderPemState> {
    const info = await this.wallet.info();
    if (!info.exists || !info.address) return { state: 'none', reason: 'There is no wallet yet.' };
    const r = await this.wallet.record();
    if (!r.certificateSerial || !r.certificatePem) return { state: 'none', reason: 'The provider is not registered with a certificate yet.' };
    return { state: 'ready', address: info.address, serial: r.certificateSerial, certPem: r.certificatePem };
  }

  /** The PEM file, or null when there is no certificate (or its key) to hand over. Serialised. */
  pem(): Promise<{ pem: string; serial: string } | null> {
    const next = this.queue.then(() => this.build());
    this.queue = next.catch(() => undefined);
    return next;
  }

  private async build(): Promise<{ pem: string; serial: string } | null> {
    const cur = await this.current();
    if (cur.state !== 'ready') return null;
    const stored = await this.stored();
    if (stored && stored.address === cur.address && stored.serial === cur.serial) return { pem: stored.pem, serial: stored.serial };
    const [keyPem, mnemonic] = await Promise.all([this.secrets.get(CERT_KEY_SECRET), this.secrets.get(MNEMONIC_SECRET)]);
    if (!keyPem || !mnemonic) return null;
    if ((await addressOf(mnemonic)) !== cur.address) return null;
    if (certificateFacts(cur.certPem).serial !== cur.serial) return null;
    const walletKey = await privateKeyOf(mnemonic);
    try {
      const pem = await providerPemFile(cur.certPem, keyPem, walletKey, cur.address);
      const next: Stored = { address: cur.address, serial: cur.serial, pem };
      await this.secrets.set(CERT_FILE_SECRET, JSON.stringify(next));
      return { pem, serial: cur.serial };
    } finally {
      walletKey.fill(0);
    }
  }

  private async stored(): Promise<Stored | null> {
    const raw = await this.secrets.get(CERT_FILE_SECRET);
    if (raw === null) return null;
    try {
      return Stored.parse(JSON.parse(raw));
    } catch {
      // Only a cache: built again.
      return null;
    }
  }
}
