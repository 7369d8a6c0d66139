#!/usr/bin/env node
import { runCli } from './cli.js';

/**
 * The `riglease` entry point (bundled to dist/cli.js). Exits explicitly once stdout has
 * drained: libraries may leave keep-alive sockets or timers that would hold a one-shot command open.
 */
const code = await runCli(process.argv.slice(2), {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
  env: process.env,
});
process.stdout.write('', () => process.exit(code));
