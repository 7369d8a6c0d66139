import type { DnsRecordStatus } from '../../api/schemas/network.js';

export interface PlannedRecord {
  name: string;
  type: 'A' | 'CNAME';
  content: string;
  ttl: number;
}

/**
 * The two records a provider needs (AKASH.md: the gateway is provider.<domain>, tenant hosts are
 * under ingress.<domain>). With `cname`, the wildcard points at provider.<domain>, so an address
 * change touches one record and the two can never disagree; `a` writes the address twice.
 */
export function plannedRecords(domain: string, address: string, ingress: 'cname' | 'a', ttl: number): PlannedRecord[] {
  const d = domain.trim().toLowerCase().replace(/\.$/, '');
  const provider = `provider.${d}`;
  return [
    { name: provider, type: 'A', content: address, ttl },
    ingress === 'cname' ? { name: `*.ingress.${d}`, type: 'CNAME', content: provider, ttl } : { name: `*.ingress.${d}`, type: 'A', content: address, ttl },
  ];
}

/** A status line before anything is asked: the DNS host unknown, not resolved yet. */
export function unknownStatus(r: PlannedRecord, detail: string): DnsRecordStatus {
  return { ...r, state: 'unknown', current: null, resolved: null, verified: false, detail };
}

/** The name a resolver is asked to check a wildcard: any label under it must answer. */
export function probeName(name: string): string {
  return name.startsWith('*.') ? `riglease-check.${name.slice(2)}` : name;
}
