import os from 'node:os';
import { RigError } from '../api/errors.js';
import type { NvidiaSmiRunner } from '../hardware/nvidia/nvidia-smi-runner.js';
import { passphraseSecretStore } from '../store/passphrase-secret-store.js';
import { pagePassphrase } from './secrets/page-passphrase.js';
import { defaultHome, pathsUnder, type Paths } from '../store/paths.js';
import { securePrivateDirs } from '../store/private-dirs.js';
import type { SecretStore } from '../store/secret-store.js';
import { fileLogger, type Logger } from '../util/logger.js';
import { Agent } from './agent.js';

export interface HeadlessAgentOptions {
  /** `headless` for `riglease serve`, `cli` for one-shot commands. */
  host: 'headless' | 'cli';
  version: string;
  env?: NodeJS.ProcessEnv;
  platform?: NodeJS.Platform;
  demo?: boolean;
  /** How nvidia-smi runs; demo mode replays a capture in-process (see AgentDeps). */
  nvidiaSmi?: NvidiaSmiRunner;
  /** Also print warnings and errors to stderr (the daemon does; one-shot commands stay quiet). */
  logToStderr?: boolean;
  /**
   * Asked only when a secret is first read or written. Defaults to RIGLEASE_PASSPHRASE; the
   * CLI passes a terminal prompt when it has one.
   */
  getPassphrase?: (ask: { isNew: boolean }) => Promise<string>;
  /** The passphrase came with the start (environment, the command): the page is never asked for it. */
  passphraseGiven?: boolean;
}

export interface HeadlessAgent {
  agent: Agent;
  paths: Paths;
  logger: Logger;
  secrets: SecretStore;
}

/**
 * Builds the Agent the way every non-Electron host needs it: data in RIGLEASE_HOME (else the
 * platform's app-data folder), a file logger there, and the passphrase-file SecretStore.
 */
export function createHeadlessAgent(opts: HeadlessAgentOptions): HeadlessAgent {
  const env = opts.env ?? process.env;
  const platform = opts.platform ?? process.platform;
  const paths = pathsUnder(defaultHome(platform, env, os.homedir()));
  securePrivateDirs(paths, platform);
  const logger = fileLogger(paths.logsDir, opts.host, opts.logToStderr ?? false);
  // The page may type the passphrase (secrets.unlock); the demo has its own and never asks.
  const page = pagePassphrase(opts.getPassphrase ?? (() => passphraseFromEnv(env)), opts.passphraseGiven === true || Boolean(env['RIGLEASE_PASSPHRASE']));
  const secrets = passphraseSecretStore(paths.secretsDir, page.getPassphrase);
  const agent = new Agent({
    host: opts.host,
    paths,
    secrets,
    logger,
    version: opts.version,
    env,
    platform,
    ...(opts.demo === undefined ? {} : { demo: opts.demo }),
    ...(opts.nvidiaSmi ? { nvidiaSmi: opts.nvidiaSmi } : {}),
    ...(opts.demo ? {} : { passphraseEntry: page.bind(secrets) }),
  });
  return { agent, paths, logger, secrets };
}

/** The daemon has no terminal to ask on, so the passphrase comes from its environment. */
export async function passphraseFromEnv(env: NodeJS.ProcessEnv): Promise<string> {
  const value = env['RIGLEASE_PASSPHRASE'];
  if (value && value.length > 0) return value;
  throw new RigError(
    'unauthorized',
    'The wallet secrets are locked with a passphrase, and none was given.',
    'Set RIGLEASE_PASSPHRASE in the environment of the riglease command, or run the command in a terminal to be asked.',
  );
}
