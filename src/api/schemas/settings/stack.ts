import { z } from 'zod';
import { PrivateEgressCidr } from './private-egress.js';

const Port = z.number().int().min(1).max(65535);
/** An image reference: `repo[:tag][@sha256:…]`. Empty means "use the pinned default" (images.ts). */
const ImageRef = z.string().regex(/^$|^[a-z0-9][a-z0-9._\-/:@]*$/i, 'an image reference such as registry/name:tag or name@sha256:…');

/**
 * Every image the stack uses can be overridden (private mirror, air-gapped farm, tests).
 * Empty string = the pinned default from src/provider/stack/images.ts.
 */
export const StackImages = z
  .object({
    k3s: ImageRef.default(''),
    provider: ImageRef.default(''),
    devicePlugin: ImageRef.default(''),
    /** NGINX Gateway Fabric control plane. */
    gatewayController: ImageRef.default(''),
    /** NGINX Gateway Fabric's nginx (the data plane on ports 80/443/8443/8444). */
    gatewayNginx: ImageRef.default(''),
  })
  .strict();

export const StackPorts = z
  .object({
    /** Host port → container 80 (tenant HTTP ingress). */
    http: Port.default(80),
    /** Host port → container 443 (tenant HTTPS ingress). */
    https: Port.default(443),
    /**
     * Host port → container 8443 (provider gateway: manifests, lease status). The PUBLIC port is
     * always 8443: Akash's provider chart registers `https://provider.<domain>:8443` on chain at
     * every start (create_provider.sh, no value for the port). Another host port works only when
     * the router sends public 8443 to it, which RigLease's router mapping does (bench-ports.ts);
     * a forward made by hand must do the same. The planner says so when this is not 8443.
     */
    gateway: Port.default(8443),
    /** Host port → container 8444 (provider gRPC); public port 8444, as for `gateway`. */
    grpc: Port.default(8444),
    /**
     * NodePort range, published 1:1 (a tenant is told the node port number itself).
     * Kept small on purpose: Docker starts one proxy per published port, and publishing the full
     * 30000-32767 range (2767 ports) makes container create/start take minutes and uses a lot of
     * memory. 100 ports is plenty for a single PC. `count: 0` publishes none.
     */
    nodePortStart: Port.default(30000),
    nodePortCount: z.number().int().min(0).max(2768).default(100),
  })
  .strict();

export const StackAttribute = z.object({ key: z.string().min(1).max(128), value: z.string().max(256) }).strict();

export const StackSettings = z
  .object({
    images: StackImages.prefault({}),
    /** GPUs handed to k3s: `'all'` or a list of UUIDs from the hardware scan. An empty list = CPU only. */
    gpus: z.union([z.literal('all'), z.array(z.string().min(1))]).default('all'),
    ports: StackPorts.prefault({}),
    /** Provider domain: the gateway becomes `provider.<domain>`, tenant hosts `*.ingress.<domain>`. */
    domain: z.string().regex(/^$|^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$/i, 'a domain such as example.com').default(''),
    chainId: z.string().min(1).default('akashnet-2'),
    /** CometBFT RPC the provider talks to (Akash asks real providers to run their own). */
    rpcNode: z.string().url().default('https://akash-rpc.polkachu.com:443'),
    /** Provider attributes published on chain (AKASH.md §4); GPU capability keys are added from the scan. */
    attributes: z.array(StackAttribute).default([
      { key: 'host', value: 'akash' },
      { key: 'tier', value: 'community' },
      { key: 'location-type', value: 'home' },
    ]),
    /**
     * The provider's contact email: published on chain and given to Let's Encrypt for the
     * provider's certificate. The provider chart is not planned without one (manifests.ts).
     */
    email: z.string().default(''),
    website: z.string().default(''),
    /** Names of every Docker object start with this, so several stacks (and tests) never collide. */
    namePrefix: z.string().regex(/^[a-z][a-z0-9-]{0,30}$/, 'lower-case letters, digits and dashes').default('riglease'),
    restartPolicy: z.enum(['unless-stopped', 'always', 'on-failure', 'no']).default('unless-stopped'),
    /**
     * How tenant traffic enters: Gateway API with NGINX Gateway Fabric, Akash's own current path
     * (provider-playbooks). The older `ingress-nginx` value is migrated to it (settings-migrations.ts).
     */
    ingress: z.enum(['gateway-api']).default('gateway-api'),
    /** DNS servers k3s hands to pods; public ones, because pods may not reach the home LAN. */
    dnsServers: z.array(z.string().regex(/^[0-9a-f.:]+$/i)).min(1).default(['1.1.1.1', '8.8.8.8']),
    /**
     * Private IPv4 ranges pods may still reach (e.g. your own RPC node on the LAN). Empty = none.
     * Each is narrower than /16 with no host bits (private-egress.ts); adding one needs the
     * person's confirmation (settings.set `confirm`), because it opens that range to every tenant.
     */
    allowPrivateEgress: z.array(PrivateEgressCidr).max(32).default([]),
    /** Free space Docker's data root must have before `up` creates anything. */
    minFreeDiskGiB: z.number().min(0).default(20),
    /**
     * AEP-82 notice window, in hours (1..720, the market's bounds), or null = none (the default).
     * A window is a PROMISE TO TENANTS: every lease won while it is set may be ended by you only
     * after giving that much notice — you cannot take the GPU back sooner, even to play a game.
     * With a window the provider can also win orders that require one; without, leases cannot be
     * reclaimed politely. It applies to new bids (the chart's `reclamationWindow`), not to running leases.
     */
    reclamationWindowHours: z.number().int('a whole number of hours').min(1, 'at least 1 hour (the chain’s minimum notice window)').max(720, 'at most 720 hours (30 days, the chain’s maximum)').nullable().default(null),
    /**
     * The token each bid's deposit is paid in: `uakt` (AKT, upstream's default: provider
     * `--bid-deposit` = DefaultBidMinDeposit, chart `bidmindeposit: "500000uakt"`) or `uact` (ACT,
     * accepted since BME: market param `bid_min_deposits` lists both). The deposit is held while a
     * bid is open and returned when it closes; the wallet must hold it in this token.
     */
    bidDepositDenom: z.enum(['uakt', 'uact']).default('uakt'),
    /** How long `up` waits for the k3s API before reporting "not answering yet". */
    readyTimeoutSec: z.number().int().min(0).max(1800).default(300),
  })
  .strict();
export type StackSettings = z.infer<typeof StackSettings>;
