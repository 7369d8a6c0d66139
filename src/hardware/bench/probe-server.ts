import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import type { Logger } from '../../util/logger.js';
import { PROBE_MAX_BODY_BYTES, PROBE_PROTOCOL_VERSION, ProbeRequest, plainAddress, type ProbeAnswer, type ProbeError, type ProbePortState } from './probe-protocol.js';

export interface ProbeServerOptions {
  host?: string;
  /** 0 = any free port. */
  port?: number;
  /** The only ports a requester may ask about. Default: the provider ports 80, 443, 8443, 8444. */
  allowedPorts?: readonly number[];
  /** How long one connect-back may take before the port reads "filtered". */
  connectTimeoutMs?: number;
  /** Requests per address per window; more are answered 429 with Retry-After. */
  perAddress?: number;
  windowMs?: number;
  /** Connect-backs in flight over all requesters; more requests are answered 503. */
  maxInFlight?: number;
  /**
   * Test seam: the port actually dialled for an asked port (tests cannot listen on 80 and 443).
   * The address dialled is always the requester's; nothing here can change that.
   */
  dialPort?: (port: number) => number;
  logger?: Logger;
  now?: () => number;
}

export interface ProbeServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

export const DEFAULT_PROBE_PORTS = [80, 443, 8443, 8444] as const;

/** One TCP connect to `host:port`: completed = open, refused (RST) = closed, anything else (timeout, unreachable) = filtered. */
export function connectBack(host: string, port: number, timeoutMs: number): Promise<{ state: ProbePortState; ms: number; detail: string }> {
  return new Promise((resolve) => {
    const t0 = performance.now();
    const ms = () => Math.round((performance.now() - t0) * 10) / 10;
    const socket = net.connect({ host, port });
    let settled = false;
    const done = (state: ProbePortState, detail: string) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve({ state, ms: ms(), detail });
    };
    const timer = setTimeout(() => done('filtered', `no answer within ${timeoutMs} ms`), timeoutMs);
    socket.once('connect', () => done('open', 'a TCP connection from outside completed'));
    socket.once('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'ECONNREFUSED') done('closed', 'the connection was refused');
      else done('filtered', `no connection (${err.code ?? err.message})`);
    });
  });
}

/** The body as text, or null past PROBE_MAX_BODY_BYTES (the rest is not read). */
function readBody(req: http.IncomingMessage): Promise<string | null> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > PROBE_MAX_BODY_BYTES) return Promise.resolve(null);
  return new Promise((resolve, reject) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => {
      body += chunk;
      if (body.length > PROBE_MAX_BODY_BYTES) {
        req.removeAllListeners('data');
        req.pause();
        resolve(null);
      }
    });
    req.once('end', () => resolve(body));
    req.once('error', reject);
  });
}

/**
 * The outside half of the ports check, for someone with a public address to host. It only ever
 * connects back to the address the request came from, only on the allowed ports, and rate-limits
 * per address, so it cannot be used to scan anyone else.
 */
