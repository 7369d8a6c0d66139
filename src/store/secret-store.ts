/**
 * Where secrets live (wallet mnemonic, farm join tokens). Electron implements it with
 * safeStorage; headless with a passphrase-encrypted file. Values never leave through any
 * other path: not logs, not settings, not the renderer.
 */
export interface SecretStore {
  /** Human name of the protection, for the UI: "Windows DPAPI", "passphrase file". */
  readonly kind: string;
  has(name: string): Promise<boolean>;
  get(name: string): Promise<string | null>;
  /**
   * `label` is public (e.g. the wallet's address) and is written in the same file as the
   * secret, in one atomic write, so the two can never disagree after a crash.
   */
  set(name: string, value: string, label?: string): Promise<void>;
  delete(name: string): Promise<void>;
  /** The public label stored with a secret, readable without unlocking; null when none was stored. */
  label?(name: string): Promise<string | null>;
  /** Checks the passphrase (or other unlock) now, before anything is shown that depends on it. */
  unlock?(): Promise<unknown>;
}
