import { z } from 'zod';

const Ipv4 = z.string().regex(/^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}$/, 'an IPv4 address such as 203.0.113.7');
/** WireGuard's key format: 32 bytes in standard base64 (44 characters ending in '='). */
export const WgPublicKey = z.string().regex(/^[A-Za-z0-9+/]{42}[AEIMQUYcgkosw048]=$/, 'a WireGuard public key (44 base64 characters)');
const HostPort = z
  .string()
  .regex(/^$|^[a-z0-9]([a-z0-9.-]{0,251}[a-z0-9])?:\d{1,5}$/i, 'your server\u2019s address and WireGuard port, such as 203.0.113.7:51820')
  .refine((v) => v === '' || Number(v.split(':')[1]) <= 65535, 'the port must be 1–65535');

/**
 * The relay: the user's own small server with a public address, joined to this rig by
 * WireGuard, forwarding the provider's ports to it. Public keys live here; both private keys
 * live in the secret store (relay-service.ts).
 */
export const RelaySettings = z
  .object({
    /** Keep the tunnel up while RigLease runs; `riglease relay up|down` switch it. */
    enabled: z.boolean().default(false),
    /** The server's public address (or name) and WireGuard port; empty until `relay init`. */
    endpoint: HostPort.default(''),
    /**
     * The address tenants and DNS records use, when it differs from the endpoint's host (the
     * endpoint is a name, or the server has a second address). Empty: the endpoint's host.
     */
    publicAddress: z.union([z.literal(''), Ipv4]).default(''),
    /**
     * The tunnel's two addresses, from the shared address space 100.64.0.0/10 rather than a
     * private range: home LANs, Docker (172.17.0.0/16 and up) and k3s (10.42/10.43) already use
     * the private ranges, and a clash would send the provider's replies to the wrong place.
     * Behind carrier-grade NAT the 100.64 addresses live on the router's outside, never on this
     * computer, so routing a /30 of them here collides with nothing the rig routes.
     */
    relayAddress: Ipv4.default('100.88.13.1'),
    rigAddress: Ipv4.default('100.88.13.2'),
    /** Prefix length of the tunnel subnet; /30 holds exactly the two ends. */
    prefixLength: z.number().int().min(16).max(30).default(30),
    /** The WireGuard interface on this computer (and on the server). At most 15 characters, Linux's limit. */
    interfaceName: z.string().regex(/^[a-zA-Z0-9_=+.-]{1,15}$/, 'at most 15 letters, digits or _=+.-').default('riglease0'),
    /**
     * Seconds between keepalives from this side. Carrier-grade NAT forgets an idle UDP mapping
     * within a minute or two; 25 s is the value wg(8) suggests for peers behind NAT.
     */
    keepaliveSec: z.number().int().min(10).max(120).default(25),
    /** WireGuard's MTU; 1420 is wg-quick's default for IPv4 paths with 1500-byte links. */
    mtu: z.number().int().min(1280).max(1500).default(1420),
    rigPublicKey: z.union([z.literal(''), WgPublicKey]).default(''),
    relayPublicKey: z.union([z.literal(''), WgPublicKey]).default(''),
  })
  .strict();
export type RelaySettings = z.infer<typeof RelaySettings>;
