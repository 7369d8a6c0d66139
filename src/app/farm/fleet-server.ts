import type { IncomingMessage, ServerResponse } from 'node:http';
import https from 'node:https';
import type { z } from 'zod';
import { RigError, formatZodError, toErrorShape, type ErrorCode } from '../../api/errors.js';
import { FLEET_PATH, HeartbeatRequest, LeaveRequest, MemberAvailabilityRequest, RegisterRequest, presentedFleetSecret } from '../../provider/farm/fleet-protocol.js';
import { readBody, sendEnvelope, sendError } from '../../core/http-util.js';
import type { Logger } from '../../util/logger.js';
import { SourceRateLimiter } from './fleet-rate-limit.js';

/** What the fleet API needs from the controller. Every credential check is constant-time. */
export interface FleetBackend {
  /** True for a pairing secret of a join code that has not expired. */
  pairingValid(secret: string): Promise<boolean>;
  /** True when `key` is the key of machine `machineId` (a paired, not removed machine). */
  machineValid(machineId: string, key: string): Promise<boolean>;
  hello(): Promise<unknown>;
  /** Registers with the pairing secret, which is spent by it (checked and spent in one write). */
  /** `from`: the address the request came from (to compare with the address the machine advertises). */
  register(req: z.infer<typeof RegisterRequest>, pairingSecret: string, from?: string): Promise<unknown>;
  heartbeat(req: z.infer<typeof HeartbeatRequest>, from?: string): Promise<unknown>;
  leave(req: z.infer<typeof LeaveRequest>): Promise<unknown>;
  /** A member's own availability switch: recorded and carried out at once (offline asks first). */
  memberAvailability(req: z.infer<typeof MemberAvailabilityRequest>): Promise<unknown>;
}

export interface RunningFleetServer {
  readonly port: number;
  readonly host: string;
  close(): Promise<void>;
}

const STATUS: Partial<Record<ErrorCode, number>> = { invalid_input: 400, unauthorized: 401, forbidden: 403, not_found: 404, conflict: 409, precondition_failed: 412, unavailable: 503 };
export const MACHINE_HEADER = 'x-riglease-machine';

/**
 * The controller's fleet API, a listener of its own (not the admin API: a member never holds
 * the admin token). It is started only while the farm has a pairing secret or members, and every
 * request must carry one: the pairing secret (hello, register) or the machine's own key
 * (heartbeat, availability, leave). Nothing else is served on this port.
 */
/** The listener's certificate and key (fleet-tls.ts): the join code carries the certificate's fingerprint. */
export interface FleetTls {
  certPem: string;
  keyPem: string;
}

