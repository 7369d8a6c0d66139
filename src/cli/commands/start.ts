import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { RigError } from '../../api/errors.js';
import { childEnv } from '../../util/child-env.js';
import type { CliCommand, CliContext } from '../command.js';
import { findElectronBinary } from '../electron-binary.js';
import { DEFAULT_PORT, parseServeArgs, serveHeadless } from './serve.js';

/** Runs the desktop app and returns its exit code; signals to us are passed on to it. */
function runElectron(ctx: CliContext, binary: string, main: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const env = childEnv(ctx.env);
    // Inherited from some shells and IDEs, this would make Electron run main.js as plain Node.
    delete env['ELECTRON_RUN_AS_NODE'];
    const child = spawn(binary, [main], { stdio: 'inherit', env });
    const forward = (signal: NodeJS.Signals) => child.kill(signal);
    process.on('SIGINT', forward);
    process.on('SIGTERM', forward);
    const done = () => {
      process.off('SIGINT', forward);
      process.off('SIGTERM', forward);
    };
    child.once('error', (err) => {
      done();
      reject(new RigError('unavailable', `The desktop app could not start: ${err.message}`, 'Reinstall with `npm ci`, or run `riglease serve` for the web UI.'));
    });
    child.once('exit', (code, signal) => {
      done();
      resolve(code ?? (signal ? 1 : 0));
    });
  });
}

export const startCommand: CliCommand = {
  name: 'start',
  summary: 'Open the desktop app; where no Electron binary is installed, serve the same UI headless',
  help: () => `Usage: riglease start [--port N] [--host H] [--demo] [--token T]

Opens the RigLease desktop app. Where no Electron binary is installed (servers, CI,
ELECTRON_SKIP_BINARY_DOWNLOAD=1), says so and serves the same UI on
http://127.0.0.1:${DEFAULT_PORT}/ instead, exactly like \`riglease serve\` (its options apply then).`,
  run: async (args, ctx) => {
    const opts = parseServeArgs('start', args);
    const electron = findElectronBinary(ctx.appRoot, ctx.env);
    if (!electron.found) {
      ctx.err(`No Electron binary is installed (${electron.reason}), so RigLease serves its UI headless instead.\n`);
      return serveHeadless(ctx, opts);
    }
    const main = path.join(ctx.appRoot, 'dist', 'electron', 'main.js');
    if (!existsSync(main)) {
      throw new RigError('precondition_failed', 'The desktop app is not built.', 'Run `npm run build`, then `riglease start` again.');
    }
    return runElectron(ctx, electron.path, main);
  },
};
