import type { Transport } from '../../../src/api/client.js';
import type { Envelope } from '../../../src/api/envelope.js';
import type { ErrorCode } from '../../../src/api/errors.js';
import { WS_BEARER_PREFIX, WS_PROTOCOL } from '../../../src/api/ws-protocol.js';
import { CALL_TIMEOUT_MS, postRpc, RPC_PATH, takeArrivedEarlyCall, takeEarlyCall, type RpcAnswer } from './early-calls.js';
import { sessionToken } from './session-token.js';

/** What the status line shows about the event socket. */
export type ConnectionState = 'idle' | 'connecting' | 'open' | 'reconnecting';

export interface HttpTransport extends Transport {
  /** Follows the WebSocket's state; returns the unsubscribe function. */
  onConnection(listener: (state: ConnectionState) => void): () => void;
  close(): void;
}

export interface HttpTransportOptions {
  /** Where the page came from; the API lives on the same origin. */
  baseUrl?: string;
  /** The server's access token; default: the one this tab holds (session-token.ts). */
  token?: () => string | null;
  /** A call that takes longer is given up (the scan itself has its own, shorter timeout). */
  callTimeoutMs?: number;
  /** Reconnect backoff: first delay, doubled up to the cap, with jitter. */
  backoffMs?: { first: number; max: number };
}

type Listener = (payload: unknown) => void;

const LINGER_MS = 2_000;
const FIX_SERVE = 'Check that `riglease serve` is still running, then reload this page.';

/**
 * The browser transport for the headless server: calls are `POST /api/rpc` with the token as a
 * Bearer header, events come over ONE WebSocket to `/api/events`, whose token travels as the
 * subprotocol `riglease.bearer.<token>` (a browser can set no header on a WebSocket).
 * Subscriptions are ref-counted per event name, so twenty cards listening to telemetry cost one
 * `subscribe` message; when the socket drops it reconnects with backoff and subscribes again.
 */
