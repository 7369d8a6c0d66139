import { z } from 'zod';
import { TaskRef } from './task.js';

/** Micro-denominated integer amount as a string (uakt, or the USDC IBC denom's micro unit). */
export const MicroAmount = z.string().regex(/^\d+$/, 'an amount in micro units (uakt), digits only');
export const AkashAddress = z.string().regex(/^akash1[02-9ac-hj-np-z]{38}$/, 'an Akash address looks like akash1… (44 characters)');

export const WalletInfo = z.object({
  exists: z.boolean(),
  address: AkashAddress.nullable(),
  source: z.enum(['created', 'imported']).nullable(),
  createdAt: z.string().nullable(),
  /** How the key is protected at rest: "passphrase file", "Windows DPAPI", … */
  protection: z.string(),
  /** What confirms `wallet.reveal`: re-entering the passphrase, or the OS (desktop: Touch ID / typed address suffix). */
  revealBy: z.enum(['passphrase', 'os']).optional(),
  hdPath: z.string(),
});
export type WalletInfo = z.infer<typeof WalletInfo>;

export const WalletCreated = z.object({
  pendingId: z.string(),
  /** Shown ONCE: this response and `wallet.reveal` are the only places the phrase ever appears. */
  mnemonic: z.string(),
  address: AkashAddress,
  /** 1-based positions of the words `wallet.confirm` asks for. */
  confirmPositions: z.array(z.number().int().min(1).max(24)).length(3),
  expiresAt: z.string(),
});

export const Balance = z.object({
  address: AkashAddress,
  uakt: MicroAmount,
  akt: z.string(),
  usdcDenom: z.string(),
  usdc: MicroAmount,
  other: z.array(z.object({ denom: z.string(), amount: MicroAmount })),
  shortfall: z.object({
    /** What a provider needs: fees for registration + certificate, one bid deposit, the minimum balance. */
    requiredUakt: MicroAmount,
    missingUakt: MicroAmount,
    ok: z.boolean(),
    message: z.string(),
    breakdown: z.array(z.object({ what: z.string(), uakt: MicroAmount })),
  }),
  network: z.string(),
  chainId: z.string(),
  /** ACT (what leases pay since BME), beside AKT (fees, deposits). */
  uact: MicroAmount,
  act: z.string(),
  /** The chain oracle's USD per AKT, null when it has none; ACT is $1. */
  aktUsd: z.string().nullable(),
  usd: z.object({ act: z.string(), akt: z.string().nullable() }),
  /** What runs short (AKT for fees, the bid deposit), with how much and why. */
  warnings: z.array(z.string()),
  /** Each bid's deposit in the token the provider pays it in; `short` when the wallet cannot pay one. Absent where nothing reads the chain's params (the demo). */
  bidDeposit: z.object({ denom: z.enum(['uakt', 'uact']), amount: MicroAmount, short: z.boolean(), message: z.string().nullable() }).optional(),
});
export type Balance = z.infer<typeof Balance>;

export const SendPreview = z.object({
  previewId: z.string(),
  from: AkashAddress,
  to: AkashAddress,
  amountUakt: MicroAmount,
  feeUakt: MicroAmount,
  gasLimit: z.number().int(),
  totalUakt: MicroAmount,
  balanceAfterUakt: MicroAmount,
  summary: z.string(),
  expiresAt: z.string(),
});

export const TxReceipt = z.object({
  hash: z.string(),
  height: z.number().int(),
  feeUakt: MicroAmount,
  gasUsed: z.string(),
  explorerUrl: z.string().nullable(),
});
export type TxReceipt = z.infer<typeof TxReceipt>;

export const ChainMessage = z.object({ typeUrl: z.string(), value: z.unknown() });

export const ProviderPlan = z.object({
  owner: AkashAddress,
  action: z.enum(['create', 'update', 'none']),
  hostUri: z.string(),
  attributes: z.array(z.object({ key: z.string(), value: z.string() })),
  info: z.object({ email: z.string(), website: z.string() }),
  /** Differences from what is on chain, for an update. */
  changes: z.array(z.string()),
  messages: z.array(ChainMessage),
  certificate: z.object({
    needed: z.boolean(),
    serial: z.string().nullable(),
    /** Certificates RigLease published and replaced, revoked (MsgRevokeCertificate) in this same transaction. */
    revoke: z.array(z.string()).default([]),
    /** Replaced ones not revoked yet, with why (the one in /config/provider.pem stays valid until the new one is written there). */
    keep: z.array(z.object({ serial: z.string(), reason: z.string() })).default([]),
    /** Expiry of the certificate in use (null when there is none on record). */
    expiresAt: z.string().nullable().default(null),
  }),
  fee: z.object({ feeUakt: MicroAmount, gasLimit: z.number().int() }).nullable(),
  warnings: z.array(z.string()),
});
export type ProviderPlan = z.infer<typeof ProviderPlan>;

