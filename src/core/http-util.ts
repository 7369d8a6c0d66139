import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Envelope } from '../api/envelope.js';
import { RigError, type ErrorCode } from '../api/errors.js';

/** Headers every answer carries, API or page. */
export const BASE_HEADERS: Readonly<Record<string, string>> = {
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
};

/**
 * Sends one JSON envelope. The body is always an envelope, whatever the status, so a client
 * can read `error.message` from a 401 the same way as from a failed call.
 */
export function sendEnvelope(res: ServerResponse, status: number, envelope: Envelope, extra: Record<string, string> = {}): void {
  const body = JSON.stringify(envelope);
  res.writeHead(status, {
    ...BASE_HEADERS,
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': String(Buffer.byteLength(body)),
    'Cache-Control': 'no-store',
    ...extra,
  });
  res.end(body);
}

export function sendError(res: ServerResponse, status: number, code: ErrorCode, message: string, fix?: string): void {
  sendEnvelope(res, status, { ok: false, error: fix === undefined ? { code, message } : { code, message, fix } });
}

/** Reads a request body up to `limit` bytes; more is refused rather than buffered. */
export async function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) throw tooLarge(limit);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) {
      throw tooLarge(limit);
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

function tooLarge(limit: number): RigError {
  return new RigError('invalid_input', `The request body is larger than ${Math.round(limit / 1024)} KiB.`);
}
