import { z } from 'zod';
import { RigError } from '../../api/errors.js';
import { CfDnsRecord, CfEnvelope, CfZone, type CfRecordBody } from './cloudflare-schema.js';

export interface CloudflareClientOptions {
  /** `https://api.cloudflare.com/client/v4`, or a test server. */
  baseUrl: string;
  /** Sent only as `Authorization: Bearer …`; never logged, never put in a URL. */
  token: string;
  timeoutMs?: number;
  signal?: AbortSignal;
}

/** Safety stop for paging: a zone with more records than this is not walked further. */
const MAX_PAGES = 50;

/**
 * The four Cloudflare API v4 calls RigLease needs: find the zone by name, list the records at a
 * name (following `result_info` pages), create one, overwrite one. Every call has a timeout and
 * every answer is checked against the documented envelope.
 */
export class CloudflareClient {
  constructor(private readonly o: CloudflareClientOptions) {}

  private async call(method: 'GET' | 'POST' | 'PUT', path: string, body?: CfRecordBody): Promise<CfEnvelope> {
    const url = `${this.o.baseUrl.replace(/\/+$/, '')}${path}`;
    const timeoutMs = this.o.timeoutMs ?? 15_000;
    let res: Response;
    try {
      res = await fetch(url, {
        method,
        headers: { authorization: `Bearer ${this.o.token}`, ...(body ? { 'content-type': 'application/json' } : {}), accept: 'application/json' },
        ...(body ? { body: JSON.stringify(body) } : {}),
        signal: AbortSignal.any([AbortSignal.timeout(timeoutMs), ...(this.o.signal ? [this.o.signal] : [])]),
      });
    } catch (err) {
      const timedOut = err instanceof Error && err.name === 'TimeoutError';
      throw new RigError(timedOut ? 'timeout' : 'unavailable', `Cloudflare did not answer${timedOut ? ` within ${timeoutMs / 1000} s` : ''} (${method} ${path.split('?')[0]}).`, 'Check the internet connection and try again.');
    }
    const text = await res.text();
    let env: CfEnvelope;
    try {
      env = CfEnvelope.parse(JSON.parse(text));
    } catch {
      throw new RigError('unavailable', `Cloudflare answered HTTP ${res.status} with something that is not its API format.`, 'Check network.dns.cloudflareApiUrl, then try again.');
    }
    if (!env.success || !res.ok) {
      const why = env.errors.map((e) => `${e.message} (${e.code})`).join('; ') || `HTTP ${res.status}`;
      if (res.status === 401 || res.status === 403) {
        throw new RigError('unauthorized', `Cloudflare refused the API token: ${why}.`, 'Create a token with Zone \u2192 Zone \u2192 Read and Zone \u2192 DNS \u2192 Edit for this domain (Cloudflare dashboard \u2192 My Profile \u2192 API Tokens), and save it again.');
      }
      throw new RigError('unavailable', `Cloudflare refused ${method} ${path.split('?')[0]}: ${why}.`, 'Read the message above; fix the record in the Cloudflare dashboard if it names one.');
    }
    return env;
  }

  /** Every item of a list, page by page, until `result_info.total_pages` (or a short page). */
  private async list<T extends z.ZodType>(path: string, item: T): Promise<z.infer<T>[]> {
    const out: z.infer<T>[] = [];
    const sep = path.includes('?') ? '&' : '?';
    for (let page = 1; page <= MAX_PAGES; page++) {
      const env = await this.call('GET', `${path}${sep}page=${page}&per_page=100`);
      const items = z.array(item).parse(env.result);
      out.push(...items);
      const info = env.result_info;
      if (!info || items.length === 0) break;
      if (info.total_pages !== undefined ? page >= info.total_pages : items.length < info.per_page) break;
    }
    return out;
  }

  /** The zone holding `domain`: the domain itself, else its parents (`rig.example.com` → `example.com`). */
  async findZone(domain: string): Promise<CfZone> {
    const labels = domain.toLowerCase().split('.');
    for (let i = 0; i < labels.length - 1; i++) {
      const name = labels.slice(i).join('.');
      const zones = await this.list(`/zones?name=${encodeURIComponent(name)}`, CfZone);
      const zone = zones.find((z) => z.name.toLowerCase() === name);
      if (zone) return zone;
    }
    throw new RigError('not_found', `Cloudflare has no zone for ${domain} that this token can see.`, `Add ${domain} to Cloudflare, or give the token access to its zone (Zone \u2192 Zone \u2192 Read).`);
  }

  recordsAt(zoneId: string, name: string): Promise<CfDnsRecord[]> {
    return this.list(`/zones/${encodeURIComponent(zoneId)}/dns_records?name=${encodeURIComponent(name)}`, CfDnsRecord);
  }

  async create(zoneId: string, body: CfRecordBody): Promise<CfDnsRecord> {
    return CfDnsRecord.parse((await this.call('POST', `/zones/${encodeURIComponent(zoneId)}/dns_records`, body)).result);
  }

  async overwrite(zoneId: string, recordId: string, body: CfRecordBody): Promise<CfDnsRecord> {
    return CfDnsRecord.parse((await this.call('PUT', `/zones/${encodeURIComponent(zoneId)}/dns_records/${encodeURIComponent(recordId)}`, body)).result);
  }
}