export const ProviderOnChain = z.object({
  owner: AkashAddress,
  registered: z.boolean(),
  hostUri: z.string().nullable(),
  attributes: z.array(z.object({ key: z.string(), value: z.string() })),
  info: z.object({ email: z.string(), website: z.string() }).nullable(),
  certificates: z.array(z.object({ serial: z.string(), state: z.string() })),
  /** The certificate RigLease registered: expiry and whether it is due for renewal (`provider register` renews it). */
  certificate: z
    .object({
      serial: z.string(),
      state: z.string(),
      expiresAt: z.string(),
      daysLeft: z.number().int(),
      renewDue: z.boolean(),
      /** Replaced certificates still valid on chain: the next `provider register` revokes them. */
      retired: z.array(z.string()),
      note: z.string(),
    })
    .nullable()
    .optional(),
});

/** What a lease runs: its deployment group's resources, summed over units × count. */
export const LeaseResources = z.object({
  cpuMilli: z.number(),
  memoryBytes: z.number(),
  storageBytes: z.number(),
  gpus: z.number(),
  /** e.g. "rtx4090 24Gi" */
  gpuModels: z.array(z.string()),
  /** "1 × GPU (rtx4090 24Gi) · 8 CPU · 32 GiB RAM · 100 GiB disk" */
  summary: z.string(),
});
export type LeaseResources = z.infer<typeof LeaseResources>;

/**
 * AEP-82: the notice window the lease was bid with (a promise to the tenant), and once the
 * provider asked for its resources back, when the notice started and ends.
 */
export const LeaseReclamation = z.object({
  /** The window the winning bid offered, in seconds. */
  windowSeconds: z.number().int().nonnegative(),
  /** Block height the notice started at; null while not started. */
  startedAtHeight: z.number().int().positive().nullable(),
  /** Unix seconds the notice ends (the provider may close the lease from then on); null while not started. */
  deadline: z.number().int().positive().nullable(),
  /** The provider's LeaseClosedReason (10000..19999); null while not started. */
  reason: z.number().int().nullable(),
});
export type LeaseReclamation = z.infer<typeof LeaseReclamation>;

export const LeaseRow = z.object({
  owner: z.string(),
  dseq: z.string(),
  gseq: z.number().int(),
  oseq: z.number().int(),
  bseq: z.number().int(),
  /** `reclaiming`: AEP-82 notice running (the lease still runs and pays until the provider closes it after the deadline). */
  state: z.enum(['active', 'insufficient_funds', 'closed', 'invalid', 'reclaiming']),
  denom: z.string(),
  /** Price per block in micro units of `denom` (may be fractional). */
  pricePerBlock: z.number(),
  /** The exact price per block as the chain holds it: a `Dec` in atomics (micro units × 1e18). */
  priceAtomics: z.string().regex(/^\d+$/).optional(),
  createdAt: z.number().int(),
  closedOn: z.number().int(),
  escrow: z.object({ state: z.string(), rate: z.number(), balance: z.number(), withdrawn: z.number() }).nullable(),
  /** Filled by `leases.list` (one group query per lease, cached); null when unknown or not asked. */
  resources: LeaseResources.nullable(),
  /** AEP-82 reclamation; null when the lease was bid without a notice window (absent from older producers). */
  reclamation: LeaseReclamation.nullable().optional(),
  /**
   * The one ledger's figures for this lease (src/provider/chain/lease-ledger.ts), exact micro-units
   * of `denom`: what it earned by `height` at its price, what was withdrawn, and what a
   * MsgWithdrawLease included in block `height + 1` pays (the escrow keeper's settlement).
   */
  ledger: z.object({ height: z.number().int(), earnedMicro: MicroAmount, withdrawnMicro: MicroAmount, pendingMicro: MicroAmount }).optional(),
});
export type LeaseRow = z.infer<typeof LeaseRow>;

export const LeasePage = z.object({
  leases: z.array(LeaseRow),
  nextKey: z.string().nullable(),
  total: z.number().int().nullable(),
});

const Money = z.object({ micro: z.number(), usd: z.number().nullable() });

