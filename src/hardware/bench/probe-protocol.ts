import { isIP } from 'node:net';
import { z } from 'zod';

/**
 * The outside port probe's wire format (version 1), shared by the client (`bench.network.portProbeUrl`)
 * and the server (`riglease probe-server`). Documented in src/hardware/bench/README.md.
 */
export const PROBE_PROTOCOL_VERSION = 1;
/** Largest request body the server reads. */
export const PROBE_MAX_BODY_BYTES = 1024;

/** `POST /probe`: "connect back to me on these ports". `address`, when given, must be the requester's own. */
export const ProbeRequest = z
  .object({
    version: z.literal(PROBE_PROTOCOL_VERSION).optional(),
    ports: z.array(z.number().int().min(1).max(65535)).min(1).max(8),
    address: z.string().refine((a) => isIP(a) !== 0, 'an IPv4 or IPv6 address').optional(),
  })
  .strict();
export type ProbeRequest = z.infer<typeof ProbeRequest>;

export const ProbePortState = z.enum(['open', 'closed', 'filtered']);
export type ProbePortState = z.infer<typeof ProbePortState>;

/**
 * The answer. `state` and `ms` are version 1; a probe that only says `open` (the format before
 * version 1) still parses, and `open: false` then reads as closed.
 */
export const ProbeAnswer = z.object({
  version: z.number().int().optional(),
  /** The address the probe connected back to: the requester's address as the internet sees it. */
  ip: z.string().optional(),
  results: z.array(
    z.object({
      port: z.number().int(),
      open: z.boolean(),
      state: ProbePortState.optional(),
      /** Time to connect, to be refused, or to give up. */
      ms: z.number().nonnegative().optional(),
      detail: z.string().optional(),
    }),
  ),
});
export type ProbeAnswer = z.infer<typeof ProbeAnswer>;

/**
 * `GET /whoami`: the address the request came from, as the probe sees it. This is the public
 * address of the requester's network, the same one `POST /probe` connects back to.
 */
export const WhoamiAnswer = z.object({
  version: z.number().int().optional(),
  ip: z.string().refine((a) => isIP(a) !== 0, 'an IPv4 or IPv6 address'),
});
export type WhoamiAnswer = z.infer<typeof WhoamiAnswer>;

/** Every refusal: 400 invalid_request, 403 refused, 404 not_found, 413 too_large, 429 rate_limited, 503 busy. */
export const ProbeError = z.object({
  error: z.object({ code: z.enum(['invalid_request', 'refused', 'not_found', 'too_large', 'rate_limited', 'busy']), message: z.string() }),
});
export type ProbeError = z.infer<typeof ProbeError>;

/** `::ffff:203.0.113.7` (an IPv4 client on a dual-stack socket) is `203.0.113.7`. */
export function plainAddress(address: string): string {
  const m = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  return m ? m[1]! : address.toLowerCase();
}
