import { z } from 'zod';
import { RelaySettings } from './settings/network-relay.js';

export const RelayInitInput = z
  .object({
    /** Your server's public address (or name) and the WireGuard port, e.g. 203.0.113.7:51820. */
    endpoint: RelaySettings.shape.endpoint.unwrap().refine((v) => v !== '', 'your server\u2019s address and port, such as 203.0.113.7:51820'),
    /** When tenants must use another address than the endpoint's host (a name, or a second address). */
    publicAddress: RelaySettings.shape.publicAddress.unwrap().optional(),
    /** Make new key pairs even when some exist (the server must then run the new setup script). */
    newKeys: z.boolean().default(false),
  })
  .strict();
export type RelayInitInput = z.infer<typeof RelayInitInput>;

export const RelayInfo = z.object({
  endpoint: z.string(),
  publicAddress: z.string().nullable(),
  rigPublicKey: z.string(),
  relayPublicKey: z.string(),
  rigAddress: z.string(),
  relayAddress: z.string(),
  /** True when this call made the key pairs (the server needs the setup script again). */
  newKeys: z.boolean(),
});
export type RelayInfo = z.infer<typeof RelayInfo>;

export const RelayForwardView = z.object({
  protocol: z.enum(['tcp', 'udp']),
  publicPort: z.number().int(),
  count: z.number().int(),
  rigPort: z.number().int(),
  purpose: z.string(),
});

export const RelaySetupScript = z.object({
  /** The bash script (run as root on your server). Holds the server's private key. */
  bash: z.string(),
  /** The same, as cloud-init user-data for a new server. */
  cloudInit: z.string(),
  /** One command that pipes the script to the server over ssh (stdin, never argv). */
  ssh: z.string(),
  forwards: z.array(RelayForwardView),
  warning: z.string(),
});
export type RelaySetupScript = z.infer<typeof RelaySetupScript>;

export const RelayState = z.enum(['off', 'not_set_up', 'starting', 'up', 'down', 'error']);
export type RelayState = z.infer<typeof RelayState>;

export const RelayPortCheck = z.object({
  protocol: z.literal('tcp'),
  port: z.number().int(),
  state: z.enum(['open', 'closed', 'filtered']),
  ms: z.number(),
});

export const RelayStatus = z.object({
  state: RelayState,
  /** Plain words: what is going on, and when not up, why. */
  text: z.string(),
  fix: z.string().nullable(),
  enabled: z.boolean(),
  endpoint: z.string().nullable(),
  publicAddress: z.string().nullable(),
  tunnel: z.object({
    interfaceName: z.string(),
    mode: z.enum(['kernel', 'userspace']).nullable(),
    rigAddress: z.string(),
    relayAddress: z.string(),
    handshakeAgeSec: z.number().nullable(),
  }),
  /** When the relay last answered through the tunnel, and since when it has not (null while it does). */
  lastAnswerAt: z.string().nullable(),
  failingSince: z.string().nullable(),
  /**
   * The provider's ports tried at the relay's public address from this rig over its home
   * connection — through the internet, the server's firewall, its forwarding and the tunnel
   * back: what a tenant's connection crosses. Null unless asked (`checkPorts`).
   */
  ports: z.array(RelayPortCheck).nullable(),
  checkedAt: z.string(),
});
export type RelayStatus = z.infer<typeof RelayStatus>;

export const RelayStatusInput = z.object({ checkPorts: z.boolean().default(false) }).strict();
