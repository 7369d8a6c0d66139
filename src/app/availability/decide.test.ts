import { describe, expect, it } from 'vitest';
import { AvailabilitySettings } from '../../api/schemas/settings/availability.js';
import { decide, type AvailabilityState, type SeenGpuProcess } from './decide.js';
import { inSchedule } from './schedule.js';

// Local-time constructors keep these tests independent of the machine's time zone.
const mon10 = new Date(2026, 10, 23, 10, 0); // Monday 23 Nov 2026, 10:00 local
const online: AvailabilityState = { mode: 'online', pausedUntil: null, pauseReason: null, lastForeignGpuAt: null };
const game: SeenGpuProcess = { pid: 4242, name: 'C:\\Games\\Cyberpunk2077.exe', ours: false };
const tenant: SeenGpuProcess = { pid: 777, name: 'python3', ours: true };
const settings = (over: Record<string, unknown> = {}) => AvailabilitySettings.parse(over);
const minutesAgo = (m: number) => new Date(mon10.getTime() - m * 60_000).toISOString();

describe('decide', () => {
  it.each([
    ['online, nothing on the GPU', online, {}, [], null, true, 'online'],
    ['online, only tenant work on the GPU', online, {}, [tenant], null, true, 'online'],
    ['offline never bids', { ...online, mode: 'offline' }, {}, [], null, false, 'offline'],
    ['manual pause without end', { ...online, mode: 'paused' }, {}, [], null, false, 'paused'],
    ['timed pause not yet over', { ...online, mode: 'paused', pausedUntil: new Date(mon10.getTime() + 60_000).toISOString() }, {}, [], null, false, 'paused'],
    ['timed pause over: back online', { ...online, mode: 'paused', pausedUntil: minutesAgo(1) }, {}, [], null, true, 'online'],
    ['a game on the GPU pauses', online, {}, [game], null, false, 'gaming'],
    ['a game with gaming mode off does not', online, { gaming: { enabled: false } }, [game], null, true, 'online'],
    ['an ignored process does not', online, { gaming: { ignoreProcessNames: ['cyberpunk2077.exe'] } }, [game], null, true, 'online'],
    ['game stopped 3 min ago, resume after 10', { ...online, lastForeignGpuAt: minutesAgo(3) }, {}, [], null, false, 'gaming'],
    ['game stopped 11 min ago, resume after 10', { ...online, lastForeignGpuAt: minutesAgo(11) }, {}, [], null, true, 'online'],
    ['resume after 0 min: right away', { ...online, lastForeignGpuAt: minutesAgo(0) }, { gaming: { resumeAfterMinutes: 0 } }, [], null, true, 'online'],
    ['scan failed: last game sighting still counts', { ...online, lastForeignGpuAt: minutesAgo(2) }, {}, null, null, false, 'gaming'],
    ['manual pause beats gaming', { ...online, mode: 'paused' }, {}, [game], null, false, 'paused'],
    ['outside schedule', online, { schedule: { enabled: true, windows: [{ days: [1], start: '18:00', end: '23:00' }] } }, [], null, false, 'scheduled'],
    ['inside schedule', online, { schedule: { enabled: true, windows: [{ days: [1], start: '09:00', end: '11:00' }] } }, [], null, true, 'online'],
    ['schedule enabled but empty means always', online, { schedule: { enabled: true, windows: [] } }, [], null, true, 'online'],
    ['idle-only, user active 2 min ago', online, { idleOnly: { enabled: true, idleMinutes: 15 } }, [], 120, false, 'idle-wait'],
    ['idle-only, idle 20 min', online, { idleOnly: { enabled: true, idleMinutes: 15 } }, [], 1200, true, 'online'],
    ['idle-only headless: not available, ignored', online, { idleOnly: { enabled: true } }, [], null, true, 'online'],
    ['gaming beats schedule', online, { schedule: { enabled: true, windows: [{ days: [1], start: '09:00', end: '11:00' }] } }, [game], null, false, 'gaming'],
  ] as const)('%s', (_n, state, over, procs, idle, bidding, activity) => {
    const d = decide(state as AvailabilityState, settings(over), mon10, procs as SeenGpuProcess[] | null, idle);
    expect(d.bidding).toBe(bidding);
    expect(d.activity).toBe(activity);
    expect(d.reason.length).toBeGreaterThan(10);
  });

  it('remembers when a game was last seen and says when bidding resumes', () => {
    const d = decide(online, settings({ gaming: { resumeAfterMinutes: 5 } }), mon10, [game], null);
    expect(d.lastForeignGpuAt).toBe(mon10.toISOString());
    expect(d.resumesAt).toBe(new Date(mon10.getTime() + 5 * 60_000).toISOString());
    expect(d.foreignProcesses).toEqual(['cyberpunk2077.exe']);
    expect(d.reason).toMatch(/cyberpunk2077\.exe/);
  });

  it('flags an expired timed pause so the service can log it', () => {
    expect(decide({ ...online, mode: 'paused', pausedUntil: minutesAgo(1) }, settings(), mon10, [], null).pauseExpired).toBe(true);
  });

  it('says idle-only is not available headless', () => {
    expect(decide(online, settings({ idleOnly: { enabled: true } }), mon10, [], null).notes.join(' ')).toMatch(/not available headless/);
  });
});

describe('weekly schedule', () => {
  const w = (days: number[], start: string, end: string) => [{ days, start, end }];
  it.each([
    ['Mon 10:00 in Mon 09-11', w([1], '09:00', '11:00'), mon10, true],
    ['Mon 10:00 not in Tue 09-11', w([2], '09:00', '11:00'), mon10, false],
    ['end is exclusive', w([1], '08:00', '10:00'), mon10, false],
    ['start is inclusive', w([1], '10:00', '12:00'), mon10, true],
    ['overnight Sun 22:00-06:00 covers Mon 05:00', w([0], '22:00', '06:00'), new Date(2026, 10, 23, 5, 0), true],
    ['overnight Sun 22:00-06:00 not Mon 07:00', w([0], '22:00', '06:00'), new Date(2026, 10, 23, 7, 0), false],
    ['until 24:00', w([1], '20:00', '24:00'), new Date(2026, 10, 23, 23, 59), true],
    ['start = end is all day', w([1], '00:00', '00:00'), mon10, true],
  ])('%s', (_n, windows, at, expected) => {
    expect(inSchedule(windows, at)).toBe(expected);
  });
});
