import { isEventName, type EventName } from '../src/api/events.js';
import type { EventHub } from '../src/core/event-hub.js';

export type Forward = (event: EventName, payload: unknown) => void;

/**
 * Which window listens to which event. Each webContents holds at most one hub subscription per
 * event; dropping a webContents (closed, crashed, reloaded) removes all of them, so the hub's
 * on-demand sources (the telemetry stream) stop when nobody looks. No Electron here: tested alone.
 */
export class SubscriptionTable {
  private readonly byTarget = new Map<number, Map<EventName, () => void>>();

  constructor(private readonly hub: EventHub) {}

  /** Returns false (and does nothing) for a name that is not an event of the contract. */
  subscribe(target: number, event: unknown, forward: Forward): boolean {
    if (!isEventName(event)) return false;
    let subs = this.byTarget.get(target);
    if (!subs) {
      subs = new Map();
      this.byTarget.set(target, subs);
    }
    if (!subs.has(event)) subs.set(event, this.hub.subscribe(event, (payload) => forward(event, payload)));
    return true;
  }

  unsubscribe(target: number, event: unknown): void {
    if (!isEventName(event)) return;
    const subs = this.byTarget.get(target);
    subs?.get(event)?.();
    subs?.delete(event);
    if (subs?.size === 0) this.byTarget.delete(target);
  }

  drop(target: number): void {
    const subs = this.byTarget.get(target);
    if (!subs) return;
    for (const off of subs.values()) off();
    this.byTarget.delete(target);
  }

  dropAll(): void {
    for (const target of [...this.byTarget.keys()]) this.drop(target);
  }

  isTracking(target: number): boolean {
    return this.byTarget.has(target);
  }
}
