import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import os from 'node:os';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Handlers } from '../api/dispatch.js';
import { RigError, type ErrorCode } from '../api/errors.js';
import type { EventHub } from '../core/event-hub.js';
import type { Logger } from '../util/logger.js';
import { rememberSecretValue } from '../util/redact.js';
import { bindEventSocket } from './event-socket.js';
import { sendEnvelope, sendError } from '../core/http-util.js';
import { handleRpc } from './rpc-route.js';
import {
  formatHostPort,
  hostAllowed,
  newToken,
  originAllowed,
  presentedCredential,
  sameOriginPath,
  tokenMatches,
  type HostPolicy,
} from './security.js';
import { WS_PROTOCOL } from '../api/ws-protocol.js';
import { serveStatic } from './static-files.js';

/** The part of the Agent a host needs: the handlers to dispatch to and the hub to forward. */
export interface HostedAgent {
  readonly handlers: Handlers;
  readonly hub: EventHub;
}

export interface ServerOptions {
  agent: HostedAgent;
  /** Default 127.0.0.1: reachable from this machine only. */
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  /** Given, or a fresh random one per start. */
  token?: string;
  /** The built renderer (`dist/renderer`); null serves the API only. */
  staticDir: string | null;
  logger: Logger;
}

export interface RunningServer {
  readonly host: string;
  readonly port: number;
  readonly token: string;
  /** `http://127.0.0.1:PORT` */
  readonly origin: string;
  /** The address to open in a browser: it carries the token once, then the page keeps it (never a cookie). */
  readonly loginUrl: string;
  close(): Promise<void>;
}

/** Live event connections at once: far more than any person has windows open. */
export const MAX_EVENT_SOCKETS = 32;

const UNAUTHORIZED_FIX = 'Open the address `riglease serve` printed (it ends in ?token=…) in this tab, or send the header Authorization: Bearer <token>.';

/**
 * The headless host of the contract: `POST /api/rpc`, `GET /api/events` (WebSocket),
 * `GET /api/health` and the built UI. Every API request needs the token and, when it carries an
 * Origin, must come from our own page; every Host header must be one of ours. The UI's files
 * hold no secret and are served without the token: a browser cannot attach a header to a
 * navigation, and a cookie would reach every other port on the host (README.md).
 */