export async function startProbeServer(o: ProbeServerOptions = {}): Promise<ProbeServer> {
  const allowed = new Set(o.allowedPorts ?? DEFAULT_PROBE_PORTS);
  const timeoutMs = o.connectTimeoutMs ?? 3000;
  const perAddress = o.perAddress ?? 6;
  const windowMs = o.windowMs ?? 60_000;
  const maxInFlight = o.maxInFlight ?? 32;
  const now = o.now ?? Date.now;
  const seen = new Map<string, number[]>();
  let inFlight = 0;

  const send = (res: http.ServerResponse, status: number, body: ProbeAnswer | ProbeError | Record<string, unknown>, headers: Record<string, string> = {}) => {
    res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store', ...headers });
    res.end(JSON.stringify(body));
  };
  const fail = (res: http.ServerResponse, status: number, code: ProbeError['error']['code'], message: string, headers?: Record<string, string>) => send(res, status, { error: { code, message } }, headers);

  /** Sliding window per address; old entries are dropped on every request, so the map stays small. */
  const admit = (ip: string): number | null => {
    const t = now();
    for (const [k, times] of seen) {
      const kept = times.filter((x) => t - x < windowMs);
      if (kept.length === 0) seen.delete(k);
      else seen.set(k, kept);
    }
    const times = seen.get(ip) ?? [];
    if (times.length >= perAddress) return Math.max(1, Math.ceil((times[0]! + windowMs - t) / 1000));
    times.push(t);
    seen.set(ip, times);
    return null;
  };

  const handle = async (req: http.IncomingMessage, res: http.ServerResponse): Promise<void> => {
    const ip = plainAddress(req.socket.remoteAddress ?? '');
    const path = (req.url ?? '/').split('?')[0];
    if (req.method === 'GET' && path === '/') {
      send(res, 200, { service: 'riglease-port-probe', version: PROBE_PROTOCOL_VERSION, ports: [...allowed], usage: 'POST /probe {"ports":[80,443,8443,8444]} — connects back to your own address only; GET /whoami — the address your request came from' });
      return;
    }
    if (req.method === 'GET' && path === '/whoami') {
      // Counted like a check: an echo is cheap, but the limit keeps the service from being a free IP oracle for floods.
      const wait = admit(ip);
      if (wait !== null) return fail(res, 429, 'rate_limited', `Too many requests from ${ip}; at most ${perAddress} per ${Math.round(windowMs / 1000)} s.`, { 'retry-after': String(wait) });
      send(res, 200, { version: PROBE_PROTOCOL_VERSION, ip });
      return;
    }
    if (req.method !== 'POST' || path !== '/probe') return fail(res, 404, 'not_found', 'Use POST /probe, or GET /whoami.');
    const retryAfter = admit(ip);
    if (retryAfter !== null) return fail(res, 429, 'rate_limited', `Too many checks from ${ip}; at most ${perAddress} per ${Math.round(windowMs / 1000)} s.`, { 'retry-after': String(retryAfter) });
    const body = await readBody(req);
    if (body === null) {
      fail(res, 413, 'too_large', `A request is at most ${PROBE_MAX_BODY_BYTES} bytes.`, { connection: 'close' });
      return;
    }
    let parsed;
    try {
      parsed = ProbeRequest.safeParse(JSON.parse(body));
    } catch {
      return fail(res, 400, 'invalid_request', 'The body is not JSON.');
    }
    if (!parsed.success) return fail(res, 400, 'invalid_request', parsed.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; '));
    const ask = parsed.data;
    if (ask.address !== undefined && plainAddress(ask.address) !== ip) {
      o.logger?.warn('probe.refused_other_address', { from: ip, asked: ask.address });
      return fail(res, 403, 'refused', `This probe only connects back to the address the request comes from (${ip}), never to another (${ask.address}).`);
    }
    const ports = [...new Set(ask.ports)];
    const notAllowed = ports.filter((p) => !allowed.has(p));
    if (notAllowed.length > 0) return fail(res, 403, 'refused', `Port${notAllowed.length === 1 ? '' : 's'} ${notAllowed.join(', ')} cannot be checked here; this probe checks ${[...allowed].join(', ')}.`);
    if (inFlight + ports.length > maxInFlight) return fail(res, 503, 'busy', 'The probe is busy; try again in a few seconds.', { 'retry-after': '5' });
    inFlight += ports.length;
    try {
      const results = await Promise.all(
        ports.map(async (port) => {
          const r = await connectBack(ip, o.dialPort ? o.dialPort(port) : port, timeoutMs);
          return { port, open: r.state === 'open', state: r.state, ms: r.ms, detail: r.detail };
        }),
      );
      o.logger?.info('probe.checked', { from: ip, ports: results.map((r) => `${r.port}:${r.state}`).join(' ') });
      send(res, 200, { version: PROBE_PROTOCOL_VERSION, ip, results });
    } finally {
      inFlight -= ports.length;
    }
  };

  const server = http.createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      o.logger?.error('probe.failed', { error: String(err) });
      if (!res.headersSent) fail(res, 400, 'invalid_request', 'The request could not be read.');
      else res.destroy();
    });
  });
  server.headersTimeout = 10_000;
  server.requestTimeout = 15_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port ?? 8485, o.host ?? '0.0.0.0', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const host = o.host && o.host !== '0.0.0.0' && o.host !== '::' ? o.host : '127.0.0.1';
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}/probe`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
