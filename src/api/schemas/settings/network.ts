import { z } from 'zod';
import { RelaySettings } from './network-relay.js';

/** Empty = off; otherwise an http(s) URL. */
const OptionalUrl = z.string().regex(/^$|^https?:\/\/\S+$/i, 'an http:// or https:// address, or empty to turn this off');
/** `ip` or `ip:port` of a DNS server. */
const DnsServer = z.string().regex(/^\d{1,3}(\.\d{1,3}){3}(:\d{1,5})?$/, 'a DNS server as ip or ip:port, e.g. 1.1.1.1');

export const NetworkDnsSettings = z
  .object({
    /** Cloudflare API v4 base. Only tests and proxies change it. */
    cloudflareApiUrl: z.string().regex(/^https?:\/\/\S+$/i, 'an http:// or https:// address').default('https://api.cloudflare.com/client/v4'),
    /**
     * `cname`: `*.ingress.<domain>` is a CNAME to `provider.<domain>`, so a new address changes
     * one record and the wildcard follows. `a`: both are A records (for DNS hosts that refuse a
     * wildcard CNAME).
     */
    ingress: z.enum(['cname', 'a']).default('cname'),
    /** Seconds resolvers may keep an answer; short because a home address changes. */
    ttl: z.number().int().min(60).max(86_400).default(300),
    /** The DNS server asked when checking the records resolve (a public resolver, not the router's cache). */
    resolver: DnsServer.default('1.1.1.1'),
    /** Seconds between public-address checks of the dynamic-DNS loop; at least 5 minutes. */
    pollSec: z.number().int().min(300).max(86_400).default(300),
  })
  .strict();

export const NetworkSettings = z
  .object({
    /**
     * Where this computer's public address is asked. Empty: the outside probe's `/whoami`
     * (next to bench.network.portProbeUrl), then bench.network.publicIpUrl.
     */
    whoamiUrl: OptionalUrl.default(''),
    dns: NetworkDnsSettings.prefault({}),
    /** The relay through the user's own server (src/provider/network/README-relay.md). */
    relay: RelaySettings.prefault({}),
  })
  .strict();
export type NetworkSettings = z.infer<typeof NetworkSettings>;
