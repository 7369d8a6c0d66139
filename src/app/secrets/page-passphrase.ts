import type { SecretsStatus } from '../../api/methods/secrets.js';
import type { PassphraseSecretStore } from '../../store/passphrase-secret-store.js';

type Ask = (ask: { isNew: boolean }) => Promise<string>;

/** The passphrase typed in the page (`secrets.unlock`), for a headless agent opened in a browser. */
export interface PassphraseEntry {
  status(): Promise<SecretsStatus>;
  /** Checks it at once (a new one must be strong); on success the store keeps it in memory. */
  submit(passphrase: string): Promise<SecretsStatus>;
}

/**
 * A browser has no terminal and a daemon often has no RIGLEASE_PASSPHRASE: the page asks before
 * anything is shown that depends on the secrets (a new wallet's words). The typed passphrase is
 * handed to the store once, checked there, and dropped here whatever the outcome.
 */
export function pagePassphrase(fallback: Ask, envHasOne: boolean): { getPassphrase: Ask; bind(store: PassphraseSecretStore): PassphraseEntry } {
  let held: string | null = null;
  return {
    getPassphrase: async (ask) => held ?? fallback(ask),
    bind: (store) => {
      const status = async (): Promise<SecretsStatus> => ({ needsPassphrase: !store.unlocked && !envHasOne, isNew: !(await store.hasPassphrase()), protection: store.kind });
      return {
        status,
        submit: async (passphrase) => {
          held = passphrase;
          try {
            await store.unlock();
          } catch (err) {
            store.lock();
            throw err;
          } finally {
            held = null;
          }
          return status();
        },
      };
    },
  };
}
