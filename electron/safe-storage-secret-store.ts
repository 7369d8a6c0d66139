import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import type { SafeStorage } from 'electron';
import { RigError } from '../src/api/errors.js';
import type { SecretStore } from '../src/store/secret-store.js';
import { writeFileAtomic } from '../src/util/atomic-write.js';

/** The part of Electron's safeStorage this store uses; a type only, so tests need no Electron. */
export type SafeStorageLike = Pick<SafeStorage, 'isEncryptionAvailable' | 'encryptString' | 'decryptString'> &
  Partial<Pick<SafeStorage, 'getSelectedStorageBackend'>>;

const NAME = /^[a-z0-9][a-z0-9._-]{0,63}$/;

/** Files with a public label start with this line, then one JSON line, then the encrypted bytes; older files are the bytes alone. */
const MAGIC = Buffer.from('RLSAFE2\n');

function unwrap(raw: Buffer): { label: string | null; data: Buffer } {
  if (!raw.subarray(0, MAGIC.length).equals(MAGIC)) return { label: null, data: raw };
  const end = raw.indexOf(0x0a, MAGIC.length);
  if (end < 0) return { label: null, data: raw };
  try {
    const head = JSON.parse(raw.subarray(MAGIC.length, end).toString('utf8')) as { label?: unknown };
    return { label: typeof head.label === 'string' ? head.label : null, data: raw.subarray(end + 1) };
  } catch {
    return { label: null, data: raw };
  }
}

const KIND: Partial<Record<NodeJS.Platform, string>> = { win32: 'Windows DPAPI', darwin: 'macOS Keychain' };

/**
 * The desktop SecretStore: each secret encrypted by the OS (DPAPI, Keychain, libsecret/kwallet)
 * through safeStorage, one file per secret in `dir`, mode 0600, written atomically. It refuses
 * to work when the OS offers no real encryption, including Linux's `basic_text` fallback,
 * which is a hard-coded key: a secret there would be plain text in all but name.
 */
export class SafeStorageSecretStore implements SecretStore {
  readonly kind: string;

  constructor(
    private readonly dir: string,
    private readonly safe: SafeStorageLike,
    platform: NodeJS.Platform = process.platform,
  ) {
    this.kind = KIND[platform] ?? `system keyring (${safe.getSelectedStorageBackend?.() ?? 'unknown'})`;
  }

  async has(name: string): Promise<boolean> {
    return (await this.readRaw(name)) !== null;
  }

  async label(name: string): Promise<string | null> {
    const raw = await this.readRaw(name);
    return raw === null ? null : unwrap(raw).label;
  }

  async get(name: string): Promise<string | null> {
    const stored = await this.readRaw(name);
    if (stored === null) return null;
    const raw = unwrap(stored).data;
    this.ensureAvailable();
    try {
      return this.safe.decryptString(raw);
    } catch {
      throw new RigError('unavailable', `The secret "${name}" cannot be decrypted by this system's keyring.`, 'It was probably saved under another user account or OS install; import the wallet again from its recovery phrase.');
    }
  }

  /** `label` (public, e.g. the wallet address) goes in the same file, in the same atomic write. */
  async set(name: string, value: string, label?: string): Promise<void> {
    const file = this.fileFor(name);
    this.ensureAvailable();
    const data = this.safe.encryptString(value);
    await writeFileAtomic(file, label === undefined ? data : Buffer.concat([MAGIC, Buffer.from(`${JSON.stringify({ label })}\n`), data]), { dirMode: 0o700 });
  }

  async delete(name: string): Promise<void> {
    await rm(this.fileFor(name), { force: true });
  }

  private ensureAvailable(): void {
    if (!this.safe.isEncryptionAvailable()) {
      throw new RigError(
        'unavailable',
        'This system offers no encrypted storage for secrets, so RigLease will not store the wallet here.',
        'On Linux, install and unlock a keyring (GNOME Keyring or KWallet), then restart RigLease. Or run `riglease serve`, which uses a passphrase instead.',
      );
    }
    if (this.safe.getSelectedStorageBackend?.() === 'basic_text') {
      throw new RigError(
        'unavailable',
        'No system keyring was found (Electron would fall back to a fixed, public key), so RigLease will not store the wallet here.',
        'Install and unlock GNOME Keyring or KWallet, then restart RigLease. Or run `riglease serve`, which uses a passphrase instead.',
      );
    }
  }

  private fileFor(name: string): string {
    if (!NAME.test(name)) throw new RigError('invalid_input', `"${name}" is not a valid secret name.`);
    return path.join(this.dir, `${name}.safe`);
  }

  private async readRaw(name: string): Promise<Buffer | null> {
    try {
      return await readFile(this.fileFor(name));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw err;
    }
  }
}
