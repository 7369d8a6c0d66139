import type { DnsRecordStatus, DnsStatus } from '../../api/schemas/network.js';
import type { CloudflareClient } from './cloudflare-client.js';
import type { CfDnsRecord } from './cloudflare-schema.js';
import { probeName, unknownStatus, type PlannedRecord } from './dns-plan.js';
import { resolveA } from './dns-verify.js';

const COMMENT = 'kept by RigLease (dynamic address)';

function describe(r: CfDnsRecord): string {
  return `${r.type} ${r.content}`;
}

/**
 * Brings one record to what it should be: nothing when it already is (no write, so a poll with
 * an unchanged address never touches Cloudflare's records), PUT over a record of the wrong
 * value or type (A and CNAME cannot share a name), POST when there is none.
 */
async function syncOne(cf: CloudflareClient, zoneId: string, want: PlannedRecord, write: boolean): Promise<DnsRecordStatus> {
  const existing = (await cf.recordsAt(zoneId, want.name)).filter((r) => r.type === 'A' || r.type === 'CNAME' || r.type === 'AAAA');
  const exact = existing.find((r) => r.type === want.type && r.content.toLowerCase() === want.content.toLowerCase());
  const others = existing.filter((r) => r !== exact && r.type !== 'AAAA');
  const base = { ...want, resolved: null, verified: false };
  if (exact && others.length === 0) return { ...base, state: 'ok', current: describe(exact), detail: `Cloudflare holds ${want.name} ${describe(exact)}.` };
  if (exact) {
    return { ...base, state: 'wrong', current: existing.map(describe).join(', '), detail: `${want.name} also has ${others.map(describe).join(', ')}: remove ${others.length === 1 ? 'it' : 'them'} in the Cloudflare dashboard, or tenants are sent there too.` };
  }
  const body = { ...want, proxied: false as const, comment: COMMENT };
  const target = others[0];
  if (!write) {
    return target
      ? { ...base, state: 'wrong', current: others.map(describe).join(', '), detail: `${want.name} is ${describe(target)}; it should be ${want.type} ${want.content}.` }
      : { ...base, state: 'missing', current: null, detail: `${want.name} does not exist; it should be ${want.type} ${want.content}.` };
  }
  if (target) {
    const r = await cf.overwrite(zoneId, target.id, body);
    const extra = others.slice(1);
    const note = extra.length > 0 ? ` ${want.name} also has ${extra.map(describe).join(', ')}: remove ${extra.length === 1 ? 'it' : 'them'} in the Cloudflare dashboard.` : '';
    return { ...base, state: extra.length > 0 ? 'wrong' : 'updated', current: describe(r), detail: `Changed ${want.name} from ${describe(target)} to ${describe(r)}.${note}` };
  }
  const r = await cf.create(zoneId, body);
  return { ...base, state: 'created', current: describe(r), detail: `Created ${want.name} ${describe(r)}.` };
}

export interface SyncInput {
  domain: string;
  publicAddress: string;
  planned: PlannedRecord[];
  resolver: string;
  /** Absent: no token, so nothing is asked of Cloudflare; the records are shown to create by hand. */
  cloudflare?: CloudflareClient;
  /** false: read and compare only. */
  write: boolean;
  now?: Date;
}

/** Compares (and with `write`, fixes) the records, then resolves each name to check it. */
export async function syncDns(i: SyncInput): Promise<DnsStatus> {
  let zone: string | null = null;
  let records: DnsRecordStatus[];
  if (i.cloudflare) {
    const z = await i.cloudflare.findZone(i.domain);
    zone = z.name;
    records = [];
    // One after the other: the CNAME's target is written before the CNAME.
    for (const want of i.planned) records.push(await syncOne(i.cloudflare, z.id, want, i.write));
  } else {
    records = i.planned.map((r) => unknownStatus(r, `Create ${r.name} as ${r.type} ${r.content} (TTL ${r.ttl}, not proxied) at your DNS host.`));
  }
  for (const r of records) {
    const answer = await resolveA(i.resolver, probeName(r.name));
    r.resolved = answer.addresses;
    r.verified = answer.addresses !== null && answer.addresses.length === 1 && answer.addresses[0] === i.publicAddress;
    if (!r.verified) r.detail += answer.addresses ? ` ${i.resolver} answers ${answer.addresses.join(', ')}, not ${i.publicAddress}${r.state === 'created' || r.state === 'updated' ? ' yet (resolvers keep old answers up to the TTL)' : ''}.` : ` Resolving it at ${i.resolver}: ${answer.error}.`;
  }
  const verified = records.every((r) => r.verified);
  const changed = records.filter((r) => r.state === 'created' || r.state === 'updated').length;
  const message = verified
    ? `provider.${i.domain} and *.ingress.${i.domain} resolve to ${i.publicAddress}.`
    : i.cloudflare
      ? `${changed > 0 ? `${changed} record(s) written. ` : ''}Not every name resolves to ${i.publicAddress} yet.`
      : `Create these records at your DNS host (or save a Cloudflare token and RigLease keeps them right), then check again.`;
  return { domain: i.domain, publicAddress: i.publicAddress, tokenSet: i.cloudflare !== undefined, zone, resolver: i.resolver, records, verified, message, checkedAt: (i.now ?? new Date()).toISOString() };
}
