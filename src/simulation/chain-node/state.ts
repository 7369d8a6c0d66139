import { z } from 'zod';
import { defaultBme, type BmeState } from './bme-state.js';
import { DEC } from './decimal.js';
import { SeedOrder, type OrderRecord } from './orders.js';

/**
 * The test node's whole world, in memory. Amounts are bigint micro-units; decimal per-block
 * rates are kept as bigint "atomics" with 18 decimals, which is how Cosmos SDK `Dec` values
 * travel inside protobuf (a scaled integer string, no decimal point).
 */
export { DEC };

export interface Account {
  address: string;
  accountNumber: bigint;
  sequence: bigint;
  /** Compressed secp256k1 key, learned from the first signed tx (as the auth module does). */
  pubkey: Uint8Array | null;
}

export interface ProviderRecord {
  owner: string;
  hostUri: string;
  attributes: { key: string; value: string }[];
  email: string;
  website: string;
}

export interface CertificateRecord {
  owner: string;
  serial: string;
  state: 'valid' | 'revoked';
  cert: Uint8Array;
  pubkey: Uint8Array;
}

export interface LeaseRecord {
  owner: string;
  dseq: bigint;
  gseq: number;
  oseq: number;
  provider: string;
  bseq: number;
  state: 'active' | 'insufficient_funds' | 'closed' | 'reclaiming';
  denom: string;
  /** Price per block, 18-decimal atomics. */
  priceAtomics: bigint;
  createdAt: bigint;
  closedOn: bigint;
  /** Escrow payment: settled but not withdrawn (18-decimal atomics), withdrawn (integer micro). Settled-to height is the account's. */
  balanceAtomics: bigint;
  withdrawn: bigint;
  /** LeaseClosedReason once closed (0 while open). */
  reason: number;
  /**
   * AEP-82: the reclamation window the winning bid offered (null: the bid offered none), and once
   * the provider sent MsgLeaseStartReclaim the height it started at, the deadline (unix seconds)
   * and its reason.
   */
  reclamation: { windowSeconds: bigint; startedAt: bigint; deadline: bigint; reason: number } | null;
}

/** A deployment group's resources (what a lease on it runs), as the tenant's SDL asked for them. */
export interface GroupRecord {
  owner: string;
  dseq: bigint;
  gseq: number;
  name: string;
  createdAt: bigint;
  /** open, or paused once the provider closed its bid (Deployment.OnBidClosed). */
  state: 'open' | 'paused';
  resources: { cpuMilli: number; memoryBytes: number; storageBytes: number; gpuUnits: number; gpuAttributes: { key: string; value: string }[]; count: number }[];
}

export interface DeploymentEscrow {
  /** What the tenant still has deposited for this deployment, 18-decimal atomics. */
  fundsAtomics: bigint;
  /** The escrow account's `settled_at`: the height its payments were last settled to (x/escrow accountSettle). */
  settledAt: bigint;
  /** The account's state: open, or overdrawn once a settlement could not pay in full. */
  overdrawn: boolean;
}

export interface TxRecord {
  hash: string;
  height: number;
  index: number;
  tx: Uint8Array;
  code: number;
  codespace: string;
  log: string;
  gasWanted: bigint;
  gasUsed: bigint;
  events: { type: string; attributes: { key: string; value: string }[] }[];
  /** When the tx becomes visible to `tx` / `block` queries (inclusion delay for timeout tests). */
  visibleAt: number;
}

export interface BlockRecord {
  height: number;
  time: Date;
  hash: string;
  txHashes: string[];
}

export interface ChainState {
  chainId: string;
  height: number;
  nextAccountNumber: bigint;
  accounts: Map<string, Account>;
  /** address → denom → amount */
  balances: Map<string, Map<string, bigint>>;
  providers: Map<string, ProviderRecord>;
  certificates: CertificateRecord[];
  /** leaseKey → lease; `leaseOrder` keeps the keys sorted as the store iterates them (pagination). */
  leases: Map<string, LeaseRecord>;
  leaseOrder: string[];
  escrow: Map<string, DeploymentEscrow>;
  /** groupKey → the group's spec (only groups a test seeded). */
  groups: Map<string, GroupRecord>;
  /** orderKey → a seeded deployment order (orders.ts). */
  orders: Map<string, OrderRecord>;
  txs: Map<string, TxRecord>;
  blocks: BlockRecord[];
  bidMinDeposit: bigint;
  /** Header time of the block being executed (ctx.BlockTime() of the messages in it). */
  blockTime: Date;
  /** Market params min/max_reclamation_window (AEP-82 defaults: 1 h and 720 h), seconds. */
  minReclamationWindowSeconds: bigint;
  maxReclamationWindowSeconds: bigint;
  /** x/bme (ACT → AKT conversions) and the oracle's AKT price (bme.ts). */
  bme: BmeState;
}

const Coin = z.object({ denom: z.string().min(1), amount: z.string().regex(/^\d+$/) });

