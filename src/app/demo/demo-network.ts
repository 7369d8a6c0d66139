import type { Handlers } from '../../api/dispatch.js';
import type { DnsStatus, NetworkReport, Reachability } from '../../api/schemas/network.js';
import { DEMO_BANNER, demoRefusal } from './demo-handlers.js';

/**
 * Demo mode's network: a simulated home behind one router (documentation addresses only), its
 * records in place and the outside check passed, so the walk can reach "providing" without
 * asking any real router, probe, DNS host or resolver. Every text says it is simulated.
 */
const PUBLIC = '203.0.113.7';
const now = () => new Date().toISOString();

function demoReport(): NetworkReport {
  return {
    kind: 'nat',
    path: 'port_forwarding',
    headline: `Demo (simulated): your router shares the public address ${PUBLIC} with this computer (192.168.1.50); ports can be forwarded.`,
    explanation: [DEMO_BANNER],
    unread: [],
    local: { interfaceName: 'eth0', address: '192.168.1.50', range: 'private' },
    router: { gateway: '192.168.1.1', wanAddress: PUBLIC, range: 'public', via: 'upnp' },
    public: { address: PUBLIC, via: 'probe', source: 'demo' },
    checkedAt: now(),
  };
}

function demoDns(domain: string): DnsStatus {
  const rec = (name: string, type: 'A' | 'CNAME', content: string) => ({ name, type, content, ttl: 300, state: 'ok' as const, current: `${type} ${content}`, resolved: [PUBLIC], verified: true, detail: 'Demo (simulated).' });
  return {
    domain,
    publicAddress: PUBLIC,
    tokenSet: false,
    zone: null,
    resolver: 'demo',
    records: [rec(`provider.${domain}`, 'A', PUBLIC), rec(`*.ingress.${domain}`, 'CNAME', `provider.${domain}`)],
    verified: true,
    message: `Demo (simulated): provider.${domain} and *.ingress.${domain} resolve to ${PUBLIC}.`,
    checkedAt: now(),
  };
}

function demoReachability(domain: string): Reachability {
  return {
    verified: true,
    state: 'reachable',
    headline: `Demo (simulated): tenants can reach this rig at ${PUBLIC}; no real check was made.`,
    reasons: [],
    ports: {
      probeUrl: null,
      tested: true,
      reason: 'demo (simulated)',
      ports: [80, 443, 8443, 8444].map((port) => ({ port, purpose: 'provider port', state: 'open' as const, detail: 'Demo (simulated).', probe: 'open' as const, ms: 12 })),
      advice: [],
    },
    dns: demoDns(domain),
    checkedAt: now(),
  };
}

export function demoNetworkHandlers(domain: () => Promise<string>): Pick<Handlers, 'network.detect' | 'network.dnsStatus' | 'network.dnsSync' | 'network.setDnsToken' | 'network.reachability'> {
  const d = async () => (await domain()) || 'demo.riglease.invalid';
  return {
    'network.detect': async () => demoReport(),
    'network.dnsStatus': async () => demoDns(await d()),
    'network.dnsSync': async () => demoDns(await d()),
    'network.setDnsToken': async () => {
      throw demoRefusal('Saving a Cloudflare token');
    },
    'network.reachability': async () => demoReachability(await d()),
  };
}
