import { describe, expect, it } from 'vitest';
import { availabilityStatus } from '../../../test/availability-status.js';
import type { AvailabilityStatus } from '../../api/methods/availability.js';
import { AvailabilitySetInput } from '../../api/methods/availability.js';
import type { RigStatus } from '../../api/schemas/dashboard.js';
import type { TaskSnapshot } from '../../api/schemas/task.js';
import { trayAction, trayView, type TrayItem } from '../tray-model.js';
import { resolveTrayState, TraySignalTracker, type TraySignals } from './tray-state.js';

const now = new Date(2026, 10, 30, 14, 0);
const online: AvailabilityStatus = availabilityStatus({}, now);
const a = (over: Partial<AvailabilityStatus>): AvailabilityStatus => ({ ...online, ...over });
const sig = (over: Partial<TraySignals>): TraySignals => ({ availability: online, stack: 'running', running: [], errors: [], ...over });
const paused = a({ mode: 'paused', activity: 'paused', bidding: false });
const offline = a({ mode: 'offline', activity: 'offline', bidding: false });
const gaming = a({ activity: 'gaming', bidding: false });

describe('resolveTrayState: one of six states, by priority', () => {
  it.each([
    ['online, stack running', sig({}), 'online', 'Online — bidding'],
    ['online, stack not known (Docker not asked yet)', sig({ stack: null }), 'online', 'Online — bidding'],
    ['paused', sig({ availability: paused }), 'paused', 'Paused — no new bids'],
    ['outside the schedule', sig({ availability: a({ activity: 'scheduled', bidding: false }) }), 'paused', 'Outside schedule — not bidding'],
    ['waiting for idle', sig({ availability: a({ activity: 'idle-wait', bidding: false }) }), 'paused', 'Waiting for idle — not bidding'],
    ['gaming', sig({ availability: gaming }), 'gaming', 'Gaming — bidding paused'],
    ['offline by choice', sig({ availability: offline, stack: 'stopped' }), 'offline', 'Offline — provider stopped'],
    ['online but the stack was never installed', sig({ stack: 'not_installed' }), 'offline', 'Not providing yet — finish setup'],
    ['online but the stack is stopped', sig({ stack: 'stopped' }), 'offline', 'Provider stopped — not earning'],
    ['gaming while the stack is stopped: not earning either way', sig({ availability: gaming, stack: 'stopped' }), 'offline', 'Provider stopped — not earning'],
    ['stack starting', sig({ stack: 'starting' }), 'working', 'Provider starting…'],
    ['a stack operation running', sig({ running: [{ kind: 'stack.up', message: 'Pulling images (2/6)' }] }), 'working', 'Working — Pulling images (2/6)'],
    ['a followed log is not work', sig({ running: [{ kind: 'stack.logs', message: 'Following akash-provider' }] }), 'online', 'Online — bidding'],
    ['availability not read yet', sig({ availability: null, stack: null }), 'working', 'Starting…'],
    ['stack degraded', sig({ stack: 'degraded' }), 'error', 'Provider needs attention — open RigLease'],
    ['an error beats everything', sig({ errors: ['Docker is not running — start Docker Desktop'], running: [{ kind: 'stack.up', message: 'x' }], availability: gaming }), 'error', 'Docker is not running — start Docker Desktop'],
    ['work beats offline', sig({ availability: offline, running: [{ kind: 'provider-register', message: 'Broadcasting' }] }), 'working', 'Working — Broadcasting'],
  ] as const)('%s → %s', (_name, signals, icon, line) => {
    expect(resolveTrayState(signals)).toEqual({ icon, line });
  });
});

describe('trayView', () => {
  const flat = (items: TrayItem[]): TrayItem[] => items.flatMap((i) => ('submenu' in i ? [i, ...flat(i.submenu)] : [i]));
  const labelOf = (items: TrayItem[], id: string) => flat(items).find((i) => 'id' in i && i.id === id) as { label: string } | undefined;

  it('has state, switch, "Pause for…" with four choices, open and quit', () => {
    const v = trayView(sig({}), now);
    const pauseFor = v.items.find((i) => 'submenu' in i);
    expect(pauseFor && 'submenu' in pauseFor ? pauseFor.label : null).toBe('Pause for…');
    expect(pauseFor && 'submenu' in pauseFor ? pauseFor.submenu.map((i) => ('label' in i ? i.label : '-')) : []).toEqual(['15 minutes', '1 hour', '4 hours', 'Until tomorrow 08:00']);
    expect(v.items.slice(0, 2)).toEqual([{ id: 'state', label: 'Online — bidding', enabled: false }, { id: 'pause', label: 'Pause bidding' }]);
    expect(labelOf(v.items, 'open')?.label).toBe('Open RigLease');
    expect(labelOf(v.items, 'quit')?.label).toBe('Quit RigLease');
  });

  it('keeps the availability switch while showing an error, and offers to dismiss it', () => {
    const v = trayView(sig({ errors: ['Starting the provider failed: Docker is not running.'] }), now);
    expect(v.icon).toBe('error');
    expect(v.items[0]).toEqual({ id: 'state', label: 'Starting the provider failed: Docker is not running.', enabled: false });
    expect(labelOf(v.items, 'dismiss-errors')).toBeDefined();
    expect(labelOf(v.items, 'pause')).toBeDefined();
    expect(v.tooltip).toBe('RigLease: Starting the provider failed: Docker is not running.');
    expect(trayView(sig({}), now).tooltip).toBe('RigLease: Online — bidding. Switched on: bids on new orders whenever the provider runs.');
  });

  it('says "paused until" and the game, and offers the update restart only when one is ready', () => {
    expect(trayView(sig({ availability: { ...paused, pausedUntil: new Date(2026, 10, 30, 15, 30).toISOString() } }), now).items[0]).toMatchObject({ label: 'Paused until 15:30 — no new bids' });
    expect(trayView(sig({ availability: { ...gaming, gaming: { enabled: true, processes: ['eldenring.exe'] } } }), now).items[0]).toMatchObject({ label: 'Gaming (eldenring.exe) — bidding paused' });
    expect(labelOf(trayView(sig({}), now).items, 'update-restart')).toBeUndefined();
    expect(labelOf(trayView(sig({}), now, { updateReady: '0.2.0' }).items, 'update-restart')?.label).toBe('Restart to update (0.2.0)');
  });

  it('every "Pause for…" choice is a valid availability change of that length', () => {
    for (const [id, minutes] of [['pause-15m', 15], ['pause-1h', 60], ['pause-4h', 240]] as const) {
      const act = trayAction(id, now);
      expect(act).toEqual({ kind: 'availability', input: { mode: 'pause', forMinutes: minutes, reason: 'from the tray' } });
      if (act.kind === 'availability') expect(AvailabilitySetInput.parse(act.input)).toEqual(act.input);
    }
    expect(trayAction('update-restart', now)).toEqual({ kind: 'update' });
    expect(trayAction('dismiss-errors', now)).toEqual({ kind: 'dismiss-errors' });
  });
});

