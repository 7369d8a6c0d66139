import { describe, expect, it } from 'vitest';
import { availabilityStatus } from '../../../test/availability-status.js';
import type { AvailabilityStatus } from '../../api/methods/availability.js';
import { AppNotification } from '../../api/schemas/notification.js';
import { DesktopSettings } from '../../api/schemas/settings/desktop.js';
import type { TaskSnapshot } from '../../api/schemas/task.js';
import { applyNotificationPolicy, initialPolicyState, NATIVE_LIMIT, type NotificationSignal, type PolicyState } from './notification-policy.js';

const defaults = DesktopSettings.parse({}).notifications;
const t0 = new Date(2026, 10, 30, 14, 0);
const at = (minutes: number) => new Date(t0.getTime() + minutes * 60_000);

/** Runs signals through the policy in order, like the notification center does. */
function run(signals: Array<[number, NotificationSignal]>, settings = defaults, start: PolicyState = initialPolicyState()) {
  let state = start;
  const out: AppNotification[] = [];
  for (const [minute, signal] of signals) {
    const r = applyNotificationPolicy(state, signal, settings, at(minute));
    state = r.state;
    for (const n of r.notifications) out.push(AppNotification.parse(n));
  }
  return { state, out };
}

const lease = (n: number) => ({ id: `akash1tenant${n}/${1000 + n}/1/1`, description: `Tenant akash1tenant${n}…, deployment ${1000 + n}, 12.5 uakt per block` });
const online: AvailabilityStatus = availabilityStatus({}, t0);
const av = (over: Partial<AvailabilityStatus>, minute: number): NotificationSignal => ({ kind: 'availability', status: { ...online, since: at(minute).toISOString(), ...over } });
const task = (over: Partial<TaskSnapshot>): TaskSnapshot => ({ task: 'stack-up-1a2b3c4d', kind: 'stack.up', state: 'running', step: 2, of: 6, message: 'Pulling images', startedAt: t0.toISOString(), log: [], ...over });

describe('notification policy: leases', () => {
  it('says nothing about the leases that were already running at start, then each new and ended one', () => {
    const { out } = run([
      [0, { kind: 'leases', active: [lease(1)] }],
      [5, { kind: 'leases', active: [lease(1), lease(2)] }],
      [10, { kind: 'leases', active: [lease(2)] }],
      [15, { kind: 'leases', active: [lease(2)] }],
    ]);
    expect(out.map((n) => n.title)).toEqual(['Lease won — your GPU is earning', 'A lease ended']);
    expect(out[0]?.body).toContain('deployment 1002');
    expect(out[1]?.body).toContain('Deployment 1001');
    expect(out.every((n) => n.category === 'leases' && n.native)).toBe(true);
  });

  it('sums up many leases changing at once in one notification', () => {
    const { out } = run([
      [0, { kind: 'leases', active: [] }],
      [5, { kind: 'leases', active: [lease(1), lease(2), lease(3), lease(4)] }],
      [10, { kind: 'leases', active: [] }],
    ]);
    expect(out.map((n) => n.title)).toEqual(['4 new leases', '4 leases ended']);
  });
});

describe('notification policy: paused / resumed', () => {
  it.each([
    ['a timed pause runs out', [av({ mode: 'paused', activity: 'paused', bidding: false, pausedUntil: at(60).toISOString() }, 0), av({}, 60)], ['RigLease is bidding again']],
    ['the schedule closes then opens', [av({}, 0), av({ activity: 'scheduled', bidding: false, reason: 'Outside your schedule (Mon–Fri 18:00–08:00).' }, 5), av({}, 65)], ['RigLease paused bidding', 'RigLease is bidding again']],
    ['idle-only waits for idle', [av({}, 0), av({ activity: 'idle-wait', bidding: false, reason: 'Waiting for 15 idle minutes.' }, 5)], ['RigLease paused bidding']],
    ['the user pauses from the tray', [av({}, 0), av({ mode: 'paused', activity: 'paused', bidding: false, pausedUntil: at(60).toISOString() }, 1)], []],
    ['the user resumes a pause early', [av({ mode: 'paused', activity: 'paused', bidding: false, pausedUntil: at(60).toISOString() }, 0), av({}, 10)], []],
    ['the user goes offline', [av({}, 0), av({ mode: 'offline', activity: 'offline', bidding: false }, 1)], []],
    // The availability service words gaming pauses itself (a `message` signal): not twice.
    ['a game starts', [av({}, 0), av({ activity: 'gaming', bidding: false }, 1)], []],
  ] as const)('%s', (_name, signals, titles) => {
    // Each change arrives at the time its status says it happened.
    const { out } = run(signals.map((s) => [s.kind === 'availability' ? (Date.parse(s.status.since) - t0.getTime()) / 60_000 : 0, s] as [number, NotificationSignal]));
    expect(out.map((n) => n.title)).toEqual(titles);
  });

  it('passes the gaming note through once, even when it is sent twice', () => {
    const note: NotificationSignal = { kind: 'message', category: 'availability', key: 'gaming:paused', title: 'RigLease paused for gaming', body: 'cyberpunk2077.exe uses the GPU.', source: 'availability' };
    const { out } = run([[0, note], [1, note], [40, note]]);
    expect(out.map((n) => n.at)).toEqual([at(0).toISOString(), at(40).toISOString()]);
    expect(out[0]?.source).toBe('availability');
  });
});

