import { rememberSecretValue } from './secret-patterns.js';

/**
 * Environment variables that carry secrets into RigLease. They are read once at start-up and
 * must never reach a child process: anything it spawns (nvidia-smi, docker helpers, a shell
 * script) could log its environment or pass it on again.
 */
export const SECRET_ENV_KEYS: readonly string[] = ['RIGLEASE_PASSPHRASE'];

/** The environment for a child process: `env` (default: ours) without the secret variables. */
export function childEnv(env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const copy: NodeJS.ProcessEnv = { ...env };
  for (const key of SECRET_ENV_KEYS) delete copy[key];
  return copy;
}

/**
 * Reads the passphrase from our environment once and removes it from `env` (process.env by
 * default), so no later spawn, crash report or library can see it there.
 */
export function takePassphraseFromEnv(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const value = env['RIGLEASE_PASSPHRASE'];
  for (const key of SECRET_ENV_KEYS) delete env[key];
  if (value === undefined || value.length === 0) return undefined;
  // Gone from the environment, so crash reports cannot find it there to redact: remember it here.
  rememberSecretValue(value);
  return value;
}
