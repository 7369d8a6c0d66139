import { RigError } from '../../api/errors.js';
import { parseCommandArgs, type CliCommand, type CliContext } from '../command.js';
import { UsageError } from '../errors.js';
import type { InProcessApi } from '../in-process-api.js';
import { printResult, runMethod } from '../run-method.js';

/** `a.b = value` lines, one per leaf setting. */
export function flattenSettings(value: unknown, prefix = ''): string[] {
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    return Object.entries(value).flatMap(([k, v]) => flattenSettings(v, prefix ? `${prefix}.${k}` : k));
  }
  return [`${prefix} = ${JSON.stringify(value)}`];
}

/** VALUE is JSON when it parses as JSON (`500`, `true`, `null`, `"x"`), else the plain string. */
export function parseSettingValue(raw: string): unknown {
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    return raw;
  }
}

const LIST_FIX = 'Run `riglease settings get` to see every setting and its current value.';

/** A wrong key or value is the caller's mistake: exit code 2, as for other usage errors. */
async function asUsage<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    if (err instanceof RigError && (err.code === 'not_found' || err.code === 'invalid_input')) throw new UsageError(err.message, err.fix ?? LIST_FIX);
    throw err;
  }
}

/** Runs a settings method and says on stderr what was wrong with the file, if anything (which field, and why). */
function withSettings<T>(ctx: CliContext, work: (api: InProcessApi) => Promise<T>): Promise<T> {
  return ctx.withAgent(async (api) => {
    try {
      return await work(api);
    } finally {
      // Only a warning: the answer (or the refusal) above is what the person asked for.
      const { problems } = await runMethod(api, 'settings.problems', {}).catch(() => ({ problems: [] }));
      for (const problem of problems) ctx.err(`warning: settings.json: ${problem}\n`);
    }
  });
}

async function get(args: string[], ctx: CliContext): Promise<number> {
  const { values, positionals } = parseCommandArgs('settings get', args, { json: { type: 'boolean', default: false } }, { max: 1 });
  const key = positionals[0];
  if (key === undefined) {
    const all = await withSettings(ctx, (api) => runMethod(api, 'settings.all', {}));
    printResult(ctx, all, { json: values.json, human: (s) => flattenSettings(s).join('\n') });
    return 0;
  }
  const one = await asUsage(() => withSettings(ctx, (api) => runMethod(api, 'settings.get', { key })));
  printResult(ctx, one, { json: values.json, human: (r) => (typeof r.value === 'string' ? r.value : JSON.stringify(r.value)) });
  return 0;
}

async function set(args: string[], ctx: CliContext): Promise<number> {
  const { values, positionals } = parseCommandArgs('settings set', args, { json: { type: 'boolean', default: false }, yes: { type: 'boolean', default: false } }, { min: 2, max: 2 });
  const [key, raw] = positionals as [string, string];
  const result = await asUsage(() => withSettings(ctx, (api) => runMethod(api, 'settings.set', { key, value: parseSettingValue(raw), ...(values.yes ? { confirm: true } : {}) })));
  printResult(ctx, result, { json: values.json, human: (r) => `${r.key} = ${JSON.stringify(r.value)}` });
  return 0;
}

export const settingsCommand: CliCommand = {
  name: 'settings',
  summary: 'Read or change settings by their dotted path (validated like the UI does)',
  help: () => `Usage: riglease settings get [KEY] [--json]
       riglease settings set KEY VALUE [--yes] [--json]

get     prints every setting (no KEY) or one, e.g. \`riglease settings get hardware.telemetryIntervalMs\`
set     changes one setting. VALUE is read as JSON when it is JSON (500, true, null, "text"),
        else as plain text: \`riglease settings set general.network sandbox\`.
        A wrong key or value is refused with the reason and nothing is written (exit code 2).
        For a value starting with "-", put -- before KEY: \`riglease settings set -- KEY -1\`.

Settings live in settings.json in the data folder (RIGLEASE_HOME).`,
  run: async (args, ctx) => {
    const [sub, ...rest] = args;
    if (sub === 'get') return get(rest, ctx);
    if (sub === 'set') return set(rest, ctx);
    throw new UsageError(sub === undefined ? 'riglease settings needs get or set.' : `Unknown settings command ${JSON.stringify(sub)}.`, 'See `riglease settings --help`.');
  },
};
