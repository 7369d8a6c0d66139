import type { z } from 'zod';
import type { In, Method, Out } from './contract.js';
import { Envelope } from './envelope.js';
import { RigError, formatZodError } from './errors.js';
import type { EventName, EventPayload } from './events.js';

/**
 * How a client reaches a host: Electron IPC (window.riglease), HTTP + WebSocket, or an
 * in-process agent. The client does not care which.
 */
export interface Transport {
  invoke(method: string, input: unknown): Promise<unknown>;
  /**
   * The answer to this call if the transport already holds it (the page's start asked it before
   * the screens were loaded), taken at once; undefined when it would have to wait.
   */
  invokeArrived?(method: string, input: unknown): unknown;
  subscribe(event: string, listener: (payload: unknown) => void): () => void;
}

/**
 * Where the client finds what it checks answers against: a method's output schema and an event's
 * payload schema, at once (`contractSchemas`) or once loaded (the renderer builds each method's
 * schemas on its first call, not the whole contract at start).
 */
export interface ClientSchemas {
  output(method: Method): z.ZodType | Promise<z.ZodType>;
  event(event: EventName): z.ZodType | Promise<z.ZodType>;
}

/** An answer already in hand: the checked value, or the error the call would have thrown. */
export type ArrivedAnswer<M extends Method> = { ok: true; value: Out<M> } | { ok: false; error: RigError };

export interface Client {
  call<M extends Method>(method: M, input: In<M>): Promise<Out<M>>;
  /**
   * The call's answer if it is already here and can be checked without waiting (the screen then
   * draws with it at once), else undefined and nothing is used up: `call` asks as usual.
   */
  arrived<M extends Method>(method: M, input: In<M>): ArrivedAnswer<M> | undefined;
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void;
}

/** One generic client over any transport: it unwraps the envelope and checks what came back. */
export function createClient(transport: Transport, schemas: ClientSchemas): Client {
  /** Unwraps the envelope and checks the value against the method's output schema. */
  const unwrap = <M extends Method>(method: M, raw: unknown, output: z.ZodType): Out<M> => {
    const envelope = Envelope.safeParse(raw);
    if (!envelope.success) throw new RigError('internal', `The agent answered ${method} with something that is not an API envelope.`);
    if (!envelope.data.ok) throw RigError.fromShape(envelope.data.error);
    const out = output.safeParse(envelope.data.value);
    if (!out.success) throw new RigError('internal', `The agent's answer to ${method} did not match the contract: ${formatZodError(out.error)}`);
    return out.data as Out<M>;
  };
  return {
    async call(method, input) {
      const [raw, output] = await Promise.all([transport.invoke(method, input), schemas.output(method)]);
      return unwrap(method, raw, output);
    },
    arrived(method, input) {
      // Only when the schema is at hand too: taking the answer and then waiting would lose it.
      const output = schemas.output(method);
      if (output instanceof Promise || !transport.invokeArrived) return undefined;
      const raw = transport.invokeArrived(method, input);
      if (raw === undefined) return undefined;
      try {
        return { ok: true, value: unwrap(method, raw, output) };
      } catch (err) {
        return { ok: false, error: err instanceof RigError ? err : new RigError('internal', String(err)) };
      }
    },
    on(event, listener) {
      let live = true;
      const unsubscribe = transport.subscribe(event, (payload) => {
        const check = (s: z.ZodType) => {
          const parsed = s.safeParse(payload);
          // A payload that does not match is dropped: a bad event must not crash a screen.
          if (parsed.success && live) listener(parsed.data as EventPayload<typeof event>);
        };
        const schema = schemas.event(event);
        // Payloads that arrive while the schema loads wait for it, in order; one whose schema
        // could not be loaded is dropped like one that does not match.
        if (schema instanceof Promise) schema.then(check, () => undefined);
        else check(schema);
      });
      return () => {
        live = false;
        unsubscribe();
      };
    },
  };
}
