import { contract, type In, type Method, type Out } from './contract.js';
import { Envelope } from './envelope.js';
import { RigError, formatZodError } from './errors.js';
import { events, type EventName, type EventPayload } from './events.js';

/**
 * How a client reaches a host: Electron IPC (window.riglease), HTTP + WebSocket, or an
 * in-process agent. The client does not care which.
 */
export interface Transport {
  invoke(method: string, input: unknown): Promise<unknown>;
  subscribe(event: string, listener: (payload: unknown) => void): () => void;
}

export interface Client {
  call<M extends Method>(method: M, input: In<M>): Promise<Out<M>>;
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void;
}

/** One generic client over any transport: it unwraps the envelope and checks what came back. */
export function createClient(transport: Transport): Client {
  return {
    async call(method, input) {
      const raw = await transport.invoke(method, input);
      const envelope = Envelope.safeParse(raw);
      if (!envelope.success) throw new RigError('internal', `The agent answered ${method} with something that is not an API envelope.`);
      if (!envelope.data.ok) throw RigError.fromShape(envelope.data.error);
      const out = contract[method].output.safeParse(envelope.data.value);
      if (!out.success) throw new RigError('internal', `The agent's answer to ${method} did not match the contract: ${formatZodError(out.error)}`);
      return out.data as Out<typeof method>;
    },
    on(event, listener) {
      return transport.subscribe(event, (payload) => {
        const parsed = events[event].safeParse(payload);
        // A payload that does not match is dropped: a bad event must not crash a screen.
        if (parsed.success) listener(parsed.data as EventPayload<typeof event>);
      });
    },
  };
}
