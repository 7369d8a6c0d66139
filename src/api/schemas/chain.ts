import { z } from 'zod';

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
  certificate: z.object({ needed: z.boolean(), serial: z.string().nullable() }),
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
});

export const LeaseRow = z.object({
  owner: z.string(),
  dseq: z.string(),
  gseq: z.number().int(),
  oseq: z.number().int(),
  bseq: z.number().int(),
  state: z.enum(['active', 'insufficient_funds', 'closed', 'invalid']),
  denom: z.string(),
  /** Price per block in micro units of `denom` (may be fractional). */
  pricePerBlock: z.number(),
  createdAt: z.number().int(),
  closedOn: z.number().int(),
  escrow: z.object({ state: z.string(), rate: z.number(), balance: z.number(), withdrawn: z.number() }).nullable(),
});
export type LeaseRow = z.infer<typeof LeaseRow>;

export const LeasePage = z.object({
  leases: z.array(LeaseRow),
  nextKey: z.string().nullable(),
  total: z.number().int().nullable(),
});

export const Earnings = z.object({
  denom: z.string(),
  activeLeases: z.number().int(),
  /** At the current rates (sum of active leases' per-block prices × blocks in the period). */
  perDay: z.object({ micro: z.number(), usd: z.number().nullable() }),
  perWeek: z.object({ micro: z.number(), usd: z.number().nullable() }),
  perMonth: z.object({ micro: z.number(), usd: z.number().nullable() }),
  /** Withdrawn + settled-but-unwithdrawn over every lease the chain still lists. */
  lifetime: z.object({ micro: z.number(), usd: z.number().nullable() }),
  withdrawable: z.object({ micro: z.number(), usd: z.number().nullable() }),
  usdPerUnit: z.number().nullable(),
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
