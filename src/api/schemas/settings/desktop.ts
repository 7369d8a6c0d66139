import { z } from 'zod';

/** The desktop shell: native notifications, updates, the lease watch behind "lease won/ended". */
export const DesktopSettings = z
  .object({
    notifications: z
      .object({
        /** Native (OS) notifications; the app's own toasts always show. */
        enabled: z.boolean().default(true),
        leases: z.boolean().default(true),
        availability: z.boolean().default(true),
        errors: z.boolean().default(true),
        lowBalance: z.boolean().default(true),
        updates: z.boolean().default(true),
      })
      .strict()
      .prefault({}),
    updates: z
      .object({
        /** Check for a new release at start and every `checkEveryHours` (installed app only). */
        autoCheck: z.boolean().default(true),
        checkEveryHours: z.number().int().min(1).max(7 * 24).default(6),
      })
      .strict()
      .prefault({}),
    /** How often the app and the daemon look at leases and the balance (won/ended, low balance). */
    leaseWatchMinutes: z.number().int().min(1).max(24 * 60).default(5),
  })
  .strict();
export type DesktopSettings = z.infer<typeof DesktopSettings>;
