import { RigError } from '../api/errors.js';
import { passphraseFromEnv } from '../app/headless-host.js';

/**
 * The passphrase for the secret store: RIGLEASE_PASSPHRASE when set, else asked on the
 * terminal with echo off. Without a terminal (scripts, the daemon) it fails with the fix.
 */
export function cliPassphrase(env: NodeJS.ProcessEnv): () => Promise<string> {
  return async () => {
    if (env['RIGLEASE_PASSPHRASE']) return passphraseFromEnv(env);
    if (!process.stdin.isTTY || !process.stderr.isTTY) return passphraseFromEnv(env);
    return askHidden('RigLease passphrase: ');
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
