import { RigError } from '../../api/errors.js';
import { TxReceipt } from '../../api/schemas/chain.js';
import { aktToUakt, formatUakt, readSecretFromStdin, readStdinLines, waitForTask } from '../chain-cli.js';
import { parseCommandArgs, type CliCommand, type CliContext } from '../command.js';
import { UsageError } from '../errors.js';
import { printResult, runMethod } from '../run-method.js';
import { CONVERT_HELP, runWalletConvert } from './wallet-convert.js';

const HELP = `Usage: riglease wallet create [--replace] [--json]
       riglease wallet import [--replace] [--json]      (phrase on stdin)
       riglease wallet address [--json]
       riglease wallet reveal [--json]                  (passphrase on stdin)
       riglease wallet balance [--json]
       riglease wallet send --to ADDRESS (--amount AKT | --uakt N) [--yes] [--json]
${CONVERT_HELP}

create   makes a new 24-word wallet and prints the phrase ONCE (stdout). Then it asks for three
         of the words by position, one per line on stdin; only when they match is it saved.
import   reads the recovery phrase from stdin (typed hidden on a terminal, or piped) — never
         from the command line.
reveal   shows the recovery phrase after the passphrase is typed again (hidden on a terminal,
         or piped on stdin). Wrong passphrases make the next try wait longer, and five in a
         row lock reveals for an hour, also across restarts.
address  the akash1… address and the HD path (m/44'/118'/0'/0/0); does not ask the chain.
balance  AKT and USDC balances and what is still missing to run a provider.
send     previews the send (amount, simulated fee, what is left), asks for confirmation on a
         terminal (--yes skips it, and is required without a terminal), then signs and sends.

The key is encrypted with your passphrase: RIGLEASE_PASSPHRASE, or asked on the terminal.
The chain endpoint list can be overridden with RIGLEASE_CHAIN_RPC (comma separated).`;

