import { describe, expect, it } from 'vitest';
import { EventHub } from '../src/core/event-hub.js';
import { SubscriptionTable } from './ipc-subscriptions.js';

const settingsPayload = { general: { network: 'mainnet', theme: 'dark', launchAtLogin: false }, hardware: { nvidiaSmiPath: null, scanTimeoutMs: 8000, telemetryIntervalMs: 1000 } };

describe('SubscriptionTable', () => {
  it('forwards subscribed events to that window only, once per event', () => {
    const hub = new EventHub();
    const table = new SubscriptionTable(hub);
    const got: Array<[number, string]> = [];
    expect(table.subscribe(1, 'settings.changed', (e) => got.push([1, e]))).toBe(true);
    expect(table.subscribe(1, 'settings.changed', (e) => got.push([1, e]))).toBe(true);
    expect(hub.listenerCount('settings.changed')).toBe(1);
    hub.publish('settings.changed', settingsPayload as never);
    expect(got).toEqual([[1, 'settings.changed']]);
  });

  it('refuses names that are not contract events', () => {
    const table = new SubscriptionTable(new EventHub());
    expect(table.subscribe(1, 'wallet.mnemonic', () => undefined)).toBe(false);
    expect(table.subscribe(1, '__proto__', () => undefined)).toBe(false);
    expect(table.isTracking(1)).toBe(false);
  });

  it('drops every subscription of a window that goes away, so on-demand sources stop', () => {
    const hub = new EventHub();
    let running = false;
    hub.registerOnDemand('gpu.telemetry', { start: () => (running = true), stop: () => (running = false) });
    const table = new SubscriptionTable(hub);
    table.subscribe(1, 'gpu.telemetry', () => undefined);
    table.subscribe(2, 'gpu.telemetry', () => undefined);
    table.subscribe(1, 'task.progress', () => undefined);
    expect(running).toBe(true);
    table.drop(1);
    expect(running).toBe(true);
    expect(hub.listenerCount('task.progress')).toBe(0);
    table.unsubscribe(2, 'gpu.telemetry');
    expect(running).toBe(false);
    expect(hub.listenerCount('gpu.telemetry')).toBe(0);
  });
});
