import { z } from 'zod';
import { HardwareReport, TelemetryEvent } from './schemas/hardware.js';
import { TaskSnapshot } from './schemas/task.js';
import { Settings } from './schemas/settings.js';
import { OnboardingState } from './schemas/onboarding.js';
import { AvailabilityStatus } from './methods/availability.js';
import { MarketView } from './schemas/pricing.js';
import { AppNotification } from './schemas/notification.js';
import { FarmChanged } from './schemas/farm.js';

/** Every event a host may push, by name. Payloads are validated before they leave the agent. */
export const events = {
  'task.progress': TaskSnapshot,
  'gpu.telemetry': TelemetryEvent,
  'hardware.report': HardwareReport,
  'settings.changed': Settings,
  /** Every change of an onboarding step (started, done, failed…), with the whole wizard. */
  'onboarding.changed': OnboardingState,
  'availability.changed': AvailabilityStatus,
  /** Listening to it keeps the market refreshing every 15 min (on-demand source). */
  'market.updated': MarketView,
  'app.notification': AppNotification,
  /** The controller's fleet changed: a Fleet screen asks for its page again (at most once a second; only while listened to). */
  'farm.changed': FarmChanged,
} as const satisfies Record<string, z.ZodType>;

export type EventName = keyof typeof events;
export type EventPayload<E extends EventName> = z.infer<(typeof events)[E]>;
export const EVENT_NAMES = Object.keys(events) as EventName[];
export function isEventName(name: unknown): name is EventName {
  return typeof name === 'string' && Object.hasOwn(events, name);
}
