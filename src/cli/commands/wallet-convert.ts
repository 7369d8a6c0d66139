import type { BmeStatus, ConvertPreview, ConvertResult } from '../../api/schemas/bme.js';
import { formatMicro } from '../../provider/chain/money.js';
import { parseCommandArgs, type CliContext } from '../command.js';
import { UsageError } from '../errors.js';
import { printResult, runMethod } from '../run-method.js';

export const CONVERT_HELP = `       riglease wallet convert [--amount ACT] [--yes] [--json]

convert  ACT → AKT through the chain (MsgBurnACT). Leases pay you in ACT; the network fee and
         a bid deposit in AKT need AKT. Without --amount: the chain's conversion state and your
         queued and settled conversions. With --amount: what it would pay (oracle price, minus
         the settle spread) and when it settles (the next conversion epoch); --yes sends it.`;

function statusText(s: BmeStatus): string {
  const lines = [
    `Conversions: ${s.conversionsAllowed ? 'open' : 'HELD'} — ${s.note}`,
    `AKT price (oracle): ${s.aktUsd ? `$${s.aktUsd}` : 'unknown'}; settle spread ${(s.settleSpreadBps / 100).toFixed(2)}%; settles within ${s.epochBlocks} blocks.`,
  ];
  if (s.conversions.length === 0) lines.push('No conversions from this wallet yet.');
  for (const c of s.conversions) {
    lines.push(
      c.status === 'executed'
        ? `  block ${c.height}: ${formatMicro(c.uact, 'ACT')} → ${formatMicro(c.paidUakt ?? '0', 'AKT')} (spread ${formatMicro(c.spreadUakt ?? '0', 'AKT')}, $${c.aktUsd ?? '?'} per AKT)`
        : `  block ${c.height}: ${formatMicro(c.uact, 'ACT')} ${c.status}`,
    );
  }
  return lines.join('\n');
}

function previewText(p: ConvertPreview): string {
  if (!p.allowed) return `Cannot convert now: ${p.whyNot}`;
  return [
    `Converting ${formatMicro(p.uact, 'ACT')} to AKT would:`,
    ...p.whatHappens.map((s) => `  - ${s}`),
    `Expected: ${p.expectedPaidUakt ? formatMicro(p.expectedPaidUakt, 'AKT') : 'unknown (no oracle price)'}; settles by block ${p.settlesByHeight}.`,
  ].join('\n');
}

function resultText(r: ConvertResult): string {
  return `Queued in block ${r.tx.height} (tx ${r.tx.hash}, fee ${formatMicro(r.tx.feeUakt, 'AKT')}): ${formatMicro(r.conversion.uact, 'ACT')} → AKT by block ${r.settlesByHeight}.\nSee it settle with: riglease wallet convert`;
}

export async function runWalletConvert(args: string[], ctx: CliContext): Promise<number> {
  const { values } = parseCommandArgs('wallet convert', args, { json: { type: 'boolean', default: false }, yes: { type: 'boolean', default: false }, amount: { type: 'string' } }, { min: 0, max: 0 });
  return ctx.withAgent(async (agent) => {
    if (values.amount === undefined) {
      if (values.yes) throw new UsageError('--yes needs --amount: say how much ACT to convert.', 'e.g. riglease wallet convert --amount 12.5 --yes');
      printResult(ctx, await runMethod(agent, 'wallet.conversions', {}), { json: values.json, human: statusText });
      return 0;
    }
    if (!/^\d+(\.\d{1,6})?$/.test(values.amount)) throw new UsageError(`--amount is ACT with up to 6 decimals, not ${JSON.stringify(values.amount)}.`, 'e.g. --amount 12.5');
    if (!values.yes) {
      const preview = await runMethod(agent, 'wallet.convertPreview', { amount: values.amount });
      printResult(ctx, preview, { json: values.json, human: previewText });
      ctx.err(preview.allowed ? 'error: nothing was sent: converting needs --yes.\nfix: read what happens above, then run the same command with --yes.\n' : `error: ${preview.whyNot}\n`);
      return 1;
    }
    printResult(ctx, await runMethod(agent, 'wallet.convert', { amount: values.amount, confirm: true }), { json: values.json, human: resultText });
    return 0;
  });
}
