import type { DnsStatus, NetworkReport } from '../../api/schemas/network.js';

const KIND: Record<NetworkReport['kind'], string> = { direct: 'direct public address', nat: 'behind one router (NAT)', double_nat: 'behind two routers (double NAT)', cgnat: 'carrier-grade NAT', unknown: 'unknown' };
const PATH: Record<NetworkReport['path'], string> = {
  direct: 'direct: tenants reach this computer at its own address',
  port_forwarding: 'port forwarding: the router forwards 80, 443, 8443, 8444 here (`riglease ports map` asks it over UPnP / NAT-PMP)',
  relay: 'relay: a small server with a public address carries the traffic here (`riglease relay`)',
  unknown: 'not decided: see below',
};

export function formatNetworkReport(r: NetworkReport): string {
  const lines = [
    r.headline,
    '',
    `  network         ${KIND[r.kind]}`,
    `  this computer   ${r.local.address ?? 'unknown'}${r.local.interfaceName ? ` (${r.local.interfaceName}, ${r.local.range})` : ''}`,
    `  router          ${r.router.gateway ?? 'unknown'}${r.router.wanAddress ? `, outside address ${r.router.wanAddress} (${r.router.range}, via ${r.router.via})` : ', outside address not read'}`,
    `  public address  ${r.public.address ?? 'not read'}${r.public.source ? ` (from ${r.public.source})` : ''}`,
    `  path            ${PATH[r.path]}`,
    '',
    ...r.explanation,
  ];
  if (r.unread.length > 0) lines.push('', 'Could not be read:', ...r.unread.map((u) => `  - ${u}`));
  return lines.join('\n');
}

export function formatDnsStatus(d: DnsStatus): string {
  const lines = [d.message, ''];
  for (const r of d.records) {
    lines.push(`  ${r.verified ? 'ok ' : '-- '} ${r.name}  ${r.type}  ${r.content}  TTL ${r.ttl}  [${r.state}]`);
    lines.push(`       ${r.detail}`);
  }
  lines.push('', `  resolver ${d.resolver}${d.zone ? ` · Cloudflare zone ${d.zone}` : ''} · token ${d.tokenSet ? 'saved' : 'not saved'}`);
  return lines.join('\n');
}
