import type { LeaseRef, ReclaimPreview } from '../../api/schemas/reclaim.js';
import { formatUakt } from '../chain-cli.js';
import { parseCommandArgs, type CliContext } from '../command.js';
import { UsageError } from '../errors.js';
import { printResult, runMethod } from '../run-method.js';

export const RECLAIM_HELP = `Usage: riglease leases reclaim OWNER/DSEQ/GSEQ/OSEQ [--reason N] [--yes] [--json]
       riglease leases close OWNER/DSEQ/GSEQ/OSEQ [--yes] [--json]

reclaim: give the tenant notice that you want the GPU back (AEP-82, MsgLeaseStartReclaim).
  Only for a lease that was bid with a notice window (stack.reclamationWindowHours): the lease
  keeps running and paying until the deadline (the moment notice is included + the window);
  the tenant may end it earlier, you may not. Without --yes it only shows what would happen
  and sends nothing (exit code 1). --reason is a provider reason 10000..19999 (default 10002,
  unspecified; 10000 unstable, 10001 decommission, 10003 manifest timeout).
close: end a lease whose notice has run out (MsgCloseBid); refused before the deadline.`;

/** OWNER/DSEQ/GSEQ/OSEQ as `riglease leases` prints it. */
export function parseLeaseRef(text: string | undefined): LeaseRef {
  const m = /^(akash1[0-9a-z]+)\/(\d+)\/(\d+)\/(\d+)$/.exec(text ?? '');
  if (!m) throw new UsageError(`A lease is named OWNER/DSEQ/GSEQ/OSEQ, e.g. akash1…/123456/1/1${text ? `, not ${JSON.stringify(text)}` : ''}.`, 'Copy it from `riglease leases`.');
  return { owner: m[1]!, dseq: m[2]!, gseq: Number(m[3]), oseq: Number(m[4]) };
}

function previewText(p: ReclaimPreview): string {
  if (!p.reclaimable) return `Cannot give notice: ${p.whyNot}`;
  return [`Giving notice on ${p.lease.owner}/${p.lease.dseq}/${p.lease.gseq}/${p.lease.oseq} would:`, ...p.whatHappens.map((s) => `  - ${s}`), `Deadline: about ${new Date((p.estimatedDeadline ?? 0) * 1000).toISOString()}.`, `Fee: ${formatUakt(p.feeUakt ?? '0')}.`].join('\n');
}

export async function runLeasesReclaim(args: string[], ctx: CliContext): Promise<number> {
  const { values, positionals } = parseCommandArgs('leases reclaim', args, { json: { type: 'boolean', default: false }, yes: { type: 'boolean', default: false }, reason: { type: 'string' } }, { min: 1, max: 1 });
  const ref = parseLeaseRef(positionals[0]);
  if (values.reason !== undefined && !/^\d{5}$/.test(values.reason)) throw new UsageError('--reason is a number from 10000 to 19999.', 'Leave it out for 10002 (unspecified).');
  const reason = values.reason === undefined ? 10_002 : Number(values.reason);
  return ctx.withAgent(async (agent) => {
    if (!values.yes) {
      const preview = await runMethod(agent, 'leases.reclaimPreview', { ...ref, reason });
      printResult(ctx, preview, { json: values.json, human: previewText });
      ctx.err(preview.reclaimable ? 'error: nothing was sent: giving notice needs --yes.\nfix: read what happens above, then run the same command with --yes.\n' : `error: ${preview.whyNot}\n`);
      return 1;
    }
    const started = await runMethod(agent, 'leases.reclaim', { ...ref, reason, confirm: true });
    printResult(ctx, started, {
      json: values.json,
      human: (s) => `Notice given in block ${s.startedAtHeight} (tx ${s.tx.hash}, fee ${formatUakt(s.tx.feeUakt)}).\nThe lease keeps running until ${s.deadlineIso}; then end it with: riglease leases close ${ref.owner}/${ref.dseq}/${ref.gseq}/${ref.oseq} --yes`,
    });
    return 0;
  });
}

export async function runLeasesClose(args: string[], ctx: CliContext): Promise<number> {
  const { values, positionals } = parseCommandArgs('leases close', args, { json: { type: 'boolean', default: false }, yes: { type: 'boolean', default: false } }, { min: 1, max: 1 });
  const ref = parseLeaseRef(positionals[0]);
  if (!values.yes) throw new UsageError('Ending a lease needs --yes: the tenant’s deployment stops and the GPU is yours again.', 'Run the same command with --yes (only after the notice deadline).');
  return ctx.withAgent(async (agent) => {
    const closed = await runMethod(agent, 'leases.closeReclaimed', { ...ref, confirm: true });
    printResult(ctx, closed, { json: values.json, human: (c) => `Lease ended in block ${c.closedAtHeight} (tx ${c.tx.hash}, fee ${formatUakt(c.tx.feeUakt)}). The GPU is yours again.` });
    return 0;
  });
}
