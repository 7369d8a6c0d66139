import type { AppNotification } from '../../../../src/api/schemas/notification.js';

/** One toast on screen: the notification and a local id (the same text may arrive twice). */
export interface Toast {
  id: number;
  note: AppNotification;
  level: 'info' | 'warning' | 'error';
}

/** At most this many toasts at once; the oldest non-error goes first when more arrive. */
export const MAX_TOASTS = 4;
/** How long an info toast stays; warnings stay a little longer. Errors stay until dismissed. */
export const DISMISS_MS: Record<Toast['level'], number | null> = { info: 6000, warning: 10_000, error: null };

/** Adds a notification to the stack, newest last, keeping at most MAX_TOASTS (errors are kept before others). */
export function addToast(toasts: Toast[], note: AppNotification, id: number): Toast[] {
  const next = [...toasts, { id, note, level: note.level ?? 'info' }];
  while (next.length > MAX_TOASTS) {
    const drop = next.findIndex((t) => t.level !== 'error');
    next.splice(drop >= 0 ? drop : 0, 1);
  }
  return next;
}

export function removeToast(toasts: Toast[], id: number): Toast[] {
  return toasts.filter((t) => t.id !== id);
}