export function createHttpTransport(options: HttpTransportOptions = {}): HttpTransport {
  const base = new URL(options.baseUrl ?? window.location.href);
  const rpcUrl = new URL(RPC_PATH, base).toString();
  const wsUrl = new URL('/api/events', base);
  wsUrl.protocol = base.protocol === 'https:' ? 'wss:' : 'ws:';
  const callTimeoutMs = options.callTimeoutMs ?? CALL_TIMEOUT_MS;
  const backoff = options.backoffMs ?? { first: 500, max: 15_000 };
  const token = options.token ?? sessionToken;

  const listeners = new Map<string, Set<Listener>>();
  const connectionListeners = new Set<(state: ConnectionState) => void>();
  let socket: WebSocket | null = null;
  let state: ConnectionState = 'idle';
  let attempt = 0;
  let retryTimer: ReturnType<typeof setTimeout> | null = null;
  let lingerTimer: ReturnType<typeof setTimeout> | null = null;
  let closed = false;

  function setState(next: ConnectionState): void {
    if (next === state) return;
    state = next;
    for (const l of [...connectionListeners]) l(next);
  }

  function send(message: { type: 'subscribe' | 'unsubscribe'; event: string }): void {
    if (socket?.readyState === WebSocket.OPEN) socket.send(JSON.stringify(message));
  }

  function connect(): void {
    if (closed || socket) return;
    setState(attempt === 0 ? 'connecting' : 'reconnecting');
    const t = token();
    const ws = new WebSocket(wsUrl, t === null ? [WS_PROTOCOL] : [WS_PROTOCOL, `${WS_BEARER_PREFIX}${t}`]);
    socket = ws;
    ws.onopen = () => {
      attempt = 0;
      setState('open');
      // Re-subscribe everything that is still wanted: after a reconnect the server knows nothing.
      for (const event of listeners.keys()) send({ type: 'subscribe', event });
    };
    ws.onmessage = (msg) => {
      if (typeof msg.data !== 'string') return;
      let parsed: unknown;
      try {
        parsed = JSON.parse(msg.data);
      } catch {
        return; // Not ours to crash on; the client validates payloads anyway.
      }
      if (!isEventMessage(parsed)) return;
      for (const l of [...(listeners.get(parsed.event) ?? [])]) l(parsed.payload);
    };
    ws.onclose = () => {
      // A socket we closed on purpose (or replaced) must not trigger a reconnect.
      if (socket !== ws) return;
      socket = null;
      if (closed || listeners.size === 0) {
        setState('idle');
        return;
      }
      scheduleReconnect();
    };
    // An error is always followed by close; reconnecting is handled there.
    ws.onerror = () => undefined;
  }

  function cancelLinger(): void {
    if (lingerTimer) clearTimeout(lingerTimer);
    lingerTimer = null;
  }

  function scheduleReconnect(): void {
    if (retryTimer || closed) return;
    setState('reconnecting');
    const delay = Math.min(backoff.max, backoff.first * 2 ** attempt);
    attempt += 1;
    // Jitter keeps several windows from hammering a restarting agent in step.
    retryTimer = setTimeout(() => {
      retryTimer = null;
      connect();
    }, delay * (0.75 + Math.random() * 0.5));
  }

  function disconnectIfUnused(now = false): void {
    if (listeners.size > 0) return;
    if (!now) {
      // Switching screens unsubscribes and subscribes again in the same tick: linger a moment
      // instead of tearing the socket down and opening a new one.
      lingerTimer ??= setTimeout(() => {
        lingerTimer = null;
        disconnectIfUnused(true);
      }, LINGER_MS);
      return;
    }
    if (retryTimer) clearTimeout(retryTimer);
    retryTimer = null;
    attempt = 0;
    socket?.close(1000, 'no subscriptions');
    socket = null;
    setState('idle');
  }

  /** What the server said (or that it said nothing), as the envelope the client unwraps. */
  function envelopeOf(method: string, answer: RpcAnswer): unknown {
    if (answer.kind === 'failed') {
      return failure(
        answer.timedOut ? 'timeout' : 'unavailable',
        answer.timedOut ? `The RigLease agent did not answer ${method} within ${Math.round(callTimeoutMs / 1000)} s.` : 'This page cannot reach the RigLease agent.',
        FIX_SERVE,
      );
    }
    const { body, status } = answer;
    // The server answers errors with envelopes too; anything else is turned into one here.
    if (body !== null && typeof body === 'object' && 'ok' in body) return body;
    if (status === 401 || status === 403) {
      return failure('unauthorized', 'This page is not signed in to the RigLease agent.', 'Open the link with the token that `riglease serve` printed.');
    }
    return failure('unavailable', `The RigLease agent answered ${method} with HTTP ${status}.`, FIX_SERVE);
  }

  return {
    async invoke(method, input) {
      return envelopeOf(method, await (takeEarlyCall(rpcUrl, method, input) ?? postRpc(rpcUrl, token(), method, input, callTimeoutMs)));
    },
    invokeArrived(method, input) {
      const answer = takeArrivedEarlyCall(rpcUrl, method, input);
      return answer === undefined ? undefined : envelopeOf(method, answer);
    },
    subscribe(event, listener) {
      let set = listeners.get(event);
      if (!set) {
        set = new Set();
        listeners.set(event, set);
        send({ type: 'subscribe', event });
      }
      set.add(listener);
      cancelLinger();
      connect();
      let done = false;
      return () => {
        if (done) return;
        done = true;
        const current = listeners.get(event);
        if (!current) return;
        current.delete(listener);
        if (current.size === 0) {
          listeners.delete(event);
          send({ type: 'unsubscribe', event });
          disconnectIfUnused();
        }
      };
    },
    onConnection(listener) {
      connectionListeners.add(listener);
      listener(state);
      return () => connectionListeners.delete(listener);
    },
    close() {
      closed = true;
      listeners.clear();
      cancelLinger();
      disconnectIfUnused(true);
    },
  };
}

function failure(code: ErrorCode, message: string, fix: string): Envelope {
  return { ok: false, error: { code, message, fix } };
}

function isEventMessage(v: unknown): v is { type: 'event'; event: string; payload: unknown } {
  return typeof v === 'object' && v !== null && (v as { type?: unknown }).type === 'event' && typeof (v as { event?: unknown }).event === 'string';
}
