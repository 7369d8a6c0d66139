import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const FIXTURES = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures', 'cloudflare');
/** A documented example answer (see fixtures/cloudflare/SOURCES.md), parsed. */
export const cloudflareFixture = (name: string): Record<string, unknown> => JSON.parse(readFileSync(path.join(FIXTURES, name), 'utf8')) as Record<string, unknown>;

export interface StandInRecord {
  id: string;
  zone_id: string;
  name: string;
  type: string;
  content: string;
  ttl: number;
  proxied: boolean;
  comment?: string;
}

export interface CloudflareStandIn {
  /** The API base to use instead of https://api.cloudflare.com/client/v4. */
  url: string;
  zone: { id: string; name: string };
  records: StandInRecord[];
  /** Every request as `METHOD path?query`, in order (the token is never kept). */
  requests: string[];
  /** Authorization headers seen that were not the right token (count only). */
  refused: number;
  close(): Promise<void>;
}

/**
 * A local stand-in for Cloudflare API v4 (zones and DNS records), answering in the documented
 * envelope `{success, errors, messages, result[, result_info]}`. The zone object and the
 * record objects start from the docs' example answers (fixtures/cloudflare/), so the fields the
 * client must ignore are there too. Behaviour: Bearer token checked (403 + code 10000 as
 * documented for an invalid token otherwise); `per_page` honoured up to `maxPerPage`, so paging
 * is real; A/CNAME on one name refused like Cloudflare does (code 81053).
 */
export async function cloudflareStandIn(o: { token: string; zone: string; maxPerPage?: number; records?: Omit<StandInRecord, 'id' | 'zone_id'>[]; host?: string; port?: number }): Promise<CloudflareStandIn> {
  const zoneExample = cloudflareFixture('zones-list.json') as { result: Record<string, unknown>[] };
  const recordExample = cloudflareFixture('dns-records-create.json') as { result: Record<string, unknown> };
  const zone = { ...zoneExample.result[0], id: randomBytes(16).toString('hex'), name: o.zone };
  const newId = () => randomBytes(16).toString('hex');
  const records: StandInRecord[] = (o.records ?? []).map((r) => ({ ...r, id: newId(), zone_id: zone.id }));
  const requests: string[] = [];
  const state = { refused: 0 };
  const view = (r: StandInRecord) => ({ ...recordExample.result, ...r, proxiable: true, created_on: '2026-01-01T00:00:00Z', modified_on: new Date().toISOString(), meta: {} });

  const send = (res: ServerResponse, status: number, body: Record<string, unknown>) => {
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  };
  const ok = (res: ServerResponse, result: unknown, extra: Record<string, unknown> = {}) => send(res, 200, { success: true, errors: [], messages: [], result, ...extra });
  const fail = (res: ServerResponse, status: number, code: number, message: string) => send(res, status, { success: false, errors: [{ code, message }], messages: [], result: null });
  const page = <T>(res: ServerResponse, items: T[], q: URLSearchParams) => {
    const perPage = Math.min(Number(q.get('per_page') ?? 100), o.maxPerPage ?? 100);
    const p = Math.max(1, Number(q.get('page') ?? 1));
    const slice = items.slice((p - 1) * perPage, p * perPage);
    ok(res, slice, { result_info: { page: p, per_page: perPage, count: slice.length, total_count: items.length, total_pages: Math.max(1, Math.ceil(items.length / perPage)) } });
  };
  const body = (req: IncomingMessage) =>
    new Promise<Record<string, unknown>>((resolve) => {
      let t = '';
      req.on('data', (c: Buffer) => (t += c.toString('utf8')));
      req.on('end', () => {
        try {
          resolve(JSON.parse(t) as Record<string, unknown>);
        } catch {
          resolve({});
        }
      });
    });
  const clash = (name: string, type: string, exceptId?: string) =>
    records.some((r) => r.id !== exceptId && r.name === name && ((type === 'CNAME' && r.type !== 'CNAME') || (type !== 'CNAME' && r.type === 'CNAME') || (type === 'CNAME' && r.type === 'CNAME')));

  const server = createServer((req, res) => {
    void (async () => {
      const u = new URL(req.url ?? '/', 'http://x');
      requests.push(`${req.method} ${u.pathname}${u.search}`);
      if (req.headers.authorization !== `Bearer ${o.token}`) {
        state.refused++;
        return fail(res, 403, 10000, 'Authentication error');
      }
      if (req.method === 'GET' && u.pathname === '/zones') {
        const name = u.searchParams.get('name');
        return page(res, name === null || name === zone.name ? [zone] : [], u.searchParams);
      }
      const m = /^\/zones\/([^/]+)\/dns_records(?:\/([^/]+))?$/.exec(u.pathname);
      if (!m || m[1] !== zone.id) return fail(res, 404, 7003, 'Could not route to /zones/…, perhaps your object identifier is invalid?');
      const recordId = m[2];
      if (req.method === 'GET' && !recordId) {
        const name = u.searchParams.get('name');
        const type = u.searchParams.get('type');
        return page(res, records.filter((r) => (name === null || r.name === name) && (type === null || r.type === type)).map(view), u.searchParams);
      }
      if ((req.method === 'POST' && !recordId) || (req.method === 'PUT' && recordId)) {
        const b = await body(req);
        const name = String(b['name'] ?? '');
        const type = String(b['type'] ?? '');
        const content = String(b['content'] ?? '');
        const ttl = Number(b['ttl'] ?? 1);
        if (!name || !['A', 'CNAME'].includes(type) || !content) return fail(res, 400, 9000, 'DNS name, type and content are required.');
        if (ttl !== 1 && (ttl < 60 || ttl > 86400)) return fail(res, 400, 9000, 'TTL must be between 60 and 86400 seconds, or 1 for Automatic.');
        if (clash(name, type, recordId)) return fail(res, 400, 81053, 'An A, AAAA, or CNAME record with that host already exists.');
        const rec: StandInRecord = { id: recordId ?? newId(), zone_id: zone.id, name, type, content, ttl, proxied: b['proxied'] === true, ...(typeof b['comment'] === 'string' ? { comment: b['comment'] } : {}) };
        if (recordId) {
          const i = records.findIndex((r) => r.id === recordId);
          if (i < 0) return fail(res, 404, 81044, 'Record does not exist.');
          records[i] = rec;
        } else records.push(rec);
        return ok(res, view(rec));
      }
      return fail(res, 405, 10000, 'Method not allowed');
    })();
  });
  await new Promise<void>((r) => server.listen(o.port ?? 0, o.host ?? '127.0.0.1', () => r()));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://${o.host ?? '127.0.0.1'}:${port}`,
    zone: { id: zone.id, name: o.zone },
    records,
    requests,
    get refused() {
      return state.refused;
    },
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