/** The `--seed FILE` format: funded accounts, leases with escrow, optional providers. */
export const SeedFile = z
  .object({
    chainId: z.string().optional(),
    height: z.number().int().positive().optional(),
    accounts: z.array(z.object({ address: z.string().startsWith('akash1'), balances: z.array(Coin) })).default([]),
    providers: z
      .array(z.object({ owner: z.string(), hostUri: z.string(), attributes: z.array(z.object({ key: z.string(), value: z.string() })).default([]) }))
      .default([]),
    leases: z
      .array(
        z.object({
          owner: z.string().startsWith('akash1'),
          dseq: z.union([z.number().int(), z.string().regex(/^\d+$/)]),
          gseq: z.number().int().default(1),
          oseq: z.number().int().default(1),
          provider: z.string().startsWith('akash1'),
          bseq: z.number().int().default(1),
          state: z.enum(['active', 'insufficient_funds', 'closed']).default('active'),
          denom: z.string().default('uakt'),
          /** Decimal micro-units per block, e.g. "12.5". */
          pricePerBlock: z.string().regex(/^\d+(\.\d+)?$/),
          createdAt: z.number().int().positive(),
          /** Tenant's escrow deposit for the deployment, micro-units. */
          escrowFunds: z.string().regex(/^\d+$/).default('100000000'),
          withdrawn: z.string().regex(/^\d+$/).default('0'),
          /**
           * AEP-82: the reclamation window (seconds) the provider's winning bid offered; the lease
           * then carries `reclamation { window }`. Absent: the bid offered none.
           */
          reclamationWindowSeconds: z.number().int().positive().optional(),
        }),
      )
      .default([]),
    /** Deployment groups (their resources), so leases on them can show what they run. */
    groups: z
      .array(
        z.object({
          owner: z.string().startsWith('akash1'),
          dseq: z.union([z.number().int(), z.string().regex(/^\d+$/)]),
          gseq: z.number().int().default(1),
          name: z.string().default('dcloud'),
          createdAt: z.number().int().positive().default(1),
          resources: z
            .array(
              z.object({
                cpuMilli: z.number().int().nonnegative(),
                memoryBytes: z.number().int().nonnegative(),
                storageBytes: z.number().int().nonnegative().default(0),
                gpuUnits: z.number().int().nonnegative().default(0),
                /** e.g. `vendor/nvidia/model/rtx4090/ram/24Gi` = "true" (AKASH.md §6 GPU keys). */
                gpuAttributes: z.array(z.object({ key: z.string(), value: z.string() })).default([]),
                count: z.number().int().min(1).default(1),
              }),
            )
            .min(1),
        }),
      )
      .default([]),
    /** Deployment orders (open ones are what the bid engine would see), orders.ts. */
    orders: z.array(SeedOrder).default([]),
    /** x/bme and oracle conditions: the AKT price (USD, decimal), the collateral ratio, the oracle's health, params. */
    bme: z
      .object({
        aktUsd: z.string().regex(/^\d+(\.\d+)?$/).optional(),
        collateralRatio: z.string().regex(/^\d+(\.\d+)?$/).optional(),
        oracleHealthy: z.boolean().optional(),
        settleSpreadBps: z.number().int().min(0).max(1000).optional(),
        minEpochBlocks: z.number().int().positive().optional(),
      })
      .strict()
      .optional(),
    /** Generate N active leases for one provider (the 5,000-lease benchmark). */
    generateLeases: z.object({ provider: z.string().startsWith('akash1'), count: z.number().int().min(1).max(100_000), pricePerBlock: z.string().default('10') }).optional(),
  })
  .strict();
export type SeedFile = z.infer<typeof SeedFile>;

export function decimalToAtomics(dec: string): bigint {
  const [whole = '0', frac = ''] = dec.split('.');
  return BigInt(whole) * DEC + BigInt((frac + '0'.repeat(18)).slice(0, 18));
}

export function emptyState(chainId: string): ChainState {
  return {
    chainId,
    height: 1,
    nextAccountNumber: 1n,
    accounts: new Map(),
    balances: new Map(),
    providers: new Map(),
    certificates: [],
    leases: new Map(),
    leaseOrder: [],
    escrow: new Map(),
    groups: new Map(),
    orders: new Map(),
    txs: new Map(),
    blocks: [],
    bidMinDeposit: 500_000n,
    blockTime: new Date(),
    minReclamationWindowSeconds: 3_600n,
    maxReclamationWindowSeconds: 720n * 3_600n,
    bme: defaultBme(),
  };
}

export function leaseKey(l: Pick<LeaseRecord, 'owner' | 'dseq' | 'gseq' | 'oseq' | 'provider' | 'bseq'>): string {
  return `${l.owner}/${l.dseq.toString().padStart(20, '0')}/${l.gseq}/${l.oseq}/${l.provider}/${l.bseq}`;
}

export function groupKey(owner: string, dseq: bigint, gseq: number): string {
  return `${owner}/${dseq}/${gseq}`;
}

export function deploymentKey(owner: string, dseq: bigint): string {
  return `${owner}/${dseq}`;
}
