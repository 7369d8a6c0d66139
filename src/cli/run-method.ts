import type { In, Method, Out } from '../api/contract.js';
import { dispatch } from '../api/dispatch.js';
import { RigError } from '../api/errors.js';
import type { Handlers } from '../api/dispatch.js';
import type { CliContext } from './command.js';

/**
 * Runs one contract method through the same dispatch loop the other hosts use (so the CLI
 * validates exactly like the UI) and returns its value, or throws the RigError it answered with.
 */
export async function runMethod<M extends Method>(agent: { handlers: Handlers }, method: M, input: In<M>): Promise<Out<M>> {
  return (await runAnyMethod(agent, method, input)) as Out<M>;
}

/** The untyped twin for `riglease call`: the method name and input come from the command line. */
export async function runAnyMethod(agent: { handlers: Handlers }, method: string, input: unknown): Promise<unknown> {
  const envelope = await dispatch(agent.handlers, method, input, { via: 'cli' });
  if (!envelope.ok) throw RigError.fromShape(envelope.error);
  return envelope.value;
}

/** Prints a result: the exact JSON with `--json`, else the human form (or indented JSON when there is none). */
export function printResult<T>(ctx: CliContext, value: T, opts: { json: boolean; human?: (value: T) => string }): void {
  if (opts.json || !opts.human) {
    ctx.out(`${JSON.stringify(value, null, 2)}\n`);
    return;
  }
  const text = opts.human(value);
  ctx.out(text.endsWith('\n') ? text : `${text}\n`);
}

/**
 * The whole body of a typical command: run `method` with `input` in an in-process agent and
 * print it. Other commands (stack, wallet, pricing…) are usually one call of this.
 */
export async function callAndPrint<M extends Method>(
  ctx: CliContext,
  method: M,
  input: In<M>,
  opts: { json: boolean; human?: (value: Out<M>) => string },
): Promise<number> {
  const value = await ctx.withAgent((agent) => runMethod(agent, method, input));
  printResult(ctx, value, opts);
  return 0;
}