export const Earnings = z.object({
  denom: z.string(),
  activeLeases: z.number().int(),
  /**
   * Accrued in the last 24 h / 7 d / 30 d: over every lease (active and closed), price per block ×
   * the lease's blocks inside the window (start block to close block or the current height). The
   * window in blocks comes from the chain's average block time (`blockTime`).
   */
  perDay: Money,
  perWeek: Money,
  perMonth: Money,
  /** Accrued over each listed lease's whole life (earned, whether paid out or not). */
  earned: Money,
  /** Already paid to the provider (escrow payments' `withdrawn`). */
  withdrawn: Money,
  /** What MsgWithdrawLease for every open lease, included in the next block, pays (the escrow keeper's settlement since `settled_at`). */
  pendingWithdrawal: Money,
  /** Withdrawn + pending over every lease the chain still lists. */
  lifetime: Money,
  /** Pending of the active and reclaiming leases (the ones `leases.withdraw` sends MsgWithdrawLease for). */
  withdrawable: Money,
  /** The block range and average block time the windows were counted with. */
  blockTime: z.object({
    height: z.number().int(),
    secondsPerBlock: z.number(),
    /** `measured`: from two block headers' times; `assumed`: AKASH.md's 6.117 s (too few blocks to measure). */
    source: z.enum(['measured', 'assumed']),
    sampledFrom: z.number().int().nullable(),
  }),
  usdPerUnit: z.number().nullable(),
  /** Where the USD price came from: passed in, the market snapshot, or the manual AKT price (pricing settings). */
  usdSource: z.enum(['given', 'market', 'manual', 'peg']).nullable(),
  /** The chain oracle's USD per AKT (x/oracle), null when it has none. */
  aktUsd: z.string().nullable().optional(),
  /** ACT earnings in AKT at the oracle price (no spread), null when earnings are AKT or no price. */
  aktEquivalent: z.object({ earnedUakt: MicroAmount.nullable(), pendingWithdrawalUakt: MicroAmount.nullable() }).nullable().optional(),
  /** When the market price was fetched; null unless usdSource is `market`. */
  usdAt: z.string().nullable(),
  leasesScanned: z.number().int(),
  pages: z.number().int(),
  tookMs: z.number(),
  otherDenoms: z.array(z.object({ denom: z.string(), perMonthMicro: z.number(), lifetimeMicro: z.number() })),
});
export type Earnings = z.infer<typeof Earnings>;

export const WithdrawResult = z.object({
  leases: z.number().int(),
  txs: z.array(TxReceipt),
  dryRun: z.boolean(),
});

/** A chain call that failed while the rest of the answer is still useful (e.g. balance offline). */
export const PartialError = z.object({ code: z.string(), message: z.string(), fix: z.string().optional() });

export const WalletStatus = z.object({
  wallet: WalletInfo,
  /** Null when there is no wallet yet, or the chain could not be asked (see `balanceError`). */
  balance: Balance.nullable(),
  balanceError: PartialError.nullable(),
});
export type WalletStatus = z.infer<typeof WalletStatus>;

export const ConfirmWord = z.object({ position: z.number().int().min(1).max(24), word: z.string().min(1).max(16) }).strict();

export const WalletRevealed = z.object({
  /** Only ever sent after the passphrase / OS confirmation was re-entered. */
  mnemonic: z.string(),
  address: AkashAddress,
});

export const EndpointHealthView = z.object({
  url: z.string(),
  healthy: z.boolean().nullable(),
  lastError: z.string().nullable(),
  lastOkAt: z.string().nullable(),
  failures: z.number().int(),
  chainId: z.string().nullable(),
});

export const NetworkView = z.object({
  network: z.enum(['mainnet', 'sandbox']),
  chainId: z.string(),
  /** In the order they are tried. */
  rpc: z.array(z.string()),
  /** `env` when RIGLEASE_CHAIN_RPC overrides the settings. */
  rpcSource: z.enum(['env', 'settings']),
  customRpc: z.array(z.string()),
  /** Each endpoint's health, remembered across restarts (state/chain-endpoints.json; failures for an hour). */
  health: z.array(EndpointHealthView),
  explorerTxUrl: z.string().nullable(),
});
export type NetworkView = z.infer<typeof NetworkView>;

export const ProviderRegisterResult = z.object({
  dryRun: z.boolean(),
  /** The review (always for a dry run): messages with type URLs, attributes, simulated fee. */
  plan: ProviderPlan.nullable(),
  /** The signing task (not for a dry run); its result is a `ProviderRegisterOutcome`. */
  task: TaskRef.nullable(),
});

export const ProviderRegisterOutcome = z.object({
  plan: ProviderPlan,
  receipt: TxReceipt.nullable(),
  /** True when the chain already had exactly this record: nothing was sent. */
  alreadyDone: z.boolean(),
});
export type ProviderRegisterOutcome = z.infer<typeof ProviderRegisterOutcome>;

export const WithdrawStart = z.object({
  dryRun: z.boolean(),
  /** Active leases found and how many transactions they need (batched). */
  leases: z.number().int(),
  batches: z.number().int(),
  /** The withdrawing task (not for a dry run, nor when there is nothing to withdraw); result: `WithdrawResult`. */
  task: TaskRef.nullable(),
});
