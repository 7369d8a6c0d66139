import { z } from 'zod';
import { method } from '../method.js';
import { LeaseRef, ReclaimClosed, ReclaimPreview, ReclaimReason, ReclaimStarted } from '../schemas/reclaim.js';

/**
 * AEP-82 lease reclamation (issues 4 and 5): give a tenant notice, then take the GPU back once
 * the notice has run. Nothing here ends a lease without the user confirming it first.
 */
export const reclaimMethods = {
  'leases.reclaimPreview': method({
    input: LeaseRef.extend({ reason: ReclaimReason }).strict(),
    output: ReclaimPreview,
    summary: 'What giving notice on a lease would do: its window, the deadline it would get, the fee — or why it cannot be reclaimed politely',
  }),
  'leases.reclaim': method({
    input: LeaseRef.extend({ reason: ReclaimReason, confirm: z.literal(true, 'Giving notice needs confirm: true (see leases.reclaimPreview for what happens).') }).strict(),
    output: ReclaimStarted,
    summary: 'Give the tenant notice (MsgLeaseStartReclaim); the lease keeps running until the deadline it returns',
  }),
  'leases.closeReclaimed': method({
    input: LeaseRef.extend({ confirm: z.literal(true, 'Ending the lease needs confirm: true.') }).strict(),
    output: ReclaimClosed,
    summary: 'End a lease whose notice has run out (MsgCloseBid); refused before the deadline',
  }),
} as const;
