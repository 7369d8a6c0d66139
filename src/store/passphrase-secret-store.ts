import { timingSafeEqual } from 'node:crypto';
import { readFile, readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { RigError } from '../api/errors.js';
import { writeFileAtomic } from '../util/atomic-write.js';
import { isNotFound } from './json-file.js';
import { requireStrongPassphrase } from './passphrase-strength.js';
import { CURRENT_KDF, SecretFile, decryptSecret, encryptSecret, needsUpgrade, type KdfParams } from './secret-cipher.js';
import type { SecretStore } from './secret-store.js';

export { encryptSecret, decryptSecret } from './secret-cipher.js';

/** A known plaintext, encrypted with the passphrase, so a wrong passphrase is caught before anything is written. */
const CHECK_FILE = '.passphrase-check';
const CHECK_TEXT = 'riglease-passphrase-check-v1';
const NAME = /^[a-z0-9][a-z0-9._-]{0,63}$/;

export interface PassphraseSecretStoreOptions {
  /**
   * The scrypt cost for files this store writes. Only tests set it (a lower cost keeps suites
   * that create many wallets fast); product code never does, so users always get CURRENT_KDF.
   */
  kdf?: KdfParams;
}

/**
 * The headless SecretStore: one file per secret under `dir`, each encrypted with a key derived
 * from the passphrase (scrypt, per-file salt) with AES-256-GCM. Files are 0600 and written
 * atomically. The passphrase is asked for lazily, only when a secret is read or written, and is
 * checked against a known-plaintext file first so a typo never writes a secret nobody can open.
 * A new passphrase (no check file yet) must pass the strength estimator. Files sealed with an
 * older, cheaper cost are rewritten with the current one after they open.
 */
export class PassphraseSecretStore implements SecretStore {
  readonly kind = 'passphrase file';
  private passphrase: string | null = null;
  private readonly kdf: KdfParams;

  constructor(
    private readonly dir: string,
    private readonly getPassphrase: (ask: { isNew: boolean }) => Promise<string>,
    opts: PassphraseSecretStoreOptions = {},
  ) {
    this.kdf = opts.kdf ?? CURRENT_KDF;
  }

  async has(name: string): Promise<boolean> {
    return (await this.readFileFor(name)) !== null;
  }

  async label(name: string): Promise<string | null> {
    const file = await this.readFileFor(name);
    return file && file.v === 2 ? (file.label ?? null) : null;
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
    if (needsUpgrade(file, this.kdf)) {
      await this.writeAtomic(this.fileName(name), JSON.stringify(await encryptSecret(pass, value, this.kdf, file.v === 2 ? file.label : undefined)));
    }
    return value;
  }

  /** Stores `value`; `label` is public (readable without the passphrase) and lives in the same file, so the two cannot disagree. */
  async set(name: string, value: string, label?: string): Promise<void> {
    const pass = await this.unlock();
    await this.writeAtomic(this.fileName(name), JSON.stringify(await encryptSecret(pass, value, this.kdf, label)));
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

  /** True once the passphrase was given and checked in this process. */
  get unlocked(): boolean {
    return this.passphrase !== null;
  }

  /** True when a passphrase was chosen here before (its check file exists), false on a first run. */
  async hasPassphrase(): Promise<boolean> {
    return (await this.readJson(path.join(this.dir, CHECK_FILE))) !== null;
  }

  /** Forget the cached passphrase (e.g. after a lock timeout). */
  lock(): void {
    this.passphrase = null;
  }

  /**
   * Asks for the passphrase now and checks it: the strength of a new one, or that it opens the
   * existing secrets. Callers that show something once (a new recovery phrase) call this first.
   */
  async unlock(): Promise<string> {
    if (this.passphrase !== null) return this.passphrase;
    const checkPath = path.join(this.dir, CHECK_FILE);
    const check = await this.readJson(checkPath);
    const candidate = await this.getPassphrase({ isNew: check === null });
    if (check) {
      if (candidate.length < 8) throw wrongPassphrase();
      const text = await decryptSecret(candidate, check);
      if (text === null || !safeEqual(text, CHECK_TEXT)) throw wrongPassphrase();
      if (needsUpgrade(check, this.kdf)) await this.writeAtomic(checkPath, JSON.stringify(await encryptSecret(candidate, CHECK_TEXT, this.kdf)));
    } else {
      // A new passphrase: it protects a wallet against anyone who copies this folder, so it must be hard to guess.
      requireStrongPassphrase(candidate);
      await this.writeAtomic(checkPath, JSON.stringify(await encryptSecret(candidate, CHECK_TEXT, this.kdf)));
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

function wrongPassphrase(): RigError {
  return new RigError('unauthorized', 'Wrong passphrase: the secrets in this RigLease folder were locked with a different one.', 'Type the passphrase you chose when the wallet was set up; nothing was changed.');
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** Factory for the headless agent: the passphrase is asked only when a secret is touched. */
export function passphraseSecretStore(dir: string, getPassphrase: (ask: { isNew: boolean }) => Promise<string>, opts: PassphraseSecretStoreOptions = {}): PassphraseSecretStore {
  return new PassphraseSecretStore(dir, getPassphrase, opts);
}
