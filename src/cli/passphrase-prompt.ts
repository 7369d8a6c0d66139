import { RigError } from '../api/errors.js';
import { passphraseFromEnv } from '../app/headless-host.js';

/**
 * The passphrase for the secret store: RIGLEASE_PASSPHRASE as read at start-up (`captured`),
 * or still in `env` for in-process callers, else asked on the terminal with echo off — twice
 * for a new one, so a typo does not lock the wallet away. Without a terminal it fails with the fix.
 */
export function cliPassphrase(env: NodeJS.ProcessEnv, captured?: string): (ask?: { isNew: boolean }) => Promise<string> {
  return async (ask) => {
    if (captured) return captured;
    if (env['RIGLEASE_PASSPHRASE']) return passphraseFromEnv(env);
    if (!process.stdin.isTTY || !process.stderr.isTTY) return passphraseFromEnv(env);
    if (!ask?.isNew) return askHidden('RigLease passphrase: ');
    const first = await askHidden('Choose a RigLease passphrase (it protects the wallet key): ');
    const again = await askHidden('Type it again: ');
    if (first !== again) throw new RigError('invalid_input', 'The two passphrases are not the same, so nothing was saved.', 'Run the command again and type the same passphrase twice.');
    return first;
  };
}

function askHidden(prompt: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const stdin = process.stdin;
    process.stderr.write(prompt);
    stdin.setRawMode(true);
    stdin.resume();
    let value = '';
    const finish = (err: RigError | null) => {
      stdin.setRawMode(false);
      stdin.pause();
      stdin.off('data', onData);
      process.stderr.write('\n');
      if (err) reject(err);
      else resolve(value);
    };
    const onData = (chunk: Buffer) => {
      for (const ch of chunk.toString('utf8')) {
        if (ch === '\r' || ch === '\n') return finish(null);
        if (ch === '\u0003') return finish(new RigError('cancelled', 'Cancelled.'));
        if (ch === '\u007f' || ch === '\b') value = value.slice(0, -1);
        else value += ch;
      }
      return undefined;
    };
    stdin.on('data', onData);
  });
}
