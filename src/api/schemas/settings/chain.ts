import { z } from 'zod';

const RpcUrl = z.string().url().refine((u) => /^https?:\/\//.test(u), 'an RPC endpoint is an http(s) URL');

/**
 * Public CometBFT RPC endpoints, tried in order. `akash-rpc.polkachu.com` is the helm chart's
 * default node (AKASH.md §7); `rpc.akashnet.net` is Akash's own public RPC (unconfirmed: not read
 * from an official file here). The sandbox endpoint is unconfirmed too (AKASH.md §2).
 */
export const DEFAULT_RPC = {
  mainnet: ['https://rpc.akashnet.net:443', 'https://akash-rpc.polkachu.com:443'],
  sandbox: ['https://rpc.sandbox-01.aksh.pw:443'],
} as const;

export const ProviderProfileSettings = z
  .object({
    /**
     * The provider's gateway, `https://provider.<domain>:8443` (AKASH.md §3). Port 8443 only: the
     * provider chart's create_provider.sh registers `https://provider.<domain>:8443` at every
     * start (akash-network/helm-charts charts/akash-provider/scripts/create_provider.sh @f3d8d46,
     * no value changes the port), so any other port would be reverted on chain.
     */
    hostUri: z
      .string()
      .url()
      .refine((u) => /^https:\/\/[^/:]+:8443\/?$/i.test(u), "the provider's address must be https://<host>:8443: Akash's provider chart registers port 8443 at every start and would undo any other")
      .nullable()
      .default(null),
    email: z.string().max(128).default(''),
    website: z.string().max(256).default(''),
    /**
     * UN-geoscheme region code, e.g. `eu-central`, `na-us-west`, `caribbean` (AKASH.md §4; the
     * Console's list is src/api/regions). A code outside that list is saved but warned about.
     */
    locationRegion: z.string().regex(/^[a-z]{2,}(-[a-z0-9]+)*$/).nullable().default(null),
    /** ISO 3166 alpha-2. */
    country: z.string().regex(/^[A-Z]{2}$/).nullable().default(null),
    city: z.string().regex(/^[A-Z]{3}$/).nullable().default(null),
    locationType: z.enum(['home', 'office', 'datacenter', 'colo', 'mix']).default('home'),
    organization: z.string().max(128).default(''),
    /** `capabilities/memory` (required by Akash): the OS cannot tell the RAM generation, so the user says. */
    memoryType: z.enum(['ddr3', 'ddr4', 'ddr5', 'lpddr4', 'lpddr5']).nullable().default(null),
    /** Persistent storage class offered, if any: beta1 HDD, beta2 SSD, beta3 NVMe. */
    persistentStorageClass: z.enum(['beta1', 'beta2', 'beta3']).nullable().default(null),
    /** Extra attributes the user wants on chain (key → value). */
    extraAttributes: z.record(z.string().regex(/^[a-zA-Z0-9/._-]{1,128}$/), z.string().max(128)).default({}),
  })
  .strict();

export const ChainSettings = z
  .object({
    /** Endpoint lists per network; `RIGLEASE_CHAIN_RPC` (comma separated) overrides them. */
    mainnetRpc: z.array(RpcUrl).min(1).default([...DEFAULT_RPC.mainnet]),
    sandboxRpc: z.array(RpcUrl).min(1).default([...DEFAULT_RPC.sandbox]),
    /** The user's own nodes, tried before the public ones. */
    customRpc: z.array(RpcUrl).default([]),
    /** AKASH.md §2/§5: 0.025uakt, gas adjustment 1.5. */
    gasPrice: z.string().regex(/^\d+(\.\d+)?uakt$/).default('0.025uakt'),
    gasAdjustment: z.number().min(1).max(5).default(1.5),
    requestTimeoutMs: z.number().int().min(1000).max(60_000).default(8000),
    /** How long to wait for a broadcast tx to land in a block before looking it up by hash. */
    txTimeoutMs: z.number().int().min(5000).max(300_000).default(60_000),
    explorerTxUrl: z.string().default('https://www.mintscan.io/akash/tx/{hash}'),
    /**
     * After each withdrawal, convert the ACT it paid to AKT (x/bme MsgBurnACT). Off by default:
     * ACT holds its dollar value and AKT does not, so converting is the user's choice.
     */
    autoConvertAfterWithdraw: z.boolean().default(false),
    provider: ProviderProfileSettings.prefault({}),
  })
  .strict();
export type ChainSettings = z.infer<typeof ChainSettings>;
