import type { PortsBench } from '../../api/schemas/bench.js';
import type { DnsStatus, Reachability } from '../../api/schemas/network.js';
import { PROVIDER_PORTS } from '../../hardware/bench/network-bench.js';
import { tcpState } from './relay-health.js';

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

/**
 * The ports check while the relay is on: tenants come in at the relay server, not at this home's
 * address (which the outside probe would try), so each provider port is tried at the relay's
 * public address from here: through the internet, the server's forwarding and the tunnel back,
 * as a tenant's connection goes (the relay's own `status --check-ports` does the same).
 */
export async function relayPortsCheck(relayAddress: string, timeoutMs = 3000): Promise<PortsBench> {
  const ports = await Promise.all(
    PROVIDER_PORTS.map(async (p) => {
      const r = await tcpState(relayAddress, p.port, timeoutMs);
      const where = `${relayAddress}:${p.port}`;
      const detail = r.state === 'open' ? `reachable at the relay ${where} (${Math.round(r.ms)} ms)` : r.state === 'closed' ? `refused at the relay ${where}` : `no answer at the relay ${where} within ${timeoutMs} ms`;
      return { port: p.port, purpose: p.purpose, state: r.state === 'open' ? ('open' as const) : ('closed' as const), detail, probe: r.state, ms: r.ms };
    }),
  );
  const shut = ports.filter((p) => p.state !== 'open');
  return {
    probeUrl: null,
    tested: true,
    reason: `checked at the relay server ${relayAddress}, the way tenants come in`,
    ports,
    advice: shut.length > 0 ? [`The relay does not pass ${shut.map((p) => p.port).join(', ')} through: run \`riglease relay status --check-ports\` for why.`] : [],
  };
}
