#!/usr/bin/env node
import os from 'node:os';
import { installCrashHandlers } from '../app/crash-reports.js';
import { defaultHome } from '../store/paths.js';
import { takePassphraseFromEnv } from '../util/child-env.js';
import { findAppRoot } from './app-root.js';
import { runCli } from './cli.js';

const args = process.argv.slice(2);
// Read once, then gone from process.env: no child process (nvidia-smi, docker helpers) inherits it.
const passphrase = takePassphraseFromEnv(process.env);
// A crash writes a redacted report into RIGLEASE_HOME/crash-reports and still exits non-zero.
// Not in demo mode, which never touches RIGLEASE_HOME.
if (!args.includes('--demo')) {
  installCrashHandlers({
    home: defaultHome(process.platform, process.env, os.homedir()),
    version: appVersion(),
    host: args[0] === 'serve' || args[0] === 'start' ? 'headless' : 'cli',
    env: process.env,
    exit: (code) => process.exit(code),
  });
}

function appVersion(): string {
  try {
    return findAppRoot().version;
  } catch {
    return 'unknown';
  }
}

/**
 * The `riglease` entry point (bundled to dist/cli.js). Exits explicitly once stdout has
 * drained: libraries may leave keep-alive sockets or timers that would hold a one-shot command open.
 */
const code = await runCli(args, {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
  env: process.env,
  ...(passphrase === undefined ? {} : { passphrase }),
});
process.stdout.write('', () => process.exit(code));
