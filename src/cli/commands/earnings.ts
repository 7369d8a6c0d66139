import type { Earnings } from '../../api/schemas/chain.js';
import { formatMicro } from '../../provider/chain/money.js';
import { parseCommandArgs, type CliCommand } from '../command.js';
import { UsageError } from '../errors.js';
import { printResult, runMethod } from '../run-method.js';

const usd = (v: number | null): string => (v === null ? '' : ` ($${v.toFixed(2)})`);

/** earnings.get as `riglease earnings` prints it. */
export function earningsText(x: Earnings): string {
  const unit = x.denom === 'uact' ? 'ACT' : 'AKT';
  const m = (v: { micro: number }): string => formatMicro(BigInt(v.micro), unit);
  const akt = (u: string | null | undefined): string => (u ? ` ≈ ${formatMicro(u, 'AKT')}` : '');
  return [
    `${x.activeLeases} active leases (${x.leasesScanned} read in ${x.pages} pages, ${x.tookMs} ms); paid in ${unit}`,
    `per day      ${m(x.perDay)}${usd(x.perDay.usd)}`,
    `per week     ${m(x.perWeek)}${usd(x.perWeek.usd)}`,
    `per month    ${m(x.perMonth)}${usd(x.perMonth.usd)}`,
    `earned       ${m(x.earned)}${usd(x.earned.usd)}${akt(x.aktEquivalent?.earnedUakt)}`,
    `withdrawn    ${m(x.withdrawn)}${usd(x.withdrawn.usd)}`,
    `pending      ${m(x.pendingWithdrawal)}${usd(x.pendingWithdrawal.usd)}${akt(x.aktEquivalent?.pendingWithdrawalUakt)} (what a withdrawal in the next block pays)`,
    ...x.otherDenoms.map((d) => `${d.denom}: ${d.perMonthMicro} per month, ${d.lifetimeMicro} lifetime (micro units)`),
    x.usdSource === 'peg'
      ? `USD: 1 ACT = $1 (the chain's peg)${x.aktUsd ? `; AKT at $${x.aktUsd} (chain oracle)` : '; no oracle AKT price'}`
      : x.usdPerUnit === null
        ? 'USD unknown: no AKT price yet (run "riglease market", set pricing.aktUsdOverride, or pass --usd-per-akt).'
        : `USD at $${x.usdPerUnit}/AKT (${x.usdSource === 'market' ? `market price of ${x.usdAt ?? 'unknown time'}` : x.usdSource === 'manual' ? 'your manual AKT price' : 'as given'})`,
  ].join('\n');
}

export const earningsCommand: CliCommand = {
  name: 'earnings',
  summary: 'Earnings per day, week and month, earned, withdrawn and pending, in ACT (≈ USD) with the AKT equivalent',
  help: () => `Usage: riglease earnings [--usd-per-akt PRICE] [--json | --csv]

Reads every lease of this provider (paginated). Day/week/month are what the leases accrued in
that window; earned is over their whole lives; withdrawn is what was paid out; pending is what a
withdrawal in the next block pays (the escrow keeper's settlement). Leases pay ACT (1 ACT = $1); the
AKT equivalent uses the chain oracle's price. Older leases priced in AKT use the market's AKT price
for USD, or --usd-per-akt.
--csv prints, in micro-units: income per lease, each withdrawal and conversion (queued and settled,
with the spread) and each network fee of the transactions this RigLease sent, with the oracle's AKT
price at the time.`,
  run: async (args, ctx) => {
    const { values } = parseCommandArgs('earnings', args, { json: { type: 'boolean', default: false }, csv: { type: 'boolean', default: false }, 'usd-per-akt': { type: 'string' } });
    if (values.csv) {
      const { csv } = await ctx.withAgent((agent) => runMethod(agent, 'earnings.csv', {}));
      ctx.out(csv);
      return 0;
    }
    const raw = values['usd-per-akt'];
    if (raw !== undefined && !(Number(raw) > 0)) throw new UsageError('--usd-per-akt is a positive number, e.g. 1.85.');
    const e = await ctx.withAgent((agent) => runMethod(agent, 'earnings.get', raw === undefined ? {} : { usdPerAkt: Number(raw) }));
    printResult(ctx, e, {
      json: values.json,
      human: earningsText,
    });
    return 0;
  },
};
