import { toBech32 } from '@cosmjs/encoding';
import { createHash } from 'node:crypto';

/** Blocks per hour at the 6.117 s average (AKASH.md §2). */
const BLOCKS_PER_HOUR = 3600 / 6.117;
/** Thirty-one days of blocks, so every lease below starts after block 1 and the 30-day chart fills. */
export const DEMO_START_HEIGHT = Math.round(31 * 24 * BLOCKS_PER_HOUR);
export const DEMO_CHAIN_ID = 'riglease-demo-1';

/** A tenant address that parses everywhere (real bech32 checksum), derived from a label. */
export function demoTenant(label: string): string {
  return toBech32('akash', createHash('sha256').update(`riglease demo tenant ${label}`).digest().subarray(0, 20));
}

/**
 * The demo provider's domain (`.invalid` can never resolve): its on-chain record points at it, and
 * the demo's settings carry it too, so the wizard's Network step and the chain agree.
 */
export const DEMO_DOMAIN = 'demo.riglease.invalid';
/** The seeded provider's address, as the stack's chart would publish it for DEMO_DOMAIN. */
export const DEMO_HOST_URI = `https://provider.${DEMO_DOMAIN}:8443`;
/** The demo provider's contact email: the provider chart is planned only with one (stack/manifests.ts). */
export const DEMO_EMAIL = `provider@${DEMO_DOMAIN}`;

const GiB = 1024 ** 3;
const GPU_ATTR = [{ key: 'vendor/nvidia/model/rtx3090/ram/24Gi', value: 'true' }];

/**
 * The three tenants' orders: one renting the RTX 3090 for 12 days, a CPU-only web app, and a
 * CPU-only API backend that started this morning.
 */
export const DEMO_ORDERS = [
  { tenant: 'a', dseq: 18_204_551, name: 'llm-inference', hoursAgo: 12 * 24 + 5, escrowFunds: '1350000000', withdrawn: '61500000', cpuMilli: 8000, memoryBytes: 32 * GiB, storageBytes: 100 * GiB, gpuUnits: 1 },
  { tenant: 'b', dseq: 18_377_020, name: 'web', hoursAgo: 3 * 24 + 2, escrowFunds: '75000000', withdrawn: null, cpuMilli: 2000, memoryBytes: 4 * GiB, storageBytes: 10 * GiB, gpuUnits: 0 },
  { tenant: 'c', dseq: 18_402_117, name: 'api-backend', hoursAgo: 7.5, escrowFunds: '180000000', withdrawn: null, cpuMilli: 4000, memoryBytes: 16 * GiB, storageBytes: 50 * GiB, gpuUnits: 0 },
] as const;
export type DemoOrder = (typeof DEMO_ORDERS)[number];

/**
 * An order as the provider's bid engine hands it to the price script (AKASH.md §6), in ACT: the
 * demo prices each lease with this rig's own bid script, so a lease pays what the Pricing screen
 * says this rig bids.
 */
export function demoBidOrder(o: DemoOrder): Record<string, unknown> {
  return {
    resources: [
      {
        cpu: o.cpuMilli,
        memory: o.memoryBytes,
        gpu: o.gpuUnits > 0 ? { units: o.gpuUnits, attributes: { vendor: { nvidia: { model: 'rtx3090', ram: '24Gi', interface: 'pcie' } } } } : { units: 0 },
        storage: [{ class: 'ephemeral', size: o.storageBytes }],
        count: 1,
        endpoint_quantity: 0,
        ip_lease_quantity: 0,
      },
    ],
    price: { denom: 'uact', amount: '1000000' },
  };
}

/**
 * What the demo's chain holds: the demo wallet funded (AKT for fees, ACT from earlier
 * withdrawals), registered as a provider, and three tenants' leases (DEMO_ORDERS) priced in ACT
 * as on today's Akash (uact since BME; 1 ACT = $1) with escrow, at the per-block prices given
 * (what this rig's bid script asks for each order), so the dashboard has leases, earnings and a
 * history, and a day of open orders. A seed for src/simulation/chain-node's `chain.seed()` (its SeedFile shape).
 */
