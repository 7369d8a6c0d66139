import { describe, expect, it } from 'vitest';
import { EventHub } from './event-hub.js';

const telemetry = (at: number) => ({ at, samples: [], error: null });

describe('EventHub', () => {
  it('starts an on-demand source with the first listener and stops it with the last', () => {
    const hub = new EventHub();
    const calls: string[] = [];
    hub.registerOnDemand('gpu.telemetry', { start: () => calls.push('start'), stop: () => calls.push('stop') });
    const a = hub.subscribe('gpu.telemetry', () => undefined);
    const b = hub.subscribe('gpu.telemetry', () => undefined);
    expect(calls).toEqual(['start']);
    a();
    a(); // a second unsubscribe must not count twice
    expect(calls).toEqual(['start']);
    b();
    expect(calls).toEqual(['start', 'stop']);
    expect(hub.listenerCount('gpu.telemetry')).toBe(0);
  });

  it('delivers validated payloads and refuses malformed ones before any host sees them', () => {
    const hub = new EventHub();
    const got: number[] = [];
    hub.subscribe('gpu.telemetry', (p) => got.push(p.at));
    hub.publish('gpu.telemetry', telemetry(5));
    expect(got).toEqual([5]);
    expect(() => hub.publish('gpu.telemetry', { at: 'soon' } as never)).toThrow();
    expect(got).toEqual([5]);
  });

  it('keeps delivering to other listeners when one throws', () => {
    const hub = new EventHub();
    const got: number[] = [];
    hub.subscribe('gpu.telemetry', () => {
      throw new Error('broken screen');
    });
    hub.subscribe('gpu.telemetry', (p) => got.push(p.at));
    hub.publish('gpu.telemetry', telemetry(1));
    expect(got).toEqual([1]);
  });

  it('starts a source registered after listeners already arrived', () => {
    const hub = new EventHub();
    hub.subscribe('gpu.telemetry', () => undefined);
    let started = false;
    hub.registerOnDemand('gpu.telemetry', { start: () => (started = true), stop: () => undefined });
    expect(started).toBe(true);
  });
});
