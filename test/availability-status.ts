import type { AvailabilityStatus } from '../src/api/methods/availability.js';

/**
 * An availability status as the agent publishes it: online and bidding since `since`, gaming
 * detection on, idle-only off; `over` changes what a test is about.
 */
export function availabilityStatus(over: Partial<AvailabilityStatus> = {}, since: Date = new Date(2026, 10, 30, 14, 0)): AvailabilityStatus {
  return {
    mode: 'online',
    activity: 'online',
    bidding: true,
    reason: 'Switched on: bids on new orders whenever the provider runs.',
    pausedUntil: null,
    resumesAt: null,
    since: since.toISOString(),
    gaming: { enabled: true, processes: [] },
    idleOnly: { enabled: false, available: false },
    notes: [],
    ...over,
  };
}
