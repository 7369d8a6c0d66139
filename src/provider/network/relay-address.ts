import type { RelaySettings } from '../../api/schemas/settings/network-relay.js';

const IPV4 = /^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}$/;

/** The endpoint's host part ("203.0.113.7:51820" → "203.0.113.7"); '' when none is set. */
export function endpointHost(endpoint: string): string {
  const i = endpoint.lastIndexOf(':');
  return i < 0 ? endpoint : endpoint.slice(0, i);
}

export function endpointPort(endpoint: string): number {
  return Number(endpoint.slice(endpoint.lastIndexOf(':') + 1));
}

/**
 * The IPv4 address tenants reach this provider at while the relay is on: what the provider's
 * host URI and the DNS records (provider.<domain>, *.ingress.<domain>) must point at instead of
 * the home connection's address. `network.relay.publicAddress` when set, else the endpoint's
 * host when it is an address. Null: the relay is off, or its endpoint is a name and no address
 * was given (a DNS A record needs an address; set network.relay.publicAddress).
 */
export function relayPublicAddress(relay: RelaySettings): string | null {
  if (!relay.enabled || relay.endpoint === '') return null;
  if (relay.publicAddress !== '') return relay.publicAddress;
  const host = endpointHost(relay.endpoint);
  return IPV4.test(host) ? host : null;
}
