import { DEFAULT_PROBE_PORTS, startProbeServer } from '../../hardware/bench/probe-server.js';
import type { Logger } from '../../util/logger.js';
import { parseCommandArgs, parsePort, type CliCommand, type CliContext } from '../command.js';
import { UsageError } from '../errors.js';

export const DEFAULT_PROBE_PORT = 8485;

/** One line per check on stderr: who asked and what was found (no secrets exist here). */
function stderrLogger(ctx: CliContext): Logger {
  const line = (level: string) => (msg: string, fields?: Record<string, unknown>) => ctx.err(`${new Date().toISOString()} ${level} ${msg}${fields ? ` ${JSON.stringify(fields)}` : ''}\n`);
  const logger: Logger = { debug: () => undefined, info: line('info'), warn: line('warn'), error: line('error'), child: () => logger };
  return logger;
}

function intOption(name: string, value: string | undefined, fallback: number, min: number, max: number): number {
  if (value === undefined) return fallback;
  if (!/^\d+$/.test(value) || Number(value) < min || Number(value) > max) throw new UsageError(`--${name} must be a whole number from ${min} to ${max}, not ${JSON.stringify(value)}.`);
  return Number(value);
}

export const probeServerCommand: CliCommand = {
  name: 'probe-server',
  summary: 'Run the outside port probe for other RigLease providers (someone with a public IP hosts it)',
  help: () => `Usage: riglease probe-server [--port N] [--host H] [--ports LIST] [--rate N] [--timeout MS] [--json]

Whether tenants can reach a provider's ports (80, 443, 8443, 8444) can only be seen from outside
its network. Run this on a machine with a public address (a farm's gateway, a friend's server,
a small VPS) and point the providers at it:
  riglease settings set bench.network.portProbeUrl http://<this machine>:${DEFAULT_PROBE_PORT}/probe
A provider then asks "connect back to me on these ports"; this server tries one TCP connection
to each and answers open / closed / filtered with the time it took.
\`GET /whoami\` answers the address a request came from: providers read their public address
(\`riglease network\`) from it.

It only ever connects back to the address the request comes from (a request naming another
address is refused), only on the allowed ports, and limits each address to --rate checks a
minute, so it cannot be used to scan anyone else. It does not trust X-Forwarded-For: run it
directly, not behind a proxy. Protocol: src/hardware/bench/README.md.

Runs until Ctrl+C (SIGINT) or SIGTERM. Line 1 of stdout is the probe's URL (--json: one object).

Options:
  --port N       port to listen on (default ${DEFAULT_PROBE_PORT}; 0 picks a free one)
  --host H       address to listen on (default 0.0.0.0, every interface)
  --ports LIST   ports a requester may ask about, comma-separated (default ${DEFAULT_PROBE_PORTS.join(',')})
  --rate N       checks per requesting address per minute (default 6)
  --timeout MS   how long one connection attempt may take before the port reads "filtered" (default 3000)
  --json         print {"url","port","ports"} once listening`,
  run: async (args, ctx) => {
    const { values } = parseCommandArgs('probe-server', args, {
      port: { type: 'string' },
      host: { type: 'string' },
      ports: { type: 'string' },
      rate: { type: 'string' },
      timeout: { type: 'string' },
      json: { type: 'boolean', default: false },
    });
    const host = values.host ?? '0.0.0.0';
    if (host.trim() === '' || /[\s/]/.test(host)) throw new UsageError(`--host ${JSON.stringify(host)} is not an address.`);
    const ports = values.ports === undefined ? [...DEFAULT_PROBE_PORTS] : values.ports.split(',').map((p) => intOption('ports', p.trim(), 0, 1, 65535));
    if (ports.length === 0 || ports.length > 8) throw new UsageError('--ports takes 1 to 8 ports.');
    const server = await startProbeServer({
      host,
      port: parsePort(values.port, DEFAULT_PROBE_PORT),
      allowedPorts: ports,
      perAddress: intOption('rate', values.rate, 6, 1, 600),
      connectTimeoutMs: intOption('timeout', values.timeout, 3000, 100, 20_000),
      logger: stderrLogger(ctx),
    });
    ctx.out(values.json ? `${JSON.stringify({ url: server.url, port: server.port, ports })}\n` : `${server.url}\n`);
    ctx.err(`RigLease port probe listening on ${host}:${server.port}; it connects back only to the requester, on ports ${ports.join(', ')} (Ctrl+C to stop).\n`);
    const signal = await new Promise<NodeJS.Signals>((resolve) => {
      const on = (s: NodeJS.Signals) => {
        process.off('SIGINT', on);
        process.off('SIGTERM', on);
        resolve(s);
      };
      process.on('SIGINT', on);
      process.on('SIGTERM', on);
    });
    ctx.err(`${signal}: stopping.\n`);
    await server.close();
    return 0;
  },
};
