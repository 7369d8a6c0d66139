import { createCipheriv, createDecipheriv, randomBytes, scrypt as scryptCb, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { readFile, readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { RigError } from '../api/errors.js';
import { writeFileAtomic } from '../util/atomic-write.js';
import { isNotFound } from './json-file.js';
import type { SecretStore } from './secret-store.js';

/**
 * scrypt cost. N=2^15, r=8 needs 32 MiB and ~100 ms: slow enough to make guessing a
 * passphrase from a stolen file expensive, fast enough that unlocking does not feel stuck.
 */
const SCRYPT = { N: 2 ** 15, r: 8, p: 1, maxmem: 96 * 1024 * 1024 } as const;
const KEY_BYTES = 32;
/** A known plaintext, encrypted with the passphrase, so a wrong passphrase is caught before anything is written. */
const CHECK_FILE = '.passphrase-check';
const CHECK_TEXT = 'riglease-passphrase-check-v1';

const SecretFile = z
  .object({
    v: z.literal(1),
    kdf: z.literal('scrypt'),
    N: z.number().int().min(2 ** 14),
    r: z.number().int().min(1),
    p: z.number().int().min(1),
    salt: z.string().min(16),
    iv: z.string().min(16),
    tag: z.string().min(16),
    data: z.string(),
  })
  .strict();
type SecretFile = z.infer<typeof SecretFile>;

const NAME = /^[a-z0-9][a-z0-9._-]{0,63}$/;

function scrypt(pass: string, salt: Buffer, opts: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scryptCb(pass.normalize('NFKC'), salt, KEY_BYTES, opts, (err, key) => (err ? reject(err) : resolve(key))),
  );
}

export async function encryptSecret(passphrase: string, plaintext: string): Promise<SecretFile> {
  const salt = randomBytes(16);
  const iv = randomBytes(12);
  const key = await scrypt(passphrase, salt, SCRYPT);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const data = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return {
    v: 1,
    kdf: 'scrypt',
    N: SCRYPT.N,
    r: SCRYPT.r,
    p: SCRYPT.p,
    salt: salt.toString('base64'),
    iv: iv.toString('base64'),
    tag: cipher.getAuthTag().toString('base64'),
    data: data.toString('base64'),
  };
}

/** Returns null when the passphrase is wrong (GCM tag does not verify). */
export async function decryptSecret(passphrase: string, file: SecretFile): Promise<string | null> {
  const key = await scrypt(passphrase, Buffer.from(file.salt, 'base64'), { N: file.N, r: file.r, p: file.p, maxmem: SCRYPT.maxmem * 4 });
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(file.iv, 'base64'));
  decipher.setAuthTag(Buffer.from(file.tag, 'base64'));
  try {
    return Buffer.concat([decipher.update(Buffer.from(file.data, 'base64')), decipher.final()]).toString('utf8');
  } catch {
    return null;
  }
}

/**
 * The headless SecretStore: one file per secret under `dir`, each encrypted with a key derived
 * from the passphrase (scrypt, per-file salt) with AES-256-GCM. Files are 0600 and written
 * atomically. The passphrase is asked for lazily, only when a secret is read or written, and is
 * checked against a known-plaintext file first so a typo never writes a secret nobody can open.
 */
export class PassphraseSecretStore implements SecretStore {
  readonly kind = 'passphrase file';
  private passphrase: string | null = null;

  constructor(private readonly dir: string, private readonly getPassphrase: () => Promise<string>) {}

  async has(name: string): Promise<boolean> {
    return (await this.readFileFor(name)) !== null;
  }

  async get(name: string): Promise<string | null> {
    const file = await this.readFileFor(name);
    if (!file) return null;
    const pass = await this.unlock();
    const value = await decryptSecret(pass, file);
    if (value === null) {
      // The check file opened but this one does not: it was written with another passphrase or damaged.
      throw new RigError('unauthorized', `The secret "${name}" cannot be opened with this passphrase.`, 'It may have been written with an older passphrase; nothing was changed.');
    }
    return value;
  }

  async set(name: string, value: string): Promise<void> {
    const pass = await this.unlock();
    await this.writeAtomic(this.fileName(name), JSON.stringify(await encryptSecret(pass, value)));
  }

  async delete(name: string): Promise<void> {
    await rm(this.fileName(name), { force: true });
  }

  /** True when `candidate` is the store's passphrase; used to re-confirm before revealing a secret. */
  async checkPassphrase(candidate: string): Promise<boolean> {
    const check = await this.readJson(path.join(this.dir, CHECK_FILE));
    if (!check) return false;
    const text = await decryptSecret(candidate, check);
    return text !== null && safeEqual(text, CHECK_TEXT);
  }

  /** Names of the secrets held (not their values). */
  async names(): Promise<string[]> {
    try {
      return (await readdir(this.dir)).filter((f) => f.endsWith('.secret')).map((f) => f.slice(0, -'.secret'.length));
    } catch (err) {
      if (isNotFound(err)) return [];
      throw err;
    }
  }

  /** Forget the cached passphrase (e.g. after a lock timeout). */
  lock(): void {
    this.passphrase = null;
  }

  private async unlock(): Promise<string> {
    if (this.passphrase !== null) return this.passphrase;
    const candidate = await this.getPassphrase();
    if (candidate.length < 8) {
      throw new RigError('invalid_input', 'The passphrase must be at least 8 characters.', 'Choose a longer passphrase (RIGLEASE_PASSPHRASE or the prompt).');
    }
    const checkPath = path.join(this.dir, CHECK_FILE);
    const check = await this.readJson(checkPath);
    if (check) {
      const text = await decryptSecret(candidate, check);
      if (text === null || !safeEqual(text, CHECK_TEXT)) {
        throw new RigError('unauthorized', 'Wrong passphrase: the secrets in this RigLease folder were locked with a different one.', 'Type the passphrase you chose when the wallet was set up; nothing was changed.');
      }
    } else {
      await this.writeAtomic(checkPath, JSON.stringify(await encryptSecret(candidate, CHECK_TEXT)));
    }
    this.passphrase = candidate;
    return candidate;
  }

  private fileName(name: string): string {
    if (!NAME.test(name)) throw new RigError('invalid_input', `"${name}" is not a valid secret name.`);
    return path.join(this.dir, `${name}.secret`);
  }

  private readFileFor(name: string): Promise<SecretFile | null> {
    return this.readJson(this.fileName(name));
  }

  private async readJson(file: string): Promise<SecretFile | null> {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (err) {
      if (isNotFound(err)) return null;
      throw new RigError('unavailable', `Cannot read the secret file ${file}: ${(err as Error).message}`);
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new RigError('internal', `The secret file ${file} is damaged (not JSON).`, 'Restore it from a backup or re-import the wallet from its recovery phrase.');
    }
    const parsed = SecretFile.safeParse(json);
    if (!parsed.success) throw new RigError('internal', `The secret file ${file} is damaged or from an unknown version.`, 'Restore it from a backup or re-import the wallet.');
    return parsed.data;
  }

  private async writeAtomic(file: string, body: string): Promise<void> {
    await writeFileAtomic(file, body, { dirMode: 0o700 });
  }
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** Factory for the headless agent: the passphrase is asked only when a secret is touched. */
export function passphraseSecretStore(dir: string, getPassphrase: () => Promise<string>): PassphraseSecretStore {
  return new PassphraseSecretStore(dir, getPassphrase);
}
