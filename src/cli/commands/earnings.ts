import { formatUakt } from '../chain-cli.js';
import { parseCommandArgs, type CliCommand } from '../command.js';
import { UsageError } from '../errors.js';
import { printResult, runMethod } from '../run-method.js';

const usd = (v: number | null): string => (v === null ? '' : ` ($${v.toFixed(2)})`);

export const earningsCommand: CliCommand = {
  name: 'earnings',
  summary: 'Earnings per day, week and month at current rates, lifetime and withdrawable, in AKT and USD',
  help: () => `Usage: riglease earnings [--usd-per-akt PRICE] [--json]

Reads every lease of this provider (paginated) and adds up the escrow payments. Day/week/month
are at the rates of the active leases; lifetime is withdrawn + not yet withdrawn. USD uses the
market's AKT price when known, or --usd-per-akt.`,
  run: async (args, ctx) => {
    const { values } = parseCommandArgs('earnings', args, { json: { type: 'boolean', default: false }, 'usd-per-akt': { type: 'string' } });
    const raw = values['usd-per-akt'];
    if (raw !== undefined && !(Number(raw) > 0)) throw new UsageError('--usd-per-akt is a positive number, e.g. 1.85.');
    const e = await ctx.withAgent((agent) => runMethod(agent, 'earnings.get', raw === undefined ? {} : { usdPerAkt: Number(raw) }));
    printResult(ctx, e, {
      json: values.json,
      human: (x) =>
        [
          `${x.activeLeases} active leases (${x.leasesScanned} read in ${x.pages} pages, ${x.tookMs} ms)`,
          `per day     ${formatUakt(x.perDay.micro)}${usd(x.perDay.usd)}`,
          `per week    ${formatUakt(x.perWeek.micro)}${usd(x.perWeek.usd)}`,
          `per month   ${formatUakt(x.perMonth.micro)}${usd(x.perMonth.usd)}`,
          `lifetime    ${formatUakt(x.lifetime.micro)}${usd(x.lifetime.usd)}`,
          `withdrawable ${formatUakt(x.withdrawable.micro)}${usd(x.withdrawable.usd)}`,
          ...x.otherDenoms.map((d) => `${d.denom}: ${d.perMonthMicro} per month, ${d.lifetimeMicro} lifetime (micro units)`),
          x.usdPerUnit === null
            ? 'USD unknown: no AKT price yet (run "riglease market", set pricing.aktUsdOverride, or pass --usd-per-akt).'
            : `USD at $${x.usdPerUnit}/AKT (${x.usdSource === 'market' ? `market price of ${x.usdAt ?? 'unknown time'}` : x.usdSource === 'manual' ? 'your manual AKT price' : 'as given'})`,
        ].join('\n'),
    });
    return 0;
  },
};