async function create(args: string[], ctx: CliContext): Promise<number> {
  const { values } = parseCommandArgs('wallet create', args, { json: { type: 'boolean', default: false }, replace: { type: 'boolean', default: false } });
  return ctx.withAgent(async (agent) => {
    const created = await runMethod(agent, 'wallet.create', { replace: values.replace });
    if (values.json) {
      printResult(ctx, created, { json: true });
    } else {
      const words = created.mnemonic.split(' ');
      ctx.out(
        `New wallet ${created.address}\n\nRecovery phrase — write it down now; it is shown only this once:\n\n${words
          .map((w, i) => `${String(i + 1).padStart(2)}. ${w}`)
          .join('\n')}\n\n`,
      );
    }
    const positions = created.confirmPositions;
    ctx.err(`To save the wallet, type words ${positions.map((p) => `#${p}`).join(', ')} of the phrase, one per line.\n`);
    const lines = await readStdinLines(positions.length, (i) => (process.stdin.isTTY ? `word #${positions[i]}: ` : ''));
    if (lines.length < positions.length) {
      throw new RigError('invalid_input', 'Not all three words were given, so the wallet was NOT saved.', 'Run `riglease wallet create` again and type the three words it asks for.');
    }
    const info = await runMethod(agent, 'wallet.confirmBackup', {
      pendingId: created.pendingId,
      words: positions.map((position, i) => ({ position, word: (lines[i] ?? '').trim() })),
      replace: values.replace,
    });
    ctx.err(`Saved: ${info.address} (key protected by ${info.protection}).\n`);
    return 0;
  });
}

async function importWallet(args: string[], ctx: CliContext): Promise<number> {
  const { values, positionals } = parseCommandArgs('wallet import', args, { json: { type: 'boolean', default: false }, replace: { type: 'boolean', default: false } }, { max: 1 });
  if (positionals.length > 0) throw new UsageError('The recovery phrase is read from stdin, never from the command line.', 'Pipe it in, or run `riglease wallet import` in a terminal and type it.');
  const mnemonic = await readSecretFromStdin('Recovery phrase (hidden): ');
  const info = await ctx.withAgent((agent) => runMethod(agent, 'wallet.import', { mnemonic, replace: values.replace }));
  printResult(ctx, info, { json: values.json, human: (i) => `Imported ${i.address} (key protected by ${i.protection}).` });
  return 0;
}

async function reveal(args: string[], ctx: CliContext): Promise<number> {
  const { values } = parseCommandArgs('wallet reveal', args, { json: { type: 'boolean', default: false } });
  const typed = (await readSecretFromStdin('Passphrase, to show the recovery phrase (hidden): ')).replace(/\r?\n$/, '');
  if (typed === '') throw new UsageError('No passphrase was given, so the recovery phrase stays hidden.', 'Type the passphrase at the prompt, or pipe it on stdin.');
  const shown = await ctx.withAgent((agent) => runMethod(agent, 'wallet.reveal', { passphrase: typed }), { passphrase: typed });
  printResult(ctx, shown, {
    json: values.json,
    human: (r) => `${r.address}\n\nRecovery phrase — keep it offline:\n\n${r.mnemonic.split(' ').map((w, i) => `${String(i + 1).padStart(2)}. ${w}`).join('\n')}`,
  });
  return 0;
}

async function address(args: string[], ctx: CliContext): Promise<number> {
  const { values } = parseCommandArgs('wallet address', args, { json: { type: 'boolean', default: false } });
  const info = await ctx.withAgent((agent) => runMethod(agent, 'wallet.info', {}));
  if (!info.exists) throw new RigError('precondition_failed', 'There is no wallet yet.', 'Create one with `riglease wallet create` or import one with `riglease wallet import`.');
  printResult(ctx, info, { json: values.json, human: (i) => `${i.address}\n(HD path ${i.hdPath}, ${i.source}, key protected by ${i.protection})` });
  return 0;
}

async function balance(args: string[], ctx: CliContext): Promise<number> {
  const { values } = parseCommandArgs('wallet balance', args, { json: { type: 'boolean', default: false } });
  const status = await ctx.withAgent((agent) => runMethod(agent, 'wallet.status', {}));
  if (!status.wallet.exists) throw new RigError('precondition_failed', 'There is no wallet yet.', 'Create one with `riglease wallet create` or import one with `riglease wallet import`.');
  if (!status.balance) {
    const e = status.balanceError;
    throw new RigError(e?.code === 'precondition_failed' ? 'precondition_failed' : 'unavailable', e?.message ?? 'The balance could not be read.', e?.fix);
  }
  printResult(ctx, status.balance, {
    json: values.json,
    human: (b) =>
      [
        `${b.address} on ${b.network} (${b.chainId})`,
        `ACT   ${b.act.replace(' ACT', '')}  (${b.usd.act}; leases pay in ACT)`,
        `AKT   ${b.akt.replace(' AKT', '')}  (${b.usd.akt ?? 'USD unknown'}${b.aktUsd ? ` at $${b.aktUsd}/AKT` : ''}; fees and deposits)`,
        `USDC  ${formatUakt(b.usdc).replace(' AKT', '')}`,
        ...b.warnings.map((w) => `WARNING: ${w}`),
        ...b.other.map((c) => `${c.denom} ${c.amount}`),
        b.shortfall.ok ? `OK: ${b.shortfall.message}` : `SHORTFALL: ${b.shortfall.message}`,
      ].join('\n'),
  });
  return 0;
}

async function send(args: string[], ctx: CliContext): Promise<number> {
  const { values } = parseCommandArgs('wallet send', args, {
    json: { type: 'boolean', default: false },
    to: { type: 'string' },
    amount: { type: 'string' },
    uakt: { type: 'string' },
    yes: { type: 'boolean', default: false },
  });
  if (!values.to) throw new UsageError('wallet send needs --to ADDRESS.', 'See `riglease wallet --help`.');
  if ((values.amount === undefined) === (values.uakt === undefined)) throw new UsageError('Give the amount once: --amount in AKT (e.g. 1.5) or --uakt in micro units.');
  if (values.uakt !== undefined && !/^\d+$/.test(values.uakt)) throw new UsageError('--uakt is a whole number of micro AKT (1 AKT = 1000000).');
  const amountUakt = values.amount !== undefined ? aktToUakt(values.amount) : values.uakt!;
  const to = values.to;
  return ctx.withAgent(async (agent) => {
    const preview = await runMethod(agent, 'wallet.previewSend', { to, amountUakt });
    ctx.err(`${preview.summary}\n`);
    if (!values.yes) {
      if (!process.stdin.isTTY) throw new UsageError('Sending needs a confirmation: nothing was sent.', 'Read the preview above, then run the same command with --yes.');
      const [answer] = await readStdinLines(1, () => 'Send it? Type yes: ');
      if ((answer ?? '').trim().toLowerCase() !== 'yes') {
        ctx.err('Not sent.\n');
        return 1;
      }
    }
    const ref = await runMethod(agent, 'wallet.send', { previewId: preview.previewId, confirm: true });
    const receipt = await waitForTask(agent, ref, ctx, TxReceipt, values.json);
    printResult(ctx, { preview, receipt }, {
      json: values.json,
      human: (r) => `Sent. Transaction ${r.receipt.hash} (block ${r.receipt.height}, fee ${formatUakt(r.receipt.feeUakt)})${r.receipt.explorerUrl ? `\n${r.receipt.explorerUrl}` : ''}`,
    });
    return 0;
  });
}

export const walletCommand: CliCommand = {
  name: 'wallet',
  summary: 'The AKT wallet: create, import, reveal, address, balance, send',
  help: () => HELP,
  run: async (args, ctx) => {
    const [sub, ...rest] = args;
    switch (sub) {
      case 'create':
        return create(rest, ctx);
      case 'import':
        return importWallet(rest, ctx);
      case 'address':
        return address(rest, ctx);
      case 'reveal':
        return reveal(rest, ctx);
      case 'balance':
        return balance(rest, ctx);
      case 'send':
        return send(rest, ctx);
      case 'convert':
        return runWalletConvert(rest, ctx);
      default:
        throw new UsageError(sub === undefined ? 'riglease wallet needs a subcommand.' : `Unknown wallet command ${JSON.stringify(sub)}.`, 'See `riglease wallet --help`.');
    }
  },
};
