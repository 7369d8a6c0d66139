import type { Handler } from '../../api/dispatch.js';
import { RigError } from '../../api/errors.js';
import type { SecretStore } from '../../store/secret-store.js';
import type { PassphraseEntry } from '../secrets/page-passphrase.js';

export interface SecretsHandlerDeps {
  /** Headless: the passphrase typed in the page; absent where the OS protects the key. */
  passphraseEntry?: PassphraseEntry | undefined;
  secrets: Pick<SecretStore, 'kind'>;
}

export function secretsHandlers(deps: SecretsHandlerDeps): { 'secrets.status': Handler<'secrets.status'>; 'secrets.unlock': Handler<'secrets.unlock'> } {
  const entry = deps.passphraseEntry;
  return {
    // Where the OS protects the key (the desktop app, the demo), nothing is ever asked.
    'secrets.status': async () => (entry ? entry.status() : { needsPassphrase: false, isNew: false, protection: deps.secrets.kind }),
    'secrets.unlock': async ({ passphrase }) => {
      if (!entry) throw new RigError('invalid_input', 'This app protects the wallet key with the system\'s own protection: there is no passphrase to enter.');
      return entry.submit(passphrase);
    },
  };
}