export function demoSeed(provider: string, pricePerBlock: (o: DemoOrder) => string, height = DEMO_START_HEIGHT): Record<string, unknown> {
  const hoursAgo = (h: number) => Math.max(1, Math.round(height - h * BLOCKS_PER_HOUR));
  return {
    chainId: DEMO_CHAIN_ID,
    height,
    accounts: [{ address: provider, balances: [{ denom: 'uakt', amount: '42500000' }, { denom: 'uact', amount: '61500000' }] }],
    // The oracle's AKT price matches the market fixture's ($1.50), so USD and AKT equivalents agree.
    bme: { aktUsd: '1.5' },
    providers: [
      {
        owner: provider,
        hostUri: DEMO_HOST_URI,
        attributes: [
          { key: 'host', value: 'akash' },
          { key: 'capabilities/gpu/vendor/nvidia/model/rtx3090', value: 'true' },
        ],
      },
    ],
    leases: DEMO_ORDERS.map((o) => ({
      owner: demoTenant(o.tenant),
      dseq: o.dseq,
      provider,
      denom: 'uact',
      pricePerBlock: pricePerBlock(o),
      createdAt: hoursAgo(o.hoursAgo),
      escrowFunds: o.escrowFunds,
      ...(o.withdrawn === null ? {} : { withdrawn: o.withdrawn }),
    })),
    orders: demoOrders(hoursAgo),
    groups: DEMO_ORDERS.map((o) => ({
      owner: demoTenant(o.tenant),
      dseq: o.dseq,
      name: o.name,
      resources: [{ cpuMilli: o.cpuMilli, memoryBytes: o.memoryBytes, storageBytes: o.storageBytes, ...(o.gpuUnits > 0 ? { gpuUnits: o.gpuUnits, gpuAttributes: GPU_ATTR } : {}) }],
    })),
  };
}

/**
 * Open orders of the last day, as tenants post them on today's Akash (uact, 1 ACT = $1): most for
 * the demo rig's RTX 3090 at or above the market, a few below it, two that take any GPU, two
 * without a GPU, and one for an A100 (refused before pricing: the rig has none). Max prices are
 * per block for one unit.
 */
function demoOrders(hoursAgo: (h: number) => number): Record<string, unknown>[] {
  const GiB = 1024 ** 3;
  const rtx3090 = [{ key: 'vendor/nvidia/model/rtx3090/ram/24Gi', value: 'true' }];
  // The SDL's `vendor: nvidia:` with no model lists the wildcard model.
  const anyGpu = [{ key: 'vendor/nvidia/model/*', value: 'true' }];
  const gpu = (h: number, label: string, maxPerBlock: string, attrs: { key: string; value: string }[], units = 1) => ({
    owner: demoTenant(label),
    dseq: 18_500_000 + Math.round((24 - h) * 100),
    createdAt: hoursAgo(h),
    name: 'gpu-job',
    resources: [{ cpuMilli: 8000, memoryBytes: 32 * GiB, storageBytes: 100 * GiB, gpuUnits: units, gpuAttributes: attrs, endpoints: 1, pricePerBlock: maxPerBlock, denom: 'uact' }],
  });
  const cpu = (h: number, label: string, maxPerBlock: string) => ({
    owner: demoTenant(label),
    dseq: 18_500_000 + Math.round((24 - h) * 100) + 1,
    createdAt: hoursAgo(h),
    name: 'web',
    resources: [{ cpuMilli: 2000, memoryBytes: 4 * GiB, storageBytes: 10 * GiB, endpoints: 1, pricePerBlock: maxPerBlock, denom: 'uact' }],
  });
  return [
    gpu(0.3, 'o1', '1500', rtx3090),
    gpu(1.2, 'o2', '900', rtx3090),
    gpu(2.5, 'o3', '220', rtx3090),
    gpu(3.1, 'o4', '2400', rtx3090, 2),
    gpu(4.8, 'o5', '1000', anyGpu),
    gpu(6.0, 'o6', '150', rtx3090),
    gpu(7.7, 'o7', '1200', rtx3090),
    gpu(9.4, 'o8', '650', rtx3090),
    gpu(12.0, 'o9', '800', anyGpu),
    gpu(15.5, 'o10', '300', rtx3090),
    gpu(18.2, 'o11', '1100', rtx3090),
    gpu(21.9, 'o12', '700', rtx3090),
    gpu(5.5, 'o13', '3000', [{ key: 'vendor/nvidia/model/a100/ram/80Gi', value: 'true' }]),
    cpu(2.0, 'o14', '60'),
    cpu(10.0, 'o15', '12'),
  ];
}
