import type { PortsBench } from '../../api/schemas/bench.js';
import type { DnsStatus, Reachability } from '../../api/schemas/network.js';

/**
 * The outside verdict from the two checks. Reachable only when the probe connected to every
 * provider port and both names resolve to the public address; a check that could not run
 * (no probe, no domain, no resolver answer) is never counted as passed.
 */
export function reachabilityVerdict(ports: PortsBench, dns: DnsStatus | null, dnsError: string | null, now = new Date()): Reachability {
  const reasons: string[] = [];
  const closed = ports.ports.filter((p) => p.state === 'closed');
  const untested = ports.ports.filter((p) => p.state === 'not_tested');
  if (closed.length > 0) reasons.push(`Ports ${closed.map((p) => p.port).join(', ')} cannot be reached from the internet. ${ports.advice.join(' ')}`.trim());
  if (untested.length > 0) reasons.push(`Ports ${untested.map((p) => p.port).join(', ')} were not checked from outside (${ports.reason}).`);
  if (dnsError) reasons.push(dnsError);
  else if (dns && !dns.verified) reasons.push(`${dns.message} ${dns.records.filter((r) => !r.verified).map((r) => r.detail).join(' ')}`.trim());
  const verified = reasons.length === 0 && dns !== null && dns.verified;
  const failedCheck = closed.length > 0 || (dns !== null && !dns.verified && dns.records.some((r) => r.resolved !== null));
  const state = verified ? 'reachable' : failedCheck ? 'unreachable' : 'unchecked';
  const headline = verified
    ? `Tenants can reach this rig: ports ${ports.ports.map((p) => p.port).join(', ')} answer from outside and provider.${dns.domain} resolves to ${dns.publicAddress}.`
    : state === 'unreachable'
      ? 'Tenants cannot reach this rig yet, so it cannot earn.'
      : 'It is not yet proven that tenants can reach this rig.';
  return { verified, state, headline, reasons, ports, dns, checkedAt: now.toISOString() };
}
