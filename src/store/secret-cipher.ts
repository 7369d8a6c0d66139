import { createCipheriv, createDecipheriv, randomBytes, scrypt as scryptCb } from 'node:crypto';
import { z } from 'zod';

/** scrypt cost parameters, recorded in every file so older files still open after the cost is raised. */
export interface KdfParams {
  N: number;
  r: number;
  p: number;
}

/**
 * N=2^17, r=8 (OWASP's scrypt floor): 128 MiB and a few hundred ms per unlock, which makes
 * guessing a passphrase from a copied secrets folder costly while one unlock stays bearable.
 */
export const CURRENT_KDF: KdfParams = { N: 2 ** 17, r: 8, p: 1 };
const KEY_BYTES = 32;
/** The largest cost a file may ask for: a damaged or hostile file must not make us allocate gigabytes. */
const MAX_N = 2 ** 20;

const Common = {
  kdf: z.literal('scrypt'),
  N: z
    .number()
    .int()
    .min(2 ** 10)
    .max(MAX_N)
    .refine((n) => (n & (n - 1)) === 0, 'N must be a power of two'),
  r: z.number().int().min(1).max(32),
  p: z.number().int().min(1).max(16),
  salt: z.string().min(16),
  iv: z.string().min(16),
  tag: z.string().min(16),
  data: z.string(),
};
/** v1: no public label. v2: an optional public label (e.g. the wallet address), bound to the ciphertext. */
export const SecretFile = z.discriminatedUnion('v', [
  z.object({ v: z.literal(1), ...Common }).strict(),
  z.object({ v: z.literal(2), ...Common, label: z.string().max(200).optional() }).strict(),
]);
export type SecretFile = z.infer<typeof SecretFile>;

/** Node refuses scrypt above `maxmem` (default 32 MiB); the need is 128·N·r bytes, so ask for exactly that plus slack. */
function maxmemFor(k: KdfParams): number {
  return 128 * k.N * k.r * k.p + 32 * 1024 * 1024;
}

function deriveKey(pass: string, salt: Buffer, k: KdfParams): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scryptCb(pass.normalize('NFKC'), salt, KEY_BYTES, { N: k.N, r: k.r, p: k.p, maxmem: maxmemFor(k) }, (err, key) => (err ? reject(err) : resolve(key))),
  );
}

/** The additional authenticated data: a label swapped between files makes decryption fail. */
function aad(label: string | undefined): Buffer {
  return Buffer.from(`riglease-secret-v2\n${label ?? ''}`, 'utf8');
}

export async function encryptSecret(passphrase: string, plaintext: string, kdf: KdfParams = CURRENT_KDF, label?: string): Promise<SecretFile> {
  const salt = randomBytes(16);
  const iv = randomBytes(12);
  const key = await deriveKey(passphrase, salt, kdf);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(aad(label));
  const data = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return {
    v: 2,
    kdf: 'scrypt',
    N: kdf.N,
    r: kdf.r,
    p: kdf.p,
    salt: salt.toString('base64'),
    iv: iv.toString('base64'),
    tag: cipher.getAuthTag().toString('base64'),
    data: data.toString('base64'),
    ...(label === undefined ? {} : { label }),
  };
}

/** Returns null when the passphrase is wrong (GCM tag does not verify). */
export async function decryptSecret(passphrase: string, file: SecretFile): Promise<string | null> {
  const key = await deriveKey(passphrase, Buffer.from(file.salt, 'base64'), file);
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(file.iv, 'base64'));
  if (file.v === 2) decipher.setAAD(aad(file.label));
  decipher.setAuthTag(Buffer.from(file.tag, 'base64'));
  try {
    return Buffer.concat([decipher.update(Buffer.from(file.data, 'base64')), decipher.final()]).toString('utf8');
  } catch {
    return null;
  }
}

/** True when the file was sealed with a weaker cost than `kdf` (or the old format) and should be rewritten. */
export function needsUpgrade(file: SecretFile, kdf: KdfParams): boolean {
  return file.v !== 2 || file.N < kdf.N || file.r < kdf.r || file.p < kdf.p;
}
