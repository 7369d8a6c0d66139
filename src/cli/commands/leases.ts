import { formatTokens, unitOf } from '../../api/money-format.js';
import type { LeaseRow } from '../../api/schemas/chain.js';
import { parseCommandArgs, type CliCommand } from '../command.js';
import { UsageError } from '../errors.js';
import { printResult, runMethod } from '../run-method.js';
import { RECLAIM_HELP, runLeasesClose, runLeasesReclaim } from './leases-reclaim.js';

const STATES = ['active', 'insufficient_funds', 'closed', 'reclaiming'] as const;
type State = (typeof STATES)[number];

/** One lease as `riglease leases` prints it. */
export function leaseLine(l: LeaseRow): string {
  const unit = unitOf(l.denom);
  // The one ledger's figures, in the one formatter (the same text the Dashboard and Leases screens show).
  const esc = l.ledger
    ? `earned ${formatTokens(l.ledger.earnedMicro, unit)} / withdrawn ${formatTokens(l.ledger.withdrawnMicro, unit)} / pending ${formatTokens(l.ledger.pendingMicro, unit)}`
    : l.escrow
      ? `withdrawn ${formatTokens(l.escrow.withdrawn, unit)}`
      : 'no escrow';
  const r = l.reclamation;
  const notice = r?.deadline ? `  notice ends ${new Date(r.deadline * 1000).toISOString()}` : r ? `  notice window ${r.windowSeconds / 3600} h` : '';
  return `${l.state.padEnd(10)} ${l.owner}/${l.dseq}/${l.gseq}/${l.oseq}  ${l.pricePerBlock} ${l.denom}/block  since block ${l.createdAt}  ${esc}${notice}${l.resources ? `  ${l.resources.summary}` : ''}`;
}

export const leasesCommand: CliCommand = {
  name: 'leases',
  summary: 'This provider’s leases with escrow, page by page',
  help: () => `Usage: riglease leases [--state active|insufficient_funds|closed|reclaiming] [--limit N] [--key NEXT_KEY] [--json]

Prints one page (default 50) of the leases the chain lists for this wallet's provider, newest
state first as the chain orders them; --key takes the nextKey of the previous page.

${RECLAIM_HELP}`,
  run: async (args, ctx) => {
    if (args[0] === 'reclaim') return runLeasesReclaim(args.slice(1), ctx);
    if (args[0] === 'close') return runLeasesClose(args.slice(1), ctx);
    const { values } = parseCommandArgs('leases', args, {
      json: { type: 'boolean', default: false },
      state: { type: 'string' },
      limit: { type: 'string' },
      key: { type: 'string' },
    });
    const state = values.state;
    if (state !== undefined && !(STATES as readonly string[]).includes(state)) throw new UsageError(`--state must be one of ${STATES.join(', ')}.`);
    if (values.limit !== undefined && !/^\d{1,4}$/.test(values.limit)) throw new UsageError('--limit is a number from 1 to 1000.');
    const page = await ctx.withAgent((agent) =>
      runMethod(agent, 'leases.list', {
        ...(state ? { state: state as State } : {}),
        ...(values.limit ? { limit: Number(values.limit) } : {}),
        key: values.key ?? null,
      }),
    );
    printResult(ctx, page, {
      json: values.json,
      human: (p) =>
        [
          p.leases.length === 0 ? 'No leases.' : p.leases.map(leaseLine).join('\n'),
          ...(p.total !== null ? [`${p.total} in all`] : []),
          ...(p.nextKey ? [`more: riglease leases --key ${p.nextKey}${state ? ` --state ${state}` : ''}`] : []),
        ].join('\n'),
    });
    return 0;
  },
};
