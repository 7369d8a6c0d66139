import { z } from 'zod';

const Hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/, 'a time is HH:MM, 00:00 to 24:00');

/** One weekly window in local time; `end` before `start` wraps past midnight. Days: 0 = Sunday. */
export const ScheduleWindow = z
  .object({
    days: z.array(z.number().int().min(0).max(6)).min(1).max(7),
    start: Hhmm,
    end: Hhmm,
  })
  .strict();
export type ScheduleWindow = z.infer<typeof ScheduleWindow>;

export const AvailabilitySettings = z
  .object({
    gaming: z
      .object({
        /** Pause bidding when a non-RigLease process uses a GPU. */
        enabled: z.boolean().default(true),
        resumeAfterMinutes: z.number().min(0).max(24 * 60).default(10),
        /** Process names (case-insensitive) that never count as gaming, e.g. a miner the user runs on purpose. */
        ignoreProcessNames: z.array(z.string().min(1).max(200)).max(100).default([]),
      })
      .strict()
      .prefault({}),
    idleOnly: z
      .object({
        enabled: z.boolean().default(false),
        idleMinutes: z.number().min(1).max(24 * 60).default(15),
      })
      .strict()
      .prefault({}),
    schedule: z
      .object({
        enabled: z.boolean().default(false),
        windows: z.array(ScheduleWindow).max(50).default([]),
      })
      .strict()
      .prefault({}),
    /** How often the agent re-checks GPU processes and the schedule. */
    checkIntervalSeconds: z.number().int().min(5).max(600).default(30),
  })
  .strict();
export type AvailabilitySettings = z.infer<typeof AvailabilitySettings>;
