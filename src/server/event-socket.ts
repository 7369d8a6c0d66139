import type { WebSocket } from 'ws';
import { z } from 'zod';
import { isEventName, type EventName } from '../api/events.js';
import type { EventHub } from '../core/event-hub.js';
import type { Logger } from '../util/logger.js';

/** What a page may send over `/api/events`. */
const ClientMessage = z.discriminatedUnion('type', [
  z.object({ type: z.literal('subscribe'), event: z.string().max(200) }).strict(),
  z.object({ type: z.literal('unsubscribe'), event: z.string().max(200) }).strict(),
]);

/** Past this much unsent data the client is not keeping up; drop events rather than grow memory. */
const MAX_BUFFERED = 1024 * 1024;

/**
 * One socket = one set of hub subscriptions. Server → client messages:
 * `{type:'event', event, payload}`, `{type:'subscribed', event}`, `{type:'unsubscribed', event}`,
 * `{type:'error', error:{code, message}}`. On close every subscription is dropped, which is
 * what stops the telemetry stream when the last dashboard goes away.
 */
export function bindEventSocket(socket: WebSocket, hub: EventHub, logger: Logger): () => void {
  const subscriptions = new Map<EventName, () => void>();

  const send = (message: unknown) => {
    if (socket.readyState !== socket.OPEN) return;
    if (socket.bufferedAmount > MAX_BUFFERED) return;
    socket.send(JSON.stringify(message));
  };
  const fail = (message: string) => send({ type: 'error', error: { code: 'invalid_input', message } });

  const cleanup = () => {
    for (const off of subscriptions.values()) off();
    subscriptions.clear();
  };

  socket.on('message', (data, isBinary) => {
    if (isBinary) return fail('Send text JSON messages.');
    let json: unknown;
    try {
      json = JSON.parse(data.toString());
    } catch {
      return fail('That message is not JSON.');
    }
    const parsed = ClientMessage.safeParse(json);
    if (!parsed.success) return fail('A message is {"type": "subscribe" | "unsubscribe", "event": "<name>"}.');
    const { type, event } = parsed.data;
    if (!isEventName(event)) return fail(`There is no event called ${JSON.stringify(event)}.`);
    if (type === 'subscribe') {
      if (!subscriptions.has(event)) {
        subscriptions.set(event, hub.subscribe(event, (payload) => send({ type: 'event', event, payload })));
      }
      send({ type: 'subscribed', event });
    } else {
      subscriptions.get(event)?.();
      subscriptions.delete(event);
      send({ type: 'unsubscribed', event });
    }
  });
  socket.on('close', cleanup);
  socket.on('error', (err) => {
    logger.debug('event socket error', { error: err.message });
    cleanup();
  });
  return cleanup;
}
