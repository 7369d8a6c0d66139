import { readFile } from 'node:fs/promises';
import { RigError } from '../../api/errors.js';
import { GpuPriceKey } from '../../api/schemas/settings/pricing.js';
import { parseCommandArgs, type CliCommand, type CliContext } from '../command.js';
import { UsageError } from '../errors.js';
import { formatIssues, formatPricingView, formatQuote } from '../format/pricing.js';
import { callAndPrint, printResult, runMethod } from '../run-method.js';
import { parseSettingValue } from './settings.js';
import { isForbiddenKey, splitDottedPath } from '../../util/dotted-path.js';

/** `a.b.c` + value → `{a: {b: {c: value}}}`; prototype keys (`__proto__.x`) are refused, not walked. */
function nest(key: string, value: unknown): Record<string, unknown> {
  let parts: string[];
  try {
    parts = splitDottedPath(key);
  } catch (err) {
    throw new UsageError(err instanceof Error ? err.message.replace('setting path', 'pricing setting path') : String(err), 'Run `riglease pricing show --json` to see the pricing settings.');
  }
  return parts.reduceRight<Record<string, unknown>>((inner, part, i, all) => (i === all.length - 1 ? { [part]: value } : { [part]: inner }), {});
}

function mergeInto(target: Record<string, unknown>, add: Record<string, unknown>): void {
  for (const [k, v] of Object.entries(add)) {
    if (isForbiddenKey(k)) continue;
    const cur = Object.hasOwn(target, k) ? target[k] : undefined;
    if (cur && typeof cur === 'object' && !Array.isArray(cur) && v && typeof v === 'object' && !Array.isArray(v)) mergeInto(cur as Record<string, unknown>, v as Record<string, unknown>);
    else target[k] = v;
  }
}

/** The patch a `pricing set` command line asks for; refuses what is not KEY VALUE pairs or MODEL=USD. */
export function pricingPatch(positionals: string[], gpuArgs: string[], currentGpus: Array<{ key: string; usdPerHour: number; ceilingUsdPerHour: number | null }>): Record<string, unknown> {
  if (positionals.length % 2 !== 0) throw new UsageError('riglease pricing set takes KEY VALUE pairs.', 'Example: riglease pricing set power.pricePerKwh 0.32 strategy follow-market');
  const patch: Record<string, unknown> = {};
  for (let i = 0; i < positionals.length; i += 2) mergeInto(patch, nest(positionals[i]!, parseSettingValue(positionals[i + 1]!)));
  if (gpuArgs.length > 0) {
    const rules = [...currentGpus];
    for (const arg of gpuArgs) {
      const m = /^([^=]+)=(.+)$/.exec(arg);
      const key = m?.[1]?.trim() ?? '';
      const price = Number(m?.[2]);
      if (!m || !GpuPriceKey.safeParse(key).success || !Number.isFinite(price)) {
        throw new UsageError(`--gpu ${arg}: expected MODEL=USD_PER_HOUR, e.g. rtx4090=0.45 or rtx4090.24Gi.pcie=0.45.`);
      }
      const at = rules.findIndex((r) => r.key === key);
      const rule = { key, usdPerHour: price, ceilingUsdPerHour: at >= 0 ? rules[at]!.ceilingUsdPerHour : null };
      if (at >= 0) rules[at] = rule;
      else rules.push(rule);
    }
    patch['gpus'] = rules;
  }
  if (Object.keys(patch).length === 0) throw new UsageError('riglease pricing set: nothing to change.', 'See `riglease pricing --help`.');
  return patch;
}

async function readOrder(file: string): Promise<unknown> {
  let text: string;
  try {
    text = file === '-' ? await readStdin() : await readFile(file, 'utf8');
  } catch (err) {
    throw new UsageError(`Cannot read the order file ${file}: ${(err as Error).message}.`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new UsageError(`${file} is not JSON.`, 'The order is the JSON the bid engine gives the price script (see `riglease pricing --help`).');
  }
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

async function set(args: string[], ctx: CliContext): Promise<number> {
  const { values, positionals } = parseCommandArgs('pricing set', args, { json: { type: 'boolean', default: false }, gpu: { type: 'string', multiple: true } }, { max: 100 });
  const result = await ctx.withAgent(async (agent) => {
    const current = await runMethod(agent, 'pricing.get', {});
    const patch = pricingPatch(positionals, values.gpu ?? [], current.settings.gpus);
    try {
      return await runMethod(agent, 'pricing.set', { patch });
    } catch (err) {
      if (err instanceof RigError && err.code === 'invalid_input') throw new UsageError(err.message, err.fix);
      throw err;
    }
  });
  printResult(ctx, result, {
    json: values.json,
    human: (r) => [...formatIssues(r.issues), `Applied. ${r.view.bidScript.provider.message}`].join('\n'),
  });
  return 0;
}

export const pricingCommand: CliCommand = {
  name: 'pricing',
  summary: 'Show or change bid prices, and quote the exact bid for an order',
  help: () => `Usage: riglease pricing show [--json]
       riglease pricing set [KEY VALUE]... [--gpu MODEL=USD]... [--json]
       riglease pricing quote --order FILE [--json]

show    every price (USD per unit-hour) with the market median, the power floor and whether
        the price is likely to win orders (at or below the median of the providers' cheapest
        recent bids for that model), or "can't tell" without recent market data
set     change prices; KEY is a path in the pricing settings, VALUE JSON or text:
          riglease pricing set power.pricePerKwh 0.32 resources.cpuThreadHour 0.003
          riglease pricing set strategy follow-market followMarket.percentOfMedian 95
          riglease pricing set --gpu rtx4090=0.45
          riglease pricing set marketPosition below-median
        A model without a price of its own asks the market: marketPosition median (the
        default), below-median or above-median; never below the power floor.
        A price 100x the market (a typo) or an invalid value is refused and nothing changes
        (exit 2). Applied prices reach the running provider at once (its bid script reads the
        table on every order); no restart, running leases untouched.
quote   the exact per-block price RigLease would bid for FILE (or - for stdin): the JSON the
        provider's bid engine gives the price script, e.g.
          {"resources":[{"cpu":4000,"memory":17179869184,"count":1,"gpu":{"units":1,
           "attributes":{"vendor":{"nvidia":{"model":"rtx4090"}}}},"storage":[]}],
           "price":{"denom":"uact","amount":"1000"}}
        with the arithmetic. The generated bid script prints the same number for the same order.`,
  run: async (args, ctx) => {
    const [sub, ...rest] = args;
    if (sub === 'show') {
      const { values } = parseCommandArgs('pricing show', rest, { json: { type: 'boolean', default: false } });
      return callAndPrint(ctx, 'pricing.get', {}, { json: values.json, human: formatPricingView });
    }
    if (sub === 'set') return set(rest, ctx);
    if (sub === 'quote') {
      const { values } = parseCommandArgs('pricing quote', rest, { json: { type: 'boolean', default: false }, order: { type: 'string' } });
      if (!values.order) throw new UsageError('riglease pricing quote needs --order FILE.', 'See `riglease pricing --help` for the order format.');
      const order = await readOrder(values.order);
      return callAndPrint(ctx, 'pricing.quote', { order }, { json: values.json, human: formatQuote });
    }
    throw new UsageError(sub === undefined ? 'riglease pricing needs show, set or quote.' : `Unknown pricing command ${JSON.stringify(sub)}.`, 'See `riglease pricing --help`.');
  },
};
