import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import { dispatch, type Handlers } from '../api/dispatch.js';
import { RigError, formatZodError } from '../api/errors.js';
import type { Logger } from '../util/logger.js';
import { readBody, sendEnvelope, sendError } from '../core/http-util.js';

/** Generous for any contract input (settings, a bid script), small enough to refuse abuse. */
export const MAX_RPC_BODY = 1024 * 1024;

const RpcRequest = z.object({ method: z.string().min(1).max(200), input: z.unknown().optional() }).strict();

/**
 * `POST /api/rpc` with `{method, input}` → the shared dispatch loop → one envelope.
 * Transport problems (not JSON, too big, wrong shape) answer 4xx with an `invalid_input`
 * envelope; everything that reached dispatch answers 200 with whatever envelope it returned.
 */
export async function handleRpc(req: IncomingMessage, res: ServerResponse, handlers: Handlers, logger: Logger): Promise<void> {
  if (req.method !== 'POST') {
    sendError(res, 405, 'invalid_input', 'Use POST for /api/rpc.');
    return;
  }
  // Requiring JSON also means a plain HTML form on another site cannot build a valid request.
  const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (type !== 'application/json') {
    sendError(res, 415, 'invalid_input', 'Send the call as JSON (Content-Type: application/json).');
    return;
  }
  let body: Buffer;
  try {
    body = await readBody(req, MAX_RPC_BODY);
  } catch (err) {
    if (err instanceof RigError) {
      // Stop the client from streaming the rest of an oversized body at us.
      sendEnvelope(res, 413, { ok: false, error: err.toShape() }, { Connection: 'close' });
    } else {
      res.destroy();
    }
    return;
  }
  let json: unknown;
  try {
    json = JSON.parse(body.toString('utf8'));
  } catch {
    sendError(res, 400, 'invalid_input', 'The request body is not valid JSON.');
    return;
  }
  const parsed = RpcRequest.safeParse(json);
  if (!parsed.success) {
    sendError(res, 400, 'invalid_input', `A call is {"method": "...", "input": {...}}: ${formatZodError(parsed.error)}`);
    return;
  }
  const started = Date.now();
  const envelope = await dispatch(handlers, parsed.data.method, parsed.data.input, { via: 'http' }, {
    onError: (method, err) => logger.warn('call failed', { method, error: err instanceof Error ? err.message : String(err) }),
  });
  logger.debug('call', { method: parsed.data.method, ok: envelope.ok, ms: Date.now() - started });
  sendEnvelope(res, 200, envelope);
}
