import { z } from 'zod';
import { method } from '../method.js';

/** Whether the wallet secrets can be read now, and whether the page must ask for the passphrase first. */
export const SecretsStatus = z.object({
  /** True when a passphrase must be typed in the page before a wallet is made or read. */
  needsPassphrase: z.boolean(),
  /** True when no passphrase was ever chosen here: the page asks for a new one, twice. */
  isNew: z.boolean(),
  /** "passphrase file", "Windows DPAPI"…: how the key is protected at rest. */
  protection: z.string(),
});
export type SecretsStatus = z.infer<typeof SecretsStatus>;

export const secretsMethods = {
  'secrets.status': method({
    input: z.object({}).strict(),
    output: SecretsStatus,
    summary: 'Whether the wallet secrets are unlocked, or the passphrase must be entered (and whether it is a new one)',
  }),
  'secrets.unlock': method({
    input: z.object({ passphrase: z.string().min(1).max(1024) }).strict(),
    output: SecretsStatus,
    summary: 'The headless agent: unlock the wallet secrets with the passphrase typed in the page (a new one must be strong); kept in memory only',
    sensitive: true,
  }),
} as const;
