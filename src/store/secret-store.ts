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
  set(name: string, value: string): Promise<void>;
  delete(name: string): Promise<void>;
}
