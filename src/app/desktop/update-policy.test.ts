import { describe, expect, it } from 'vitest';
import { DesktopSettings } from '../../api/schemas/settings/desktop.js';
import { installDecision, shouldCheckForUpdates, updateFeedOverride } from './update-policy.js';

const settings = DesktopSettings.parse({}).updates;
const now = new Date('2026-11-30T14:00:00Z');
const hoursAgo = (h: number) => new Date(now.getTime() - h * 3_600_000);

describe('shouldCheckForUpdates', () => {
  it.each([
    ['at start of an installed app', { lastCheckAt: null }, true],
    ['5 h after the last check (every 6 h)', { lastCheckAt: hoursAgo(5) }, false],
    ['6 h after the last check', { lastCheckAt: hoursAgo(6) }, true],
    ['with checks switched off', { settings: { ...settings, autoCheck: false }, lastCheckAt: null }, false],
    ['every hour when set so', { settings: { ...settings, checkEveryHours: 1 }, lastCheckAt: hoursAgo(1) }, true],
    ['in a development build', { packaged: false, lastCheckAt: null }, false],
    ['in a development build with a test feed', { packaged: false, feedOverride: 'http://127.0.0.1:8080/', lastCheckAt: null }, true],
  ] as const)('%s → check: %s', (_n, over, expected) => {
    const d = shouldCheckForUpdates({ settings, packaged: true, feedOverride: null, now, ...over });
    expect(d.check).toBe(expected);
    if (!d.check) expect(d.reason.length).toBeGreaterThan(10);
  });

  it('the default is a check every 6 hours, on', () => {
    expect(settings).toEqual({ autoCheck: true, checkEveryHours: 6 });
  });
});

describe('installDecision', () => {
  const idle = { runningOperations: [], activeLeases: 0, windowVisible: false, userAsked: false };
  it.each([
    ['nothing running, window closed', idle, 'restart'],
    ['a stack upgrade running', { ...idle, runningOperations: ['Upgrading the provider'] }, 'wait'],
    ['a stack upgrade running, even when the user asks', { ...idle, runningOperations: ['Upgrading the provider'], userAsked: true }, 'wait'],
    ['leases active', { ...idle, activeLeases: 2 }, 'ask'],
    ['leases active and the user asked', { ...idle, activeLeases: 2, userAsked: true }, 'restart'],
    ['the window is open', { ...idle, windowVisible: true }, 'ask'],
  ] as const)('%s → %s', (_n, input, action) => {
    expect(installDecision({ ...input, runningOperations: [...input.runningOperations] }).action).toBe(action);
  });

  it('says what it waits for', () => {
    expect(installDecision({ ...idle, runningOperations: ['Upgrading the provider'] })).toEqual({
      action: 'wait',
      message: 'The update installs when Upgrading the provider has finished; restarting now would cut it off.',
    });
    expect(installDecision({ ...idle, activeLeases: 1 })).toMatchObject({ message: expect.stringContaining('1 lease is active') });
  });
});

describe('updateFeedOverride', () => {
  it('takes an http(s) URL and refuses anything else', () => {
    expect(updateFeedOverride({})).toBeNull();
    expect(updateFeedOverride({ RIGLEASE_UPDATE_FEED: 'http://127.0.0.1:8080/feed/' })).toEqual({ url: 'http://127.0.0.1:8080/feed/' });
    expect(updateFeedOverride({ RIGLEASE_UPDATE_FEED: 'file:///etc/passwd' })).toEqual({ error: 'RIGLEASE_UPDATE_FEED must be an http(s) URL.' });
    expect(updateFeedOverride({ RIGLEASE_UPDATE_FEED: 'not a url' })).toMatchObject({ error: expect.stringContaining('not a URL') });
  });
});
