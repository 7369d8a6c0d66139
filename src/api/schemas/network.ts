import { z } from 'zod';
import { PortsBench } from './bench.js';

/** What an IPv4 address is: RFC 1918 private, RFC 6598 shared (carrier-grade NAT), public… */
export const AddressRange = z.enum(['public', 'private', 'cgnat', 'loopback', 'link_local', 'unknown']);
export type AddressRange = z.infer<typeof AddressRange>;

/**
 * direct: this computer has the public address · nat: one home router, ports can be forwarded ·
 * double_nat: a second router translates again · cgnat: the internet provider shares its public
 * address · unknown: something could not be read (`unread` says what).
 */
export const NetworkKind = z.enum(['direct', 'nat', 'double_nat', 'cgnat', 'unknown']);
export type NetworkKind = z.infer<typeof NetworkKind>;

/** How tenants can reach this computer: its own address, a forwarded port, or the relay. */
export const NetworkPath = z.enum(['direct', 'port_forwarding', 'relay', 'unknown']);
export type NetworkPath = z.infer<typeof NetworkPath>;

export const NetworkReport = z.object({
  kind: NetworkKind,
  path: NetworkPath,
  /** One sentence a non-engineer can read. */
  headline: z.string(),
  /** What was seen and what to do, sentence by sentence. */
  explanation: z.array(z.string()),
  /** Each thing that could not be read, and why. */
  unread: z.array(z.string()),
  local: z.object({ interfaceName: z.string().nullable(), address: z.string().nullable(), range: AddressRange }),
  router: z.object({
    gateway: z.string().nullable(),
    /** The router's own outside (WAN) address, as the router says. */
    wanAddress: z.string().nullable(),
    range: AddressRange,
    via: z.enum(['nat-pmp', 'upnp']).nullable(),
  }),
  public: z.object({
    /** The address the internet sees this computer's connections come from. */
    address: z.string().nullable(),
    via: z.enum(['probe', 'url']).nullable(),
    source: z.string().nullable(),
  }),
  checkedAt: z.string(),
});
export type NetworkReport = z.infer<typeof NetworkReport>;

export const DnsRecordType = z.enum(['A', 'CNAME']);

/** One record as it should be, and what DNS says now. */
export const DnsRecordStatus = z.object({
  name: z.string(),
  type: DnsRecordType,
  content: z.string(),
  ttl: z.number().int(),
  /**
   * ok: the DNS host holds it as it should be · created / updated: RigLease just wrote it ·
   * missing / wrong: it has to be created or changed · unknown: the DNS host was not asked (no token).
   */
  state: z.enum(['ok', 'created', 'updated', 'missing', 'wrong', 'unknown']),
  /** What the DNS host holds at that name now (type and value), when asked. */
  current: z.string().nullable(),
  /** What resolving the name gave (IPv4 addresses), or null when it failed. */
  resolved: z.array(z.string()).nullable(),
  /** Resolving gives the public address. */
  verified: z.boolean(),
  detail: z.string(),
});
export type DnsRecordStatus = z.infer<typeof DnsRecordStatus>;

export const DnsStatus = z.object({
  domain: z.string().nullable(),
  publicAddress: z.string().nullable(),
  /** A Cloudflare token is in the secret store (its value never leaves it). */
  tokenSet: z.boolean(),
  zone: z.string().nullable(),
  resolver: z.string(),
  records: z.array(DnsRecordStatus),
  /** Every record resolves to the public address. */
  verified: z.boolean(),
  message: z.string(),
  checkedAt: z.string(),
});
export type DnsStatus = z.infer<typeof DnsStatus>;

export const DnsTokenInput = z
  .object({
    /** A Cloudflare API token with Zone:Read and DNS:Edit on the domain's zone; empty removes it. */
    token: z.string().max(200).regex(/^[A-Za-z0-9_-]*$/, 'a Cloudflare API token (letters, digits, - and _)'),
  })
  .strict();

export const DnsTokenResult = z.object({ tokenSet: z.boolean(), message: z.string() });
export type DnsTokenResult = z.infer<typeof DnsTokenResult>;

/**
 * Whether tenants can reach this rig, checked from outside: every provider port open at the
 * outside probe and both DNS names resolving to the public address. Until `verified`, nothing
 * says "providing".
 */
export const Reachability = z.object({
  verified: z.boolean(),
  /** reachable · unreachable: a check failed · unchecked: something could not be checked (no probe, no domain). */
  state: z.enum(['reachable', 'unreachable', 'unchecked']),
  headline: z.string(),
  /** What is missing, each with what to do. */
  reasons: z.array(z.string()),
  ports: PortsBench,
  dns: DnsStatus.nullable(),
  checkedAt: z.string(),
});
export type Reachability = z.infer<typeof Reachability>;
