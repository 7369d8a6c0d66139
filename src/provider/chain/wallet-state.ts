import path from 'node:path';
import { z } from 'zod';
import { VersionedJsonFile } from '../../store/json-file.js';
import type { SecretStore } from '../../store/secret-store.js';

/** Public facts about the wallet; the phrase itself lives only in the SecretStore. */
export const WalletRecord = z
  .object({
    address: z.string().startsWith('akash1').nullable(),
    source: z.enum(['created', 'imported']).nullable(),
    createdAt: z.string().nullable(),
    /** Signed txs not yet seen in a block: looked up by hash before anything is re-sent. */
    pendingTxs: z.array(z.object({ hash: z.string(), kind: z.string(), at: z.string() })).default([]),
    /** Serial of the provider certificate this wallet published (the key is in the SecretStore). */
    certificateSerial: z.string().nullable().default(null),
    certificatePem: z.string().nullable().default(null),
    /**
     * Serials of provider certificates RigLease published and then replaced, not yet revoked on
     * chain (the one in /config/provider.pem waits until its successor is written there).
     */
    retiredCertificates: z.array(z.string().regex(/^\d+$/)).default([]),
  })
  .strict();
export type WalletRecord = z.infer<typeof WalletRecord>;

export const EMPTY_WALLET: WalletRecord = { address: null, source: null, createdAt: null, pendingTxs: [], certificateSerial: null, certificatePem: null, retiredCertificates: [] };

/** The secret that holds the wallet's recovery phrase. */
export const MNEMONIC_SECRET = 'wallet.mnemonic';

/**
 * The wallet's address as stored with its key, in the same file and the same atomic write, so it
 * always names the key that is there. Null for stores without labels and for files written
 * before the label existed (those get it on the next unlock; see WalletService).
 */
export async function keyAddress(secrets: Pick<SecretStore, 'has' | 'label'>): Promise<string | null> {
  const label = secrets.label ? await secrets.label(MNEMONIC_SECRET) : null;
  return label !== null && label.startsWith('akash1') ? label : null;
}

/**
 * wallet.json as it applies to the key in the secret store. The key is the truth: when a crash
 * left wallet.json describing another wallet (or it was damaged and set aside), the address is
 * the key's and the certificate and pending transactions of the other wallet are dropped.
 */
export async function readWalletRecord(stateDir: string, secrets: Pick<SecretStore, 'has' | 'label'>): Promise<WalletRecord> {
  const record = await walletStateFile(stateDir).read(() => structuredClone(EMPTY_WALLET));
  const address = await keyAddress(secrets);
  if (address === null || record.address === address) return record;
  return { ...structuredClone(EMPTY_WALLET), address };
}

/**
 * Whether a wallet exists: its phrase is in the secret store and its address is known. Reads
 * local files only and loads none of the chain libraries, so the tray, the dashboard and the
 * stack can ask it as often as they like (see Agent.walletExists).
 */
export async function walletExists(stateDir: string, secrets: Pick<SecretStore, 'has' | 'label'>): Promise<boolean> {
  if (!(await secrets.has(MNEMONIC_SECRET))) return false;
  return (await readWalletRecord(stateDir, secrets)).address !== null;
}

export function walletStateFile(stateDir: string): VersionedJsonFile<typeof WalletRecord> {
  return new VersionedJsonFile({ file: path.join(stateDir, 'wallet.json'), schema: WalletRecord, version: 1 });
}
