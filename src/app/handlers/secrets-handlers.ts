import type { Handler } from '../../api/dispatch.js';
import { RigError } from '../../api/errors.js';
import type { Agent } from '../agent.js';

export function secretsHandlers(agent: Agent): { 'secrets.status': Handler<'secrets.status'>; 'secrets.unlock': Handler<'secrets.unlock'> } {
  const entry = agent.deps.passphraseEntry;
  return {
    // Where the OS protects the key (the desktop app, the demo), nothing is ever asked.
    'secrets.status': async () => (entry ? entry.status() : { needsPassphrase: false, isNew: false, protection: agent.deps.secrets.kind }),
    'secrets.unlock': async ({ passphrase }) => {
      if (!entry) throw new RigError('invalid_input', 'This app protects the wallet key with the system\'s own protection: there is no passphrase to enter.');
      return entry.submit(passphrase);
    },
  };
}
