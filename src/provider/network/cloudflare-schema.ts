import { z } from 'zod';

/**
 * Cloudflare API v4 shapes, as documented:
 * - every answer is `{success, errors, messages, result}`, lists add `result_info`
 *   (https://developers.cloudflare.com/fundamentals/api/how-to/make-api-calls/);
 * - zones: https://developers.cloudflare.com/api/resources/zones/methods/list/
 * - DNS records: https://developers.cloudflare.com/api/resources/dns/subresources/records/methods/list/
 *   (create / update: …/methods/create/, …/methods/update/).
 * Only the fields RigLease reads are checked; the rest pass through.
 */
export const CfMessage = z.object({ code: z.number().int(), message: z.string() }).passthrough();

export const CfResultInfo = z
  .object({
    page: z.number().int(),
    per_page: z.number().int(),
    count: z.number().int(),
    total_count: z.number().int().optional(),
    total_pages: z.number().int().optional(),
  })
  .passthrough();

export const CfEnvelope = z
  .object({
    success: z.boolean(),
    errors: z.array(CfMessage),
    messages: z.array(CfMessage).optional(),
    result: z.unknown(),
    result_info: CfResultInfo.optional(),
  })
  .passthrough();
export type CfEnvelope = z.infer<typeof CfEnvelope>;

export const CfZone = z.object({ id: z.string().min(1), name: z.string(), status: z.string().optional() }).passthrough();
export type CfZone = z.infer<typeof CfZone>;

export const CfDnsRecord = z
  .object({
    id: z.string().min(1),
    name: z.string(),
    type: z.string(),
    content: z.string(),
    ttl: z.number().int(),
    proxied: z.boolean().optional(),
  })
  .passthrough();
export type CfDnsRecord = z.infer<typeof CfDnsRecord>;

/** What RigLease writes: a DNS-only record (not proxied: tenants need plain TCP to 80/443/8443/8444). */
export interface CfRecordBody {
  name: string;
  type: 'A' | 'CNAME';
  content: string;
  ttl: number;
  proxied: false;
  comment: string;
}
