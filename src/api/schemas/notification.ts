import { z } from 'zod';

/** What a notification is about; each has its own on/off switch under settings `desktop.notifications`. */
export const NotificationCategory = z.enum(['leases', 'availability', 'errors', 'lowBalance', 'updates']);
export type NotificationCategory = z.infer<typeof NotificationCategory>;

/** Something the user should hear about even with the window closed: Electron shows it natively, the UI lists it. */
export const AppNotification = z.object({
  at: z.string(),
  title: z.string(),
  body: z.string(),
  /** Which part of the app said it, e.g. `availability`. */
  source: z.string(),
  /** Set by the notification policy (src/app/desktop); absent on older senders. */
  category: NotificationCategory.optional(),
  level: z.enum(['info', 'warning', 'error']).optional(),
  /**
   * Whether the desktop shows it as a native notification (false when the user turned that
   * category off or too many came at once). The app's own toasts show every notification.
   */
  native: z.boolean().optional(),
});
export type AppNotification = z.infer<typeof AppNotification>;
