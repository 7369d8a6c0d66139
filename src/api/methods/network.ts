import { z } from 'zod';
import { method } from '../method.js';
import { DnsStatus, DnsTokenInput, DnsTokenResult, NetworkReport, Reachability } from '../schemas/network.js';

export const networkMethods = {
  'network.detect': method({
    input: z.object({}).strict(),
    output: NetworkReport,
    summary: 'This computer\u2019s address, the router\u2019s outside address and the public address; direct, NAT, double NAT or carrier-grade NAT, and the path that follows',
  }),
  'network.dnsStatus': method({
    input: z.object({}).strict(),
    output: DnsStatus,
    summary: 'The records provider.<domain> and *.ingress.<domain> should have, what the DNS host holds, and whether they resolve to the public address (changes nothing)',
  }),
  'network.dnsSync': method({
    input: z.object({}).strict(),
    output: DnsStatus,
    summary: 'With the Cloudflare token: create or update the two records on the public address, then check them by resolving',
  }),
  'network.reachability': method({
    input: z.object({ refresh: z.boolean().default(false) }).strict(),
    output: Reachability,
    summary: 'Whether tenants can reach this rig: the provider ports open from outside and the DNS names on the public address (refresh: false gives the last check when there is one)',
  }),
  'network.setDnsToken': method({
    input: DnsTokenInput,
    output: DnsTokenResult,
    summary: 'Keep the Cloudflare API token in the secret store (empty removes it)',
    sensitive: true,
  }),
} as const;
