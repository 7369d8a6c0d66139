import { z } from 'zod';
import { LeaseRow, TxReceipt } from './chain.js';

/**
 * AEP-82 lease reclamation: the polite way for a provider to get its GPU back from a running
 * lease. The lease must have been bid with a notice window; the provider gives notice
 * (MsgLeaseStartReclaim), the tenant keeps the lease until the deadline, and only then may the
 * provider close it (MsgCloseBid).
 */

/** One of this provider's leases, as `OWNER/DSEQ/GSEQ/OSEQ` names it (the provider is this wallet). */
export const LeaseRef = z
  .object({
    owner: z.string().regex(/^akash1[02-9ac-hj-np-z]{38,58}$/, 'the tenant’s akash1… address'),
    dseq: z.string().regex(/^[1-9]\d{0,19}$/, 'the deployment sequence, a positive number'),
    gseq: z.number().int().min(1),
    oseq: z.number().int().min(1),
  })
  .strict();
export type LeaseRef = z.infer<typeof LeaseRef>;

/** LeaseClosedReason values a provider may give (market/v1 types.proto: 10000..19999). */
export const PROVIDER_REASONS = {
  10000: 'the workload is unstable',
  10001: 'the provider is being decommissioned',
  10002: 'unspecified',
  10003: 'the manifest never arrived',
} as const;

export const ReclaimReason = z
  .number()
  .int()
  .min(10_000, 'a provider’s reason is a number from 10000 to 19999 (e.g. 10002 = unspecified)')
  .max(19_999, 'a provider’s reason is a number from 10000 to 19999 (e.g. 10002 = unspecified)')
  .default(10_002);

export const ReclaimPreview = z.object({
  lease: LeaseRow,
  /** Whether notice can be given now. */
  reclaimable: z.boolean(),
  /** When not: why, in words a provider can act on. */
  whyNot: z.string().nullable(),
  /** The notice window the lease was bid with (seconds); null when it has none. */
  windowSeconds: z.number().int().nullable(),
  /** Unix seconds the notice would end if given in the next block (latest block time + window). */
  estimatedDeadline: z.number().int().nullable(),
  reason: z.number().int(),
  reasonText: z.string(),
  /** Simulated fee of MsgLeaseStartReclaim, micro AKT; null when not reclaimable. */
  feeUakt: z.string().regex(/^\d+$/).nullable(),
  /** What happens, step by step, shown before the user confirms. */
  whatHappens: z.array(z.string()),
});
export type ReclaimPreview = z.infer<typeof ReclaimPreview>;

export const ReclaimStarted = z.object({
  lease: LeaseRow,
  /** Unix seconds the notice ends, as the chain stored it (block time + window). */
  deadline: z.number().int(),
  deadlineIso: z.string(),
  startedAtHeight: z.number().int(),
  tx: TxReceipt,
});
export type ReclaimStarted = z.infer<typeof ReclaimStarted>;

export const ReclaimClosed = z.object({
  lease: LeaseRow,
  closedAtHeight: z.number().int(),
  tx: TxReceipt,
});
export type ReclaimClosed = z.infer<typeof ReclaimClosed>;
