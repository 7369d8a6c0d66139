import { contract, isMethod, type Method, type Out, type Parsed } from './contract.js';
import type { Envelope } from './envelope.js';
import { RigError, formatZodError, toErrorShape } from './errors.js';

export interface CallContext {
  /** Which host the call came through; handlers rarely care, logs do. */
  via: 'ipc' | 'http' | 'cli' | 'internal';
  signal?: AbortSignal;
}

export type Handler<M extends Method> = (input: Parsed<M>, ctx: CallContext) => Promise<Out<M>>;
/** One handler per method; leaving one out is a compile error in the agent. */
export type Handlers = { [M in Method]: Handler<M> };

export interface DispatchHooks {
  onError?: (method: string, err: unknown) => void;
}

/**
 * The single binding loop every host shares: known method → input parses → handler runs →
 * output is checked (which also strips any field the contract does not name, so nothing
 * private leaks by accident) → envelope.
 */
export async function dispatch(
  handlers: Handlers,
  method: unknown,
  input: unknown,
  ctx: CallContext,
  hooks: DispatchHooks = {},
): Promise<Envelope> {
  if (!isMethod(method)) {
    return { ok: false, error: { code: 'unknown_method', message: `There is no API method called ${JSON.stringify(method)}.` } };
  }
  const spec = contract[method];
  const parsed = spec.input.safeParse(input ?? {});
  if (!parsed.success) {
    return { ok: false, error: { code: 'invalid_input', message: `${method}: ${formatZodError(parsed.error)}` } };
  }
  try {
    const handler = handlers[method] as (input: unknown, ctx: CallContext) => Promise<unknown>;
    const value = await handler(parsed.data, ctx);
    const checked = spec.output.safeParse(value);
    if (!checked.success) {
      throw new RigError('internal', `${method} produced an answer that does not match the contract: ${formatZodError(checked.error)}`);
    }
    return { ok: true, value: checked.data };
  } catch (err) {
    hooks.onError?.(method, err);
    return { ok: false, error: toErrorShape(err) };
  }
}