describe('notification policy: errors and balance', () => {
  it('a failed task is an error with its fix, once; a cancelled one or a log stream is not', () => {
    const failed = task({ state: 'failed', failedStep: 2, error: { code: 'unavailable', message: 'Docker is not running.', fix: 'Start Docker Desktop, then press Retry.' } });
    const { out } = run([
      [0, { kind: 'task', task: task({}) }],
      [1, { kind: 'task', task: failed }],
      [2, { kind: 'task', task: failed }],
      [3, { kind: 'task', task: task({ task: 'stack-up-99999999', state: 'cancelled' }) }],
      [4, { kind: 'task', task: task({ task: 'stack-logs-1', kind: 'stack.logs', state: 'failed', error: { code: 'internal', message: 'stream ended' } }) }],
    ]);
    expect(out).toHaveLength(1);
    expect(out[0]).toMatchObject({ title: 'Starting the provider failed', level: 'error', category: 'errors' });
    expect(out[0]?.body).toBe('Docker is not running. Start Docker Desktop, then press Retry.');
  });

  it('low balance is said when it becomes low, not on every look, and again after it recovered', () => {
    const low: NotificationSignal = { kind: 'balance', ok: false, akt: '0.4', message: 'A bid needs a 5 AKT deposit.' };
    const ok: NotificationSignal = { kind: 'balance', ok: true, akt: '12', message: 'Enough for bids.' };
    const { out } = run([[0, ok], [5, low], [10, low], [15, low], [20, ok], [25 + 12 * 60, low]]);
    expect(out.map((n) => n.title)).toEqual(['Balance too low to keep bidding', 'Balance too low to keep bidding']);
    expect(out[0]?.body).toBe('0.4 AKT in the wallet. A bid needs a 5 AKT deposit.');
    expect(out[0]?.level).toBe('warning');
  });
});

describe('notification policy: settings and rate limit', () => {
  it('with native notifications off, everything still reaches the app but nothing is native', () => {
    const off = DesktopSettings.parse({ notifications: { enabled: false } }).notifications;
    const { out } = run([[0, { kind: 'leases', active: [] }], [1, { kind: 'leases', active: [lease(1)] }]], off);
    expect(out).toHaveLength(1);
    expect(out[0]?.native).toBe(false);
  });

  it('one category can be switched off on its own', () => {
    const noLeases = DesktopSettings.parse({ notifications: { leases: false } }).notifications;
    const { out } = run(
      [
        [0, { kind: 'leases', active: [] }],
        [1, { kind: 'leases', active: [lease(1)] }],
        [2, { kind: 'balance', ok: false, akt: '0', message: 'Fund the wallet.' }],
      ],
      noLeases,
    );
    expect(out.map((n) => [n.category, n.native])).toEqual([['leases', false], ['lowBalance', true]]);
  });

  it(`shows at most ${NATIVE_LIMIT} native notifications in 10 minutes; the rest only in the app`, () => {
    const signals: Array<[number, NotificationSignal]> = [[0, { kind: 'leases', active: [] }]];
    const active = [];
    for (let i = 1; i <= 6; i++) {
      active.push(lease(i));
      signals.push([i, { kind: 'leases', active: [...active] }]);
    }
    signals.push([15, { kind: 'leases', active: [...active, lease(7)] }]);
    const { out } = run(signals);
    expect(out.map((n) => n.native)).toEqual([true, true, true, true, false, false, true]);
  });
});
