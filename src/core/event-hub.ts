import { events, type EventName, type EventPayload } from '../api/events.js';

type Listener = (payload: unknown) => void;

export interface OnDemandSource {
  /** Called when the first listener arrives. */
  start(): void;
  /** Called when the last listener leaves: nothing polls for nobody. */
  stop(): void;
}

/**
 * The agent's event bus. Hosts subscribe on behalf of their windows and sockets; sources that
 * cost something (the telemetry stream) register as on-demand and run only while listened to.
 */
export class EventHub {
  private readonly listeners = new Map<EventName, Set<Listener>>();
  private readonly sources = new Map<EventName, OnDemandSource>();

  publish<E extends EventName>(event: E, payload: EventPayload<E>): void {
    const set = this.listeners.get(event);
    if (!set || set.size === 0) return;
    // Validate once here so no host ever forwards a malformed event.
    const checked = events[event].parse(payload);
    for (const listener of [...set]) {
      try {
        listener(checked);
      } catch {
        // One broken listener must not starve the others.
      }
    }
  }

  subscribe<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void {
    let set = this.listeners.get(event);
    if (!set) {
      set = new Set();
      this.listeners.set(event, set);
    }
    const wrapped: Listener = (p) => listener(p as EventPayload<E>);
    set.add(wrapped);
    if (set.size === 1) this.sources.get(event)?.start();
    let done = false;
    return () => {
      if (done) return;
      done = true;
      const current = this.listeners.get(event);
      if (!current) return;
      current.delete(wrapped);
      if (current.size === 0) this.sources.get(event)?.stop();
    };
  }

  listenerCount(event: EventName): number {
    return this.listeners.get(event)?.size ?? 0;
  }

  registerOnDemand(event: EventName, source: OnDemandSource): void {
    this.sources.set(event, source);
    if (this.listenerCount(event) > 0) source.start();
  }
}
