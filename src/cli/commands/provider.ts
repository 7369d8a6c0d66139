import { ProviderRegisterOutcome, type ProviderPlan } from '../../api/schemas/chain.js';
import { formatUakt, waitForTask } from '../chain-cli.js';
import { parseCommandArgs, type CliCommand, type CliContext } from '../command.js';
import { UsageError } from '../errors.js';
import { printResult, runMethod } from '../run-method.js';

const HELP = `Usage: riglease provider show [--json]
       riglease provider register [--dry-run] [--json]
       riglease provider update [--dry-run] [--json]

show      the provider record and certificates of this wallet on chain
register  MsgCreateProvider (or MsgUpdateProvider when it exists already) with the host URI,
          contact and attributes built from the hardware scan, plus MsgCreateCertificate when
          this wallet has no usable certificate (none, a client one, another host's, or one
          expiring within 30 days: renewal), plus MsgRevokeCertificate for the certificates it
          replaced, except the one the provider reads from /config/provider.pem until the new
          one is written there — one transaction, fee from simulation.
          Running it again changes nothing when the chain already matches.
update    the same, but only for a provider that is registered already
--dry-run prints the messages (with their type URLs), the attributes and the simulated fee;
          nothing is signed.

Host URI, contact and location come from settings: \`riglease settings set chain.provider.hostUri
https://provider.example.com:8443\`, chain.provider.locationRegion, chain.provider.memoryType, …`;

export function formatPlan(plan: ProviderPlan): string {
  return [
    `${plan.action === 'none' ? 'Nothing to change' : plan.action === 'create' ? 'Register' : 'Update'} provider ${plan.owner}`,
    `host: ${plan.hostUri || '(not set)'}`,
    ...(plan.changes.length > 0 ? ['changes:', ...plan.changes.map((c) => `  ${c}`)] : []),
    'attributes:',
    ...plan.attributes.map((a) => `  ${a.key} = ${a.value}`),
    'messages:',
    ...plan.messages.map((m) => `  ${m.typeUrl}`),
    `certificate: ${plan.certificate.needed ? 'a new one is published' : `serial ${plan.certificate.serial ?? '—'} is in use`}${plan.certificate.expiresAt ? ` (valid until ${plan.certificate.expiresAt.slice(0, 10)})` : ''}`,
    ...plan.certificate.revoke.map((s) => `revoked in this transaction: certificate ${s} (replaced)`),
    `fee: ${plan.fee ? `${formatUakt(plan.fee.feeUakt)} (gas ${plan.fee.gasLimit})` : '—'}`,
    ...plan.warnings.map((w) => `warning: ${w}`),
  ].join('\n');
}

async function register(kind: 'register' | 'update', args: string[], ctx: CliContext): Promise<number> {
  const { values } = parseCommandArgs(`provider ${kind}`, args, { json: { type: 'boolean', default: false }, 'dry-run': { type: 'boolean', default: false } });
  return ctx.withAgent(async (agent) => {
    const started = await runMethod(agent, kind === 'register' ? 'provider.register' : 'provider.update', { dryRun: values['dry-run'] });
    if (started.dryRun || !started.task) {
      printResult(ctx, started, { json: values.json, human: (s) => (s.plan ? `${formatPlan(s.plan)}\n(dry run: nothing was signed)` : 'Nothing to do.') });
      return 0;
    }
    const outcome = await waitForTask(agent, started.task, ctx, ProviderRegisterOutcome, values.json);
    printResult(ctx, outcome, {
      json: values.json,
      human: (o) =>
        o.alreadyDone
          ? `Already registered exactly like this; nothing was sent.\n${formatPlan(o.plan)}`
          : `${formatPlan(o.plan)}\nSent: ${o.receipt?.hash} (block ${o.receipt?.height})${o.receipt?.explorerUrl ? `\n${o.receipt.explorerUrl}` : ''}`,
    });
    return 0;
  });
}

async function show(args: string[], ctx: CliContext): Promise<number> {
  const { values } = parseCommandArgs('provider show', args, { json: { type: 'boolean', default: false } });
  const p = await ctx.withAgent((agent) => runMethod(agent, 'provider.show', {}));
  printResult(ctx, p, {
    json: values.json,
    human: (v) =>
      v.registered
        ? [`Provider ${v.owner}`, `host: ${v.hostUri}`, ...v.attributes.map((a) => `  ${a.key} = ${a.value}`), ...v.certificates.map((c) => `certificate ${c.serial}: ${c.state}`), ...(v.certificate ? [v.certificate.note] : [])].join('\n')
        : `${v.owner} is not registered as a provider. \`riglease provider register --dry-run\` shows what would be sent.`,
  });
  return 0;
}

export const providerCommand: CliCommand = {
  name: 'provider',
  summary: 'The provider record on chain: show, register, update (with --dry-run)',
  help: () => HELP,
  run: async (args, ctx) => {
    const [sub, ...rest] = args;
    if (sub === 'show') return show(rest, ctx);
    if (sub === 'register' || sub === 'update') return register(sub, rest, ctx);
    throw new UsageError(sub === undefined ? 'riglease provider needs show, register or update.' : `Unknown provider command ${JSON.stringify(sub)}.`, 'See `riglease provider --help`.');
  },
};
