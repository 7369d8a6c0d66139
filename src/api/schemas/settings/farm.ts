import { z } from 'zod';

export const FarmSettings = z
  .object({
    /** This machine's name in the farm; empty = its host name. Two machines cannot share one. */
    machineName: z.string().max(50).regex(/^[A-Za-z0-9][A-Za-z0-9.-]*$|^$/, 'letters, digits, dots and dashes').default(''),
    /** The controller's fleet API port (open only while the farm has a pairing secret). */
    fleetPort: z.number().int().min(0).max(65535).default(7879),
    /**
     * Where the fleet API listens. Empty (the default) = the LAN address the join code names
     * (advertiseAddress, else the first private IPv4), so it is not offered on a VPN or a public
     * address; every interface only when no such address is found. `0.0.0.0` = every interface.
     */
    listenHost: z.string().default(''),
    /**
     * The address other machines use for this one (LAN IP or name): the controller's goes into the
     * join code, a member's into its k3s `--node-external-ip`. Empty = found: the interface on the
     * controller's network (a member), else the first private IPv4 that is not a Docker or k3s
     * bridge (provider/farm/lan-address.ts); a member with none is refused until this is set.
     */
    advertiseAddress: z.string().default(''),
    /** The k3s API port on the controller. */
    k3sPort: z.number().int().min(1).max(65535).default(6443),
    /** Member: seconds between heartbeats. */
    heartbeatSec: z.number().int().min(1).max(300).default(15),
    /** Controller: a member silent this long is shown as unreachable (must stay under a minute). */
    unreachableAfterSec: z.number().int().min(3).max(59).default(45),
    /** Host ports of the agent container: kubelet and flannel VXLAN. */
    kubeletPort: z.number().int().min(1).max(65535).default(10250),
    vxlanPort: z.number().int().min(1).max(65535).default(8472),
    /**
     * Host port of flannel's WireGuard (the encrypted pod network between machines). Keep 51820:
     * k3s's peers always send to 51820 (k3s-io/k3s discussion #10784); tests on one engine change it.
     */
    wireguardPort: z.number().int().min(1).max(65535).default(51820),
  })
  .strict();
export type FarmSettings = z.infer<typeof FarmSettings>;