export async function startServer(opts: ServerOptions): Promise<RunningServer> {
  const host = opts.host ?? '127.0.0.1';
  const token = opts.token ?? newToken();
  // Whoever holds it controls the agent: keep it out of every log line and diagnostics bundle.
  rememberSecretValue(token);
  const logger = opts.logger;
  const sockets = new Set<WebSocket>();
  const policy: HostPolicy = { bindHost: host, port: 0, extraNames: [os.hostname(), `${os.hostname()}.local`] };
  // The page offers [WS_PROTOCOL, riglease.bearer.<token>]; the answer names only the first, so
  // the token is not echoed back, and a browser accepts a socket only when one offered is named.
  const wss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024, handleProtocols: (offered) => (offered.has(WS_PROTOCOL) ? WS_PROTOCOL : false) });

  /** The shared gate for plain requests and upgrades: returns why not, or null to go on. */
  const refuse = (req: IncomingMessage, requireOrigin: boolean, requireToken = true): { status: number; code: ErrorCode; message: string; fix?: string } | null => {
    if (!hostAllowed(req.headers.host, policy)) {
      return { status: 403, code: 'forbidden', message: `This RigLease server does not answer to the host name ${JSON.stringify(req.headers.host ?? '')}.`, fix: `Use http://${formatHostPort(host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host, policy.port)}/` };
    }
    const origin = req.headers.origin;
    if (origin !== undefined || requireOrigin) {
      if (origin === undefined || !originAllowed(origin, req.headers.host, policy)) {
        return { status: 403, code: 'forbidden', message: 'Requests from other web pages are refused.' };
      }
    }
    if (!requireToken) return null;
    const given = presentedCredential(req.headers);
    if (given === null) return { status: 401, code: 'unauthorized', message: 'This RigLease server needs its access token.', fix: UNAUTHORIZED_FIX };
    if (!tokenMatches(given, token)) return { status: 401, code: 'unauthorized', message: 'That access token is not the one this server was started with.', fix: UNAUTHORIZED_FIX };
    return null;
  };

  const onRequest = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://placeholder');
    // `/?token=…` is checked here (a wrong one gets a 401 page), then moved into the fragment,
    // which the browser never sends to any server: the page takes it from there into
    // sessionStorage and out of the address bar.
    const queryToken = url.searchParams.get('token');
    if (queryToken !== null && req.method === 'GET' && hostAllowed(req.headers.host, policy)) {
      if (!tokenMatches(queryToken, token)) {
        sendError(res, 401, 'unauthorized', 'That access token is not the one this server was started with.', UNAUTHORIZED_FIX);
        return;
      }
      url.searchParams.delete('token');
      const rest = url.searchParams.toString();
      res.writeHead(302, { Location: `${sameOriginPath(url.pathname, rest)}#token=${token}`, 'Cache-Control': 'no-store', 'Referrer-Policy': 'no-referrer' });
      res.end();
      return;
    }
    const path = url.pathname;
    const no = refuse(req, false, path.startsWith('/api/'));
    if (no) {
      sendError(res, no.status, no.code, no.message, no.fix);
      return;
    }
    if (path === '/api/rpc') return handleRpc(req, res, opts.agent.handlers, logger);
    if (path === '/api/health') return sendEnvelope(res, 200, { ok: true, value: { status: 'ok' } });
    if (path === '/api/events') return sendError(res, 426, 'invalid_input', '/api/events is a WebSocket.');
    if (path.startsWith('/api/')) return sendError(res, 404, 'not_found', `No API route ${path}.`);
    if (opts.staticDir === null) return sendError(res, 404, 'not_found', 'This server serves the API only.');
    return serveStatic(req, res, opts.staticDir, path);
  };

  const server = http.createServer((req, res) => {
    onRequest(req, res).catch((err: unknown) => {
      logger.error('request failed', { url: req.url?.split('?')[0], error: err instanceof Error ? err.message : String(err) });
      if (!res.headersSent) sendError(res, 500, 'internal', 'Something went wrong inside RigLease. The log has the details.');
      else res.destroy();
    });
  });
  server.headersTimeout = 10_000;
  server.requestTimeout = 30_000;

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const path = new URL(req.url ?? '/', 'http://placeholder').pathname;
    const no = path === '/api/events' ? refuse(req, true) : { status: 404, code: 'not_found' as const, message: `No WebSocket at ${path}.` };
    if (no) {
      rejectUpgrade(socket, no.status, no.code, no.message);
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      if (sockets.size >= MAX_EVENT_SOCKETS) {
        // Each socket holds hub subscriptions; a page opened in a loop must not exhaust the agent.
        ws.close(1013, `Too many open RigLease windows (${MAX_EVENT_SOCKETS}); close some and reload.`);
        return;
      }
      sockets.add(ws);
      bindEventSocket(ws, opts.agent.hub, logger);
      ws.on('close', () => sockets.delete(ws));
    });
  });

  await new Promise<void>((resolve, reject) => {
    const onError = (err: NodeJS.ErrnoException) => {
      if (err.code === 'EADDRINUSE') {
        reject(new RigError('conflict', `Port ${opts.port ?? 0} on ${host} is already in use.`, 'Pick another with --port N, or --port 0 for any free port.'));
      } else if (err.code === 'EADDRNOTAVAIL' || err.code === 'ENOTFOUND') {
        reject(new RigError('invalid_input', `This machine has no address ${host}.`, 'Use --host 127.0.0.1, or an address this machine owns.'));
      } else {
        reject(new RigError('unavailable', `Cannot listen on ${host}:${opts.port ?? 0}: ${err.message}`));
      }
    };
    server.once('error', onError);
    server.listen(opts.port ?? 0, host, () => {
      server.off('error', onError);
      resolve();
    });
  });
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : (opts.port ?? 0);
  policy.port = port;
  const shownHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
  const origin = `http://${formatHostPort(shownHost, port)}`;
  logger.info('headless server listening', { host, port });

  let closing: Promise<void> | null = null;
  return {
    host,
    port,
    token,
    origin,
    loginUrl: `${origin}/?token=${token}`,
    close: () => {
      closing ??= (async () => {
        for (const ws of sockets) ws.close(1001, 'server shutting down');
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeIdleConnections();
        // Sockets that ignore the close frame are cut after a short grace period.
        const timer = setTimeout(() => {
          for (const ws of sockets) ws.terminate();
          server.closeAllConnections();
        }, 1000);
        await closed;
        clearTimeout(timer);
        await new Promise<void>((resolve) => wss.close(() => resolve()));
      })();
      return closing;
    },
  };
}

function rejectUpgrade(socket: Duplex, status: number, code: ErrorCode, message: string): void {
  const body = JSON.stringify({ ok: false, error: { code, message } });
  const reason = http.STATUS_CODES[status] ?? 'Error';
  socket.end(
    `HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nCache-Control: no-store\r\n\r\n${body}`,
    () => socket.destroy(),
  );
}
