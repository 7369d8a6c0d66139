import { parseCommandArgs, type CliCommand } from '../command.js';
import { UsageError } from '../errors.js';
import { formatRelayInfo, formatRelayStatus, formatSetupScript } from '../format/relay.js';
import { printResult, runMethod } from '../run-method.js';

const WHAT = ['status', 'init', 'setup-script', 'up', 'down'] as const;

function untilSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const on = (s: NodeJS.Signals) => {
      process.off('SIGINT', on);
      process.off('SIGTERM', on);
      resolve(s);
    };
    process.on('SIGINT', on);
    process.on('SIGTERM', on);
  });
}

/** The relay through your own server: src/provider/network/README-relay.md. */
export const relayCommand: CliCommand = {
  name: 'relay',
  summary: 'Reach tenants through your own small server when the router cannot forward ports (carrier-grade NAT, no router access)',
  help: () => `Usage: riglease relay init --endpoint HOST:PORT [--public-address IP] [--new-keys] [--json]
       riglease relay setup-script [--bash | --cloud-init] [--json]
       riglease relay status [--check-ports] [--json]
       riglease relay up [--json]
       riglease relay down [--json]

Your own small server with a public address (any VPS) becomes the provider's front door: it
holds a WireGuard tunnel to this computer and forwards TCP 80, 443, 8443, 8444 and the tenant
NodePorts (TCP and UDP) through it. This computer connects out, so no router setting is needed.

  init          remembers the server's address and WireGuard port (usually 51820) and makes both
                WireGuard key pairs; this rig's private key stays in the secret store.
  setup-script  the one-command setup for the server. It holds the SERVER'S private key: run it
                on your own server only. --bash prints only the script, for:
                  riglease relay setup-script --bash | ssh root@<server> 'bash -s'
                --cloud-init prints only the user-data for a new server.
  status        whether the server answers through the tunnel; --check-ports also tries the
                provider's ports at the server's public address from here (exit 1 when down).
  up            turns the relay on and holds the tunnel until Ctrl+C. The app and
                \`riglease serve\` keep it up by themselves while the relay is on.
  down          turns the relay off and takes the tunnel down (restart a running
                \`riglease serve\` for it to let go too).

The tunnel needs Linux and the right to create network interfaces (root, or CAP_NET_ADMIN),
and WireGuard: the kernel module, else wireguard-go (sudo apt-get install wireguard-tools wireguard-go).`,
  run: async (args, ctx) => {
    const { values, positionals } = parseCommandArgs(
      'relay',
      args,
      {
        json: { type: 'boolean', default: false },
        endpoint: { type: 'string' },
        'public-address': { type: 'string' },
        'new-keys': { type: 'boolean', default: false },
        bash: { type: 'boolean', default: false },
        'cloud-init': { type: 'boolean', default: false },
        'check-ports': { type: 'boolean', default: false },
      },
      { max: 1 },
    );
    const what = positionals[0] ?? 'status';
    if (!(WHAT as readonly string[]).includes(what)) throw new UsageError(`riglease relay: unknown action ${JSON.stringify(what)}.`, `Use one of: ${WHAT.join(', ')}.`);
    const json = values.json;
    if (what === 'init') {
      if (!values.endpoint) throw new UsageError('riglease relay init needs --endpoint HOST:PORT, your server\u2019s address and WireGuard port.', 'For example: riglease relay init --endpoint 203.0.113.7:51820');
      const publicAddress = values['public-address'];
      const info = await ctx.withAgent((a) => runMethod(a, 'relay.init', { endpoint: values.endpoint ?? '', newKeys: values['new-keys'], ...(publicAddress === undefined ? {} : { publicAddress }) }));
      printResult(ctx, info, { json, human: formatRelayInfo });
      return 0;
    }
    if (what === 'setup-script') {
      if (values.bash && values['cloud-init']) throw new UsageError('Choose one of --bash and --cloud-init.');
      const s = await ctx.withAgent((a) => runMethod(a, 'relay.setupScript', {}));
      if (values.bash) ctx.out(s.bash);
      else if (values['cloud-init']) ctx.out(s.cloudInit);
      else printResult(ctx, s, { json, human: formatSetupScript });
      return 0;
    }
    if (what === 'status') {
      const s = await ctx.withAgent((a) => runMethod(a, 'relay.status', { checkPorts: values['check-ports'] }));
      printResult(ctx, s, { json, human: formatRelayStatus });
      return s.state === 'down' || s.state === 'error' ? 1 : 0;
    }
    if (what === 'down') {
      const s = await ctx.withAgent((a) => runMethod(a, 'relay.down', {}));
      printResult(ctx, s, { json, human: formatRelayStatus });
      return 0;
    }
    return ctx.withAgent(async (a) => {
      const before = await runMethod(a, 'relay.status', {});
      if (before.enabled && before.state === 'up') {
        // Another RigLease process (the app, `riglease serve`) already holds the tunnel.
        printResult(ctx, before, { json, human: formatRelayStatus });
        return 0;
      }
      await runMethod(a, 'relay.up', {});
      // Wait for the first answer through the tunnel (or the verdict), at most 20 s.
      let s = await runMethod(a, 'relay.status', {});
      for (let i = 0; i < 80 && s.state === 'starting'; i++) {
        await new Promise((r) => setTimeout(r, 250));
        s = await runMethod(a, 'relay.status', {});
      }
      printResult(ctx, s, { json, human: formatRelayStatus });
      ctx.err('Holding the relay tunnel; Ctrl+C stops it (the relay stays on for the app and `riglease serve`).\n');
      const signal = await untilSignal();
      ctx.err(`${signal}: taking the tunnel down.\n`);
      return 0;
    });
  },
};