describe('TraySignalTracker', () => {
  const snap = (over: Partial<TaskSnapshot>): TaskSnapshot => ({ task: 'stack-up-aaaa', kind: 'stack.up', state: 'running', step: 1, of: 6, message: 'Creating the network', startedAt: now.toISOString(), log: [], ...over });

  it('a running task is work; its failure stays an error until the same kind succeeds', () => {
    const t = new TraySignalTracker();
    t.onAvailability(online);
    t.onStack('stopped');
    t.onTask(snap({}));
    expect(resolveTrayState(t.signals())).toEqual({ icon: 'working', line: 'Working — Creating the network' });
    t.onTask(snap({ state: 'failed', message: 'Docker is not running.', error: { code: 'unavailable', message: 'Docker is not running.' } }));
    expect(resolveTrayState(t.signals())).toEqual({ icon: 'error', line: 'Docker is not running.' });
    t.onTask(snap({ task: 'stack-up-bbbb' }));
    expect(resolveTrayState(t.signals()).icon).toBe('error');
    t.onTask(snap({ task: 'stack-up-bbbb', state: 'succeeded', message: 'Done.' }));
    t.onStack('running');
    expect(resolveTrayState(t.signals())).toEqual({ icon: 'online', line: 'Online — bidding' });
  });

  it('an unreadable availability is an error until the next good status; dismiss clears errors', () => {
    const t = new TraySignalTracker();
    t.onAvailabilityError('The settings file could not be read.');
    expect(resolveTrayState(t.signals()).icon).toBe('error');
    t.onAvailability(paused);
    expect(resolveTrayState(t.signals()).icon).toBe('paused');
    t.onTask(snap({ kind: 'bench.run', state: 'failed', message: 'GPU fell off the bus' }));
    expect(resolveTrayState(t.signals()).icon).toBe('error');
    t.dismissErrors();
    expect(resolveTrayState(t.signals()).icon).toBe('paused');
  });
});

describe('the tray says the rig\'s one state', () => {
  const rig = (state: RigStatus['state'], text: string, level: RigStatus['level'] = 'ok', route: string | null = null): RigStatus => ({ state, level, text, fix: null, route });

  // Seen: a bare machine said "Online" while the app said "Not ready".
  it('shows the same line as the top bar, not availability\'s "online"', () => {
    const s = sig({ stack: null, rig: rig('not_ready', 'Not ready: no Docker engine was found on this machine', 'block', '/readiness') });
    expect(resolveTrayState(s)).toEqual({ icon: 'offline', line: 'Not ready: no Docker engine was found on this machine' });
    expect(trayView(s, now).items[0]).toEqual({ id: 'state', label: 'Not ready: no Docker engine was found on this machine', enabled: false });
  });

  it('while a lease runs and bids are paused: the GPU is rented, and the tray offers to take it back with notice', () => {
    const line = 'Earning: 1 active lease on rtx4090 24Gi · GPU 0 rented until you reclaim it (the pause only stops new bids)';
    const v = trayView(sig({ availability: a({ mode: 'paused', activity: 'paused', bidding: false }), rig: rig('earning', line, 'warn', '/leases') }), now);
    expect(v.items[0]).toEqual({ id: 'state', label: line, enabled: false });
    expect(v.items).toContainEqual({ id: 'reclaim', label: 'Take the GPU back (with notice)…' });
    expect(trayAction('reclaim', now)).toEqual({ kind: 'reclaim' });
  });

  it('errors and work in progress still come first', () => {
    expect(resolveTrayState(sig({ errors: ['Starting failed'], rig: rig('bidding', 'Online: bidding, waiting for the first lease') })).icon).toBe('error');
  });
});
