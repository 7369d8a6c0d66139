import { natPmpExternalAddress } from '../../hardware/bench/nat-pmp.js';
import { findIgd, upnpExternalAddress } from '../../hardware/bench/upnp-igd.js';

export interface RouterAsk {
  gateway: string | null;
  /** NAT-PMP's UDP port on the gateway (RFC 6886: 5351); tests move it. */
  natPmpPort?: number;
  /** Where SSDP M-SEARCH goes: the multicast group on a real LAN. */
  ssdp?: { address: string; port: number };
  signal: AbortSignal;
}

export type RouterAddress = { ok: true; address: string; via: 'nat-pmp' | 'upnp' } | { ok: false; tried: string[] };

/**
 * The router's own outside (WAN) address: NAT-PMP's public-address request (RFC 6886 §3.2,
 * opcode 0) first, then UPnP IGD `GetExternalIPAddress`. Both ask only the local router.
 */
export async function routerAddress(o: RouterAsk): Promise<RouterAddress> {
  const tried: string[] = [];
  if (o.gateway) {
    const pmp = await natPmpExternalAddress({ gateway: o.gateway, ...(o.natPmpPort ? { port: o.natPmpPort } : {}), signal: o.signal });
    if (pmp.state === 'ok' && pmp.externalAddress) return { ok: true, address: pmp.externalAddress, via: 'nat-pmp' };
    tried.push(`NAT-PMP: ${pmp.message}`);
  } else {
    tried.push('NAT-PMP: the router\u2019s address (default gateway) is not known');
  }
  // Cancelled (the public address showed there is no router to ask): stop before discovery, whose wait would not notice.
  if (o.signal.aborted) return { ok: false, tried: [...tried, 'UPnP: not asked'] };
  const igd = await findIgd({ ...(o.ssdp ? { address: o.ssdp.address, port: o.ssdp.port } : {}), signal: o.signal });
  if (!igd.ok) {
    tried.push(`UPnP: ${igd.message}`);
    return { ok: false, tried };
  }
  const ip = await upnpExternalAddress(igd.service, o.signal);
  if (ip) return { ok: true, address: ip, via: 'upnp' };
  tried.push(`UPnP: ${igd.service.name} did not say its outside address`);
  return { ok: false, tried };
}
