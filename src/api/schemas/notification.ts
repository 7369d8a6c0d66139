import { z } from 'zod';

/** Something the user should hear about even with the window closed: Electron shows it natively, the UI lists it. */
export const AppNotification = z.object({
  at: z.string(),
  title: z.string(),
  body: z.string(),
  /** Which part of the app said it, e.g. `availability`. */
  source: z.string(),
});
export type AppNotification = z.infer<typeof AppNotification>;
