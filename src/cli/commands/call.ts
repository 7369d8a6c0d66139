import { contract, METHOD_NAMES, isMethod } from '../../api/contract.js';
import { parseCommandArgs, type CliCommand } from '../command.js';
import { UsageError } from '../errors.js';
import { printResult, runAnyMethod } from '../run-method.js';

/** The method list for `--help`, generated from the contract so it can never be out of date. */
export function methodList(): string {
  const width = Math.max(...METHOD_NAMES.map((m) => m.length));
  return [...METHOD_NAMES]
    .sort()
    .map((m) => `  ${m.padEnd(width)}  ${contract[m].summary}`)
    .join('\n');
}

export const callCommand: CliCommand = {
  name: 'call',
  summary: 'Run any API method with a JSON input and print its JSON answer',
  help: () => `Usage: riglease call METHOD [JSON]

Runs one API method in-process, exactly as the UI would, and prints the answer as JSON.
JSON is the method's input (default {}), e.g.  riglease call hardware.scan '{"maxAgeMs": 60000}'

Methods:
${methodList()}`,
  run: async (args, ctx) => {
    const { positionals } = parseCommandArgs('call', args, {}, { min: 1, max: 2 });
    const [method, raw] = positionals as [string, string | undefined];
    if (!isMethod(method)) throw new UsageError(`There is no API method called ${JSON.stringify(method)}.`, 'See `riglease call --help` for the list.');
    let input: unknown = {};
    // Command lines end up in shell history and `ps`: a secret (phrase, passphrase) never goes there.
    if (raw !== undefined && contract[method].sensitive) {
      throw new UsageError(`${method} takes a secret, which must not be typed on the command line.`, 'Use `riglease wallet create` / `riglease wallet import` (they read from stdin), or the Wallet screen.');
    }
    if (raw !== undefined) {
      try {
        input = JSON.parse(raw) as unknown;
      } catch {
        throw new UsageError(`The input for ${method} is not valid JSON.`, `Quote it for your shell, e.g. riglease call ${method} '{}'`);
      }
    }
    const value = await ctx.withAgent((agent) => runAnyMethod(agent, method, input));
    printResult(ctx, value, { json: true });
    return 0;
  },
};
