import { z } from 'zod';
import { method } from '../method.js';
import { FarmMemberNode } from '../schemas/farm.js';

export const AvailabilityActivity = z.enum(['online', 'paused', 'gaming', 'scheduled', 'idle-wait', 'offline']);

export const LeaseSummary = z.object({
  id: z.string(),
  /** One line a person recognises: tenant, GPUs, price. */
  description: z.string(),
});
export type LeaseSummary = z.infer<typeof LeaseSummary>;

export const AvailabilityStatus = z.object({
  mode: z.enum(['online', 'paused', 'offline']),
  activity: AvailabilityActivity,
  bidding: z.boolean(),
  reason: z.string(),
  pausedUntil: z.string().nullable(),
  resumesAt: z.string().nullable(),
  since: z.string(),
  gaming: z.object({ enabled: z.boolean(), processes: z.array(z.string()) }),
  idleOnly: z.object({ enabled: z.boolean(), available: z.boolean() }),
  notes: z.array(z.string()),
  /** On a farm member: its node as the controller made it of this availability (absent elsewhere). */
  farm: FarmMemberNode.optional(),
  /**
   * On a farm controller with members: this machine's pause (or gaming) cordons only its own node
   * and the other machines keep bidding; the whole farm pauses with `farm pause --all`.
   */
  controllerOfFarm: z.object({ members: z.number().int().min(1) }).optional(),
});
export type AvailabilityStatus = z.infer<typeof AvailabilityStatus>;

export const AvailabilitySetInput = z.discriminatedUnion('mode', [
  z.object({ mode: z.literal('online') }).strict(),
  z
    .object({
      mode: z.literal('pause'),
      /** Pause for this long, then bid again by itself. */
      forMinutes: z.number().int().min(1).max(60 * 24 * 30).optional(),
      /** Or until this time (ISO 8601). Neither = until switched back. */
      until: z.iso.datetime({ offset: true }).optional(),
      reason: z.string().max(200).optional(),
    })
    .strict(),
  z.object({ mode: z.literal('offline'), confirm: z.boolean().default(false) }).strict(),
]);
export type AvailabilitySetInput = z.infer<typeof AvailabilitySetInput>;

export const AvailabilitySetResult = z.object({
  status: AvailabilityStatus,
  /** Set when going offline needs a confirmation: these leases would end. Nothing changed yet. */
  confirmation: z.object({ leases: z.array(LeaseSummary), message: z.string() }).nullable(),
});

export const AvailabilityHistoryEntry = z.object({
  at: z.string(),
  from: z.string(),
  to: z.string(),
  bidding: z.boolean(),
  reason: z.string(),
  automatic: z.boolean(),
});

export const availabilityMethods = {
  'availability.get': method({ input: z.object({}).strict(), output: AvailabilityStatus, summary: 'Whether the rig bids now, and why' }),
  'availability.set': method({
    input: AvailabilitySetInput,
    output: AvailabilitySetResult,
    summary: 'Go online, pause (for a while or until a time) or go offline (needs confirm: ends running leases)',
  }),
  'availability.history': method({
    input: z.object({ limit: z.number().int().min(1).max(1000).default(100) }).strict(),
    output: z.array(AvailabilityHistoryEntry),
    summary: 'Availability changes, newest first, with the reason for each (automatic ones included)',
  }),
} as const;