export async function startFleetServer(opts: { host: string; port: number; backend: FleetBackend; logger: Logger; tls: FleetTls; limiter?: SourceRateLimiter }): Promise<RunningFleetServer> {
  const { backend, logger } = opts;
  const limiter = opts.limiter ?? new SourceRateLimiter();
  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const from = req.socket.remoteAddress ?? 'unknown';
    const wait = limiter.take(from);
    if (wait > 0) {
      res.setHeader('Retry-After', String(wait));
      return sendError(res, 429, 'unavailable', 'Too many requests from this address to the farm controller.', `Wait ${wait} s and try again; check that only RigLease talks to this port.`);
    }
    const refuse = (message: string, fix: string): void => {
      limiter.failed(from);
      sendError(res, 401, 'unauthorized', message, fix);
    };
    const path = (req.url ?? '/').split('?')[0]!;
    if (!path.startsWith(`${FLEET_PATH}/`)) return sendError(res, 404, 'not_found', 'Not a RigLease fleet route.');
    const route = path.slice(FLEET_PATH.length + 1);
    const secret = presentedFleetSecret(req.headers.authorization);
    if (secret === null) return refuse('The fleet API needs a pairing secret.', 'Join with a code from the controller (`riglease farm token`).');
    const pairingRoutes = new Set(['hello', 'register']);
    const machineRoutes = new Set(['heartbeat', 'availability', 'leave']);
    if (!pairingRoutes.has(route) && !machineRoutes.has(route)) return sendError(res, 404, 'not_found', `No fleet route ${route}.`);
    if (pairingRoutes.has(route)) {
      const ok = (await backend.pairingValid(secret)) || (route === 'hello' && (await machineFromHeader(req, secret, backend)));
      if (!ok) return refuse('The controller does not accept this join code: it was already used, expired, or was never made here.', 'Make a new code on the controller (`riglease farm token`) and join again.');
    } else if (!(await machineFromHeader(req, secret, backend))) {
      return refuse('The controller no longer knows this machine (it was removed from the farm).', 'Join again with a new code if it should be part of the farm.');
    }
    if (route === 'hello') {
      if (req.method !== 'GET') return sendError(res, 405, 'invalid_input', 'Use GET.');
      return sendEnvelope(res, 200, { ok: true, value: await backend.hello() });
    }
    if (req.method !== 'POST') return sendError(res, 405, 'invalid_input', 'Use POST.');
    let json: unknown;
    try {
      json = JSON.parse((await readBody(req, 256 * 1024)).toString('utf8'));
    } catch {
      return sendError(res, 400, 'invalid_input', 'The body is not JSON.');
    }
    const schema = route === 'register' ? RegisterRequest : route === 'heartbeat' ? HeartbeatRequest : route === 'availability' ? MemberAvailabilityRequest : LeaveRequest;
    const parsed = schema.safeParse(json);
    if (!parsed.success) return sendError(res, 400, 'invalid_input', formatZodError(parsed.error));
    if (route !== 'register' && (parsed.data as { machineId: string }).machineId !== req.headers[MACHINE_HEADER]) {
      return sendError(res, 403, 'forbidden', 'A machine can only speak for itself.');
    }
    const value =
      route === 'register'
        ? await backend.register(parsed.data as z.infer<typeof RegisterRequest>, secret, plainAddress(from))
        : route === 'heartbeat'
          ? await backend.heartbeat(parsed.data as z.infer<typeof HeartbeatRequest>, plainAddress(from))
          : route === 'availability'
            ? await backend.memberAvailability(parsed.data as z.infer<typeof MemberAvailabilityRequest>)
            : await backend.leave(parsed.data as z.infer<typeof LeaveRequest>);
    return sendEnvelope(res, 200, { ok: true, value });
  };
  // TLS only: pairing secrets and machine keys cross the LAN on this port.
  const server = https.createServer({ cert: opts.tls.certPem, key: opts.tls.keyPem, minVersion: 'TLSv1.2' }, (req, res) => {
    handle(req, res).catch((err: unknown) => {
      const shape = toErrorShape(err);
      if (!(err instanceof RigError)) logger.error('fleet request failed', { url: req.url?.split('?')[0], error: err instanceof Error ? err.message : String(err) });
      if (!res.headersSent) sendEnvelope(res, STATUS[shape.code] ?? 500, { ok: false, error: shape });
      else res.destroy();
    });
  });
  server.headersTimeout = 10_000;
  server.requestTimeout = 30_000;
  await new Promise<void>((resolve, reject) => {
    const onError = (err: NodeJS.ErrnoException): void => {
      reject(
        err.code === 'EADDRINUSE'
          ? new RigError('conflict', `The fleet port ${opts.port} is already in use on this machine.`, 'Choose another with `riglease settings set farm.fleetPort N`.')
          : new RigError('unavailable', `Cannot open the fleet port ${opts.host}:${opts.port}: ${err.message}`),
      );
    };
    server.once('error', onError);
    server.listen(opts.port, opts.host, () => {
      server.off('error', onError);
      resolve();
    });
  });
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : opts.port;
  logger.info('fleet API listening', { host: opts.host, port });
  return {
    port,
    host: opts.host,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

async function machineFromHeader(req: IncomingMessage, key: string, backend: FleetBackend): Promise<boolean> {
  const id = req.headers[MACHINE_HEADER];
  return typeof id === 'string' && /^[a-z0-9]{8,64}$/.test(id) && backend.machineValid(id, key);
}

/** An IPv4 peer on a dual-stack socket reads `::ffff:192.168.1.5`: the address the machine knows itself by is the IPv4 one. */
export function plainAddress(from: string): string {
  return from.startsWith('::ffff:') && from.includes('.') ? from.slice('::ffff:'.length) : from;
}
