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
 * Whether a wallet exists: its address is recorded and its phrase is in the secret store. Reads
 * local files only and loads none of the chain libraries, so the tray, the dashboard and the
 * stack can ask it as often as they like (see Agent.walletExists).
 */
export async function walletExists(stateDir: string, secrets: Pick<SecretStore, 'has'>): Promise<boolean> {
  const record = await walletStateFile(stateDir).read(() => structuredClone(EMPTY_WALLET));
  return record.address !== null && (await secrets.has(MNEMONIC_SECRET));
}

export function walletStateFile(stateDir: string): VersionedJsonFile<typeof WalletRecord> {
  return new VersionedJsonFile({ file: path.join(stateDir, 'wallet.json'), schema: WalletRecord, version: 1 });
}
