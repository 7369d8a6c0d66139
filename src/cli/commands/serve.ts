import { existsSync } from 'node:fs';
import path from 'node:path';
import { RigError } from '../../api/errors.js';
import { startServer } from '../../server/server.js';
import { isLoopbackHost } from '../../server/security.js';
import { parseCommandArgs, parsePort, type CliCommand, type CliContext } from '../command.js';
import { UsageError } from '../errors.js';

export const DEFAULT_PORT = 7878;

export interface ServeOptions {
  host: string;
  port: number;
  demo: boolean;
  token: string | undefined;
  /** False when --port was left out: then a busy default port falls back to any free one. */
  portGiven: boolean;
}

const options = {
  port: { type: 'string' },
  host: { type: 'string' },
  demo: { type: 'boolean', default: false },
  token: { type: 'string' },
} as const;

export function parseServeArgs(command: string, args: string[]): ServeOptions {
  const { values } = parseCommandArgs(command, args, options);
  const token = values.token;
  // The token goes in a URL and a WebSocket subprotocol: keep it to URL-safe characters (each a
  // valid subprotocol character) and long enough to not be guessed.
  if (token !== undefined && !/^[A-Za-z0-9._~-]{16,256}$/.test(token)) {
    throw new UsageError('--token must be 16 to 256 URL-safe characters (letters, digits, . _ ~ -).', 'Leave --token out to get a random one.');
  }
  const host = values.host ?? '127.0.0.1';
  if (host.trim() === '' || /[\s/]/.test(host)) throw new UsageError(`--host ${JSON.stringify(host)} is not an address.`);
  return { host, port: parsePort(values.port, DEFAULT_PORT), demo: values.demo, token, portGiven: values.port !== undefined };
}

/** Serves the UI and API until SIGINT/SIGTERM, then closes the server and stops the agent. */
export async function serveHeadless(ctx: CliContext, opts: ServeOptions): Promise<number> {
  const staticDir = path.join(ctx.appRoot, 'dist', 'renderer');
  return ctx.withHost(
    async (host) => {
      const listen = (port: number) =>
        startServer({
          agent: host.api,
          host: opts.host,
          port,
          staticDir,
          logger: host.logger.child('server'),
          ...(opts.token === undefined ? {} : { token: opts.token }),
        });
      const server = await listen(opts.port).catch((err: unknown) => {
        if (opts.portGiven || !(err instanceof RigError) || err.code !== 'conflict') throw err;
        return listen(0);
      });
      // The daemon's loops (availability, the price table, the farm, notifications…) run from here on.
      host.start();
      // Line 1 of stdout is the contract: scripts and tests read the URL from it.
      ctx.out(`${server.loginUrl}\n`);
      if (!isLoopbackHost(opts.host)) {
        ctx.err(
          [
            '',
            `WARNING: listening on ${opts.host}: other machines on the network can reach this RigLease agent.`,
            'WARNING: whoever has the token controls this machine\'s provider and wallet. Keep it secret,',
            'WARNING: firewall the port, and prefer --host 127.0.0.1 with an SSH tunnel for remote access.',
            '',
          ].join('\n'),
        );
      }
      if (!existsSync(path.join(staticDir, 'index.html'))) {
        ctx.err('note: the web UI is not built, so only the API answers. Run `npm run build` to build it.\n');
      }
      ctx.err(`RigLease is serving on ${server.origin} (Ctrl+C to stop).\n`);
      const signal = await untilStopSignal();
      ctx.err(`${signal}: stopping…\n`);
      await server.close();
      return 0;
    },
    { host: 'headless', demo: opts.demo, logToStderr: true },
  );
}

/** Resolves on the first SIGINT/SIGTERM; a second one while stopping exits at once. */
function untilStopSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const onSignal = (signal: NodeJS.Signals) => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      process.once('SIGINT', () => process.exit(130));
      process.once('SIGTERM', () => process.exit(143));
      resolve(signal);
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
}

export const serveCommand: CliCommand = {
  name: 'serve',
  summary: 'Serve the RigLease UI and API over HTTP on this machine (headless, for servers and farms)',
  help: () => `Usage: riglease serve [--port N] [--host H] [--demo] [--token T]

Serves the same UI as the desktop app, plus its API, until Ctrl+C (SIGINT) or SIGTERM.
The first line printed is the address to open, with a one-time access token:
  http://127.0.0.1:${DEFAULT_PORT}/?token=…
Every API request needs that token (the page keeps it in the tab's sessionStorage, never in
a cookie, which every other port of this host would receive).

Options:
  --port N    port to listen on (default ${DEFAULT_PORT}; 0 picks a free one)
  --host H    address to listen on (default 127.0.0.1, this machine only). Anything else
              exposes the agent to the network: a warning is printed.
  --token=T   use this token instead of a random one (16+ URL-safe characters). Write it
              with '=': a token may begin with '-', which would read as an option
  --demo      demo mode: a simulated rig (a real RTX 3090 capture, a local test chain with
              leases and escrow) in a throwaway data folder; a banner says so. Never touches
              the real Docker engine, RIGLEASE_HOME, or any configured chain or market endpoint
  --help      this text

Environment:
  RIGLEASE_HOME        data folder (default: the platform's app-data folder)
  RIGLEASE_PASSPHRASE  unlocks the wallet secrets (a daemon has no terminal to ask on)
  RIGLEASE_NVIDIA_SMI  path of nvidia-smi when it is not on PATH
  DOCKER_HOST          the Docker engine to use`,
  run: async (args, ctx) => serveHeadless(ctx, parseServeArgs('serve', args)),
};
