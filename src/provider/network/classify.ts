import type { AddressRange, NetworkKind, NetworkPath } from '../../api/schemas/network.js';

/** What detection read; null = could not be read. */
export interface NetworkFacts {
  local: { address: string | null; range: AddressRange };
  router: { wanAddress: string | null; range: AddressRange };
  publicAddress: string | null;
}

export interface NetworkVerdict {
  kind: NetworkKind;
  path: NetworkPath;
  headline: string;
  explanation: string[];
}

const PATH: Record<NetworkKind, NetworkPath> = { direct: 'direct', nat: 'port_forwarding', double_nat: 'relay', cgnat: 'relay', unknown: 'unknown' };

const verdict = (kind: NetworkKind, headline: string, explanation: string[]): NetworkVerdict => ({ kind, path: PATH[kind], headline, explanation });

/**
 * From the three addresses to a verdict:
 * - this computer's address is the public one → direct;
 * - this computer (or the router's outside) is in 100.64.0.0/10 (RFC 6598) → carrier-grade NAT;
 * - the router's outside address is the public one → one router (NAT): forward the ports;
 * - the router's outside address is private → a second router in front of it (double NAT);
 * - the router's outside address is public-looking but not what the internet sees → the
 *   internet provider translates again (carrier-grade NAT with addresses outside 100.64/10).
 * Anything that cannot be decided from what was read is unknown, never a guess.
 */
export function classifyNetwork(f: NetworkFacts): NetworkVerdict {
  const local = f.local.address;
  const pub = f.publicAddress;
  const wan = f.router.wanAddress;
  if (!local) return verdict('unknown', 'This computer\u2019s network address could not be read.', ['Check that the computer is connected, then check again.']);
  if (pub && local === pub) {
    return verdict('direct', `This computer has the public address ${pub} itself.`, [
      `Tenants reach it at ${pub} directly; only this computer\u2019s firewall decides what gets in. Allow incoming TCP 80, 443, 8443 and 8444.`,
    ]);
  }
  if (f.local.range === 'cgnat') {
    return verdict('cgnat', 'Your internet provider shares one public address among many homes (carrier-grade NAT), so no port can be opened to this PC.', [
      `This computer\u2019s address ${local} is in 100.64.0.0/10, the range set aside for carrier-grade NAT (RFC 6598).`,
      'Use the RigLease relay, or ask your internet provider for a public IPv4 address.',
    ]);
  }
  if (wan && f.router.range === 'cgnat') {
    return verdict('cgnat', 'Your internet provider shares one public address among many homes (carrier-grade NAT), so no port can be opened to this PC.', [
      `Your router\u2019s outside address ${wan} is in 100.64.0.0/10, the range set aside for carrier-grade NAT (RFC 6598)${pub ? `; the internet sees ${pub}` : ''}.`,
      'Forwarding a port on your router cannot help: the provider\u2019s own NAT drops the connection first. Use the RigLease relay, or ask your internet provider for a public IPv4 address.',
    ]);
  }
  if (!pub) {
    const what = wan ? `Your router says its outside address is ${wan}, but` : 'The router did not say its outside address, and';
    return verdict('unknown', 'It could not be checked how the internet sees this computer.', [
      `This computer is ${local} on your home network. ${what} the public address could not be read from outside, so it is not known whether a forwarded port would work.`,
      'Set an outside check (a `riglease probe-server` someone runs for you) and check again.',
    ]);
  }
  if (!wan) {
    return verdict('unknown', `The internet sees this network as ${pub}, but the router did not say its own outside address.`, [
      `This computer is ${local} behind a router. The router answers neither UPnP nor NAT-PMP, so it cannot be told whether it alone stands between this computer and the internet.`,
      `Forward TCP 80, 443, 8443 and 8444 in the router to ${local} by hand, then run the outside check: if the ports open, this is ordinary NAT. If they stay closed, there is a second router or carrier-grade NAT, and the relay is the way.`,
    ]);
  }
  if (wan === pub) {
    return verdict('nat', `Your router shares the public address ${pub} with this computer (${local}); ports can be forwarded.`, [
      `The router\u2019s outside address ${wan} is the one the internet sees, so it alone stands in between. Forward TCP 80, 443, 8443 and 8444 to ${local} (RigLease can ask the router over UPnP or NAT-PMP).`,
    ]);
  }
  if (f.router.range === 'private') {
    return verdict('double_nat', 'There are two routers between this computer and the internet (double NAT), so forwarding on your router alone cannot work.', [
      `Your router\u2019s outside address ${wan} is itself a private address: another router (often the internet provider\u2019s modem) translates again to ${pub}.`,
      'Either put the provider\u2019s modem in bridge mode (then your router gets the public address), forward the ports on both routers, or use the RigLease relay.',
    ]);
  }
  return verdict('cgnat', 'Your internet provider shares one public address among many homes (carrier-grade NAT), so no port can be opened to this PC.', [
    `Your router\u2019s outside address is ${wan}, but the internet sees ${pub}: your internet provider translates the address again.`,
    'Use the RigLease relay, or ask your internet provider for a public IPv4 address.',
  ]);
}
