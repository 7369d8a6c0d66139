import { parseCommandArgs, type CliCommand } from '../command.js';
import { UsageError } from '../errors.js';
import { formatDnsStatus, formatNetworkReport } from '../format/network.js';
import { printResult, runMethod } from '../run-method.js';

/** The token comes on stdin, never as an argument: arguments show in `ps` and shell history. */
async function readTokenFromStdin(stdin: NodeJS.ReadStream, timeoutMs = 60_000): Promise<string> {
  if (stdin.isTTY) process.stderr.write('Paste the Cloudflare API token and press Enter: ');
  return new Promise((resolve, reject) => {
    let data = '';
    const timer = setTimeout(() => {
      stdin.pause();
      reject(new UsageError('No token arrived on standard input.', 'Pipe it in: riglease network dns token < token.txt'));
    }, timeoutMs);
    stdin.setEncoding('utf8');
    const done = () => {
      clearTimeout(timer);
      stdin.pause();
      resolve(data.split('\n')[0]!.trim());
    };
    stdin.on('data', (c: string) => {
      data += c;
      if (data.includes('\n')) done();
    });
    stdin.once('end', done);
  });
}

export const networkCommand: CliCommand = {
  name: 'network',
  summary: 'How tenants can reach this computer: direct, NAT, double NAT or carrier-grade NAT; the DNS records kept on the public address',
  help: () => `Usage: riglease network [--json]
       riglease network dns [status|sync] [--json]
       riglease network dns token [--remove]

  (none)      reads this computer's address, the router's outside address (NAT-PMP, then
              UPnP GetExternalIPAddress) and the public address seen from outside (the outside
              probe's /whoami next to bench.network.portProbeUrl, or network.whoamiUrl, or
              bench.network.publicIpUrl), and says which it is and the path that follows:
              direct, port forwarding (\`riglease ports map\`), or the relay (\`riglease relay\`).
  dns status  the two records a provider needs, provider.<domain> (A) and *.ingress.<domain>
              (CNAME to provider.<domain>, or A with network.dns.ingress=a), what Cloudflare holds
              (with a token) and whether resolving them at network.dns.resolver gives the public
              address. Changes nothing. Without a token: the records to create by hand.
  dns sync    with the token: creates or corrects both records, then resolves them.
  dns token   reads a Cloudflare API token (Zone:Read + DNS:Edit on the domain's zone) from
              standard input and keeps it in the secret store; --remove deletes it. The desktop
              app and \`riglease serve\` then keep the records on the public address (checked at
              most every 5 minutes, written only when it changed).

Exit code: 0; network: 1 when the network is unknown; dns: 1 when not every record resolves to
the public address; 2 on a usage error.`,
  run: async (args, ctx) => {
    const { values, positionals } = parseCommandArgs('network', args, { json: { type: 'boolean', default: false }, remove: { type: 'boolean', default: false } }, { max: 2 });
    const json = values.json;
    if (positionals.length === 0) {
      if (values.remove) throw new UsageError('--remove only goes with `riglease network dns token`.');
      const r = await ctx.withAgent((agent) => runMethod(agent, 'network.detect', {}));
      printResult(ctx, r, { json, human: formatNetworkReport });
      return r.kind === 'unknown' ? 1 : 0;
    }
    if (positionals[0] !== 'dns') throw new UsageError(`riglease network: unknown action ${JSON.stringify(positionals[0])}.`, 'Use `riglease network` or `riglease network dns …`.');
    const what = positionals[1] ?? 'status';
    if (what === 'token') {
      const token = values.remove ? '' : await readTokenFromStdin(process.stdin);
      if (!values.remove && token === '') throw new UsageError('The token was empty.', 'Pipe it in: riglease network dns token < token.txt (or use --remove).');
      const r = await ctx.withAgent((agent) => runMethod(agent, 'network.setDnsToken', { token }));
      printResult(ctx, r, { json, human: (v) => v.message });
      return 0;
    }
    if (values.remove) throw new UsageError('--remove only goes with `riglease network dns token`.');
    if (what !== 'status' && what !== 'sync') throw new UsageError(`riglease network dns: unknown action ${JSON.stringify(what)}.`, 'Use one of: status, sync, token.');
    const d = await ctx.withAgent((agent) => runMethod(agent, what === 'sync' ? 'network.dnsSync' : 'network.dnsStatus', {}));
    printResult(ctx, d, { json, human: formatDnsStatus });
    return d.verified ? 0 : 1;
  },
};
