import { describe, expect, it } from 'vitest';
import { availabilityStatus } from '../../../test/availability-status.js';
import type { AvailabilityStatus } from '../../api/methods/availability.js';
import type { FarmMemberNode } from '../../api/schemas/farm.js';
import { trayAction, trayView, type TrayItem } from '../tray-model.js';
import { memberIntent } from './farm-nodes.js';

const now = new Date(2026, 10, 30, 14, 0);
const status = (over: Partial<AvailabilityStatus>): AvailabilityStatus => availabilityStatus(over, now);
const node = (over: Partial<FarmMemberNode>): FarmMemberNode => ({ controller: 'rig-a', nodeName: 'rl-rig-b', intent: 'schedulable', reason: null, applied: true, told: true, lastContact: now.toISOString(), error: null, ...over });
const cordoned = (reason: string) => node({ intent: 'cordoned', reason });
const paused = status({ mode: 'paused', activity: 'paused', bidding: false });

describe('a farm member\'s tray shows its node on the controller, not a provider of its own', () => {
  it.each([
    ['online, uncordoned', status({ farm: node({}) }), 'online', 'Online — taking leases in rig-a\'s farm'],
    ['paused, cordoned', status({ ...paused, farm: cordoned('the machine itself is paused') }), 'paused', 'Paused — node cordoned by rig-a, leases continue'],
    ['paused for a while', status({ ...paused, pausedUntil: new Date(2026, 10, 30, 15, 30).toISOString(), farm: cordoned('x') }), 'paused', 'Paused until 15:30 — node cordoned by rig-a, leases continue'],
    ['gaming', status({ activity: 'gaming', bidding: false, gaming: { enabled: true, processes: ['cs2.exe'] }, farm: cordoned('the machine itself is gaming') }), 'gaming', 'Gaming (cs2.exe) — node cordoned by rig-a'],
    ['offline, drained', status({ mode: 'offline', activity: 'offline', bidding: false, farm: cordoned('the machine itself went offline (drained)') }), 'offline', 'Offline — node drained by rig-a'],
    ['paused from the fleet view while online here', status({ farm: cordoned('paused from the fleet view') }), 'paused', 'Paused from rig-a\'s fleet view — no new leases'],
    ['paused, controller not reached', status({ ...paused, farm: node({ told: false, error: 'Cannot reach the farm controller' }) }), 'paused', 'Paused — rig-a not told yet (unreachable)'],
    ['cordon recorded, k3s not updated', status({ ...paused, farm: node({ intent: 'cordoned', reason: 'the machine itself is paused', applied: false }) }), 'paused', 'Paused — node cordoned by rig-a, leases continue (k3s not updated yet)'],
  ] as const)('%s → %s', (_name, availability, icon, line) => {
    // "Not installed" is what a member's own stack always says: it must not make the tray claim "finish setup".
    const v = trayView({ availability, stack: 'not_installed', running: [], errors: [] }, now);
    expect(v.icon).toBe(icon);
    expect(v.items[0]).toEqual({ id: 'state', label: line, enabled: false });
  });

  it('the switch speaks of this machine\'s leases, and its items still do what they did', () => {
    const label = (items: TrayItem[], id: string) => (items.find((i) => 'id' in i && i.id === id) as { label: string } | undefined)?.label;
    const on = trayView({ availability: status({ farm: node({}) }), stack: 'not_installed', running: [], errors: [] }, now).items;
    expect(label(on, 'pause')).toBe('Pause this machine (no new leases)');
    expect(label(on, 'offline')).toBe('Go offline (drain this machine)…');
    expect(trayAction('offline', now)).toEqual({ kind: 'confirm-offline' });
    const off = trayView({ availability: status({ mode: 'offline', activity: 'offline', bidding: false, farm: cordoned('x') }), stack: null, running: [], errors: [] }, now).items;
    expect(label(off, 'online')).toBe('Go online (take leases again)');
    // Errors and work still come first.
    expect(trayView({ availability: status({ farm: node({}) }), stack: null, running: [], errors: ['Docker is not running'] }, now).icon).toBe('error');
  });
});

describe('a farm controller with members', () => {
  it('its switch says the pause is this machine\'s and offline stops the whole farm; a lone rig keeps its words', () => {
    const label = (items: TrayItem[], id: string) => (items.find((i) => 'id' in i && i.id === id) as { label: string } | undefined)?.label;
    const ctl = trayView({ availability: status({ controllerOfFarm: { members: 2 } }), stack: 'running', running: [], errors: [] }, now).items;
    expect(label(ctl, 'pause')).toBe('Pause this machine (the farm keeps bidding)');
    expect(label(ctl, 'offline')).toBe('Go offline (stops the whole farm)…');
    const lone = trayView({ availability: status({}), stack: 'running', running: [], errors: [] }, now).items;
    expect(label(lone, 'pause')).toBe('Pause bidding');
    expect(label(lone, 'offline')).toBe('Go offline…');
  });
});

describe('memberIntent: what a member\'s node should be', () => {
  it.each([
    [null, false, 'schedulable', null],
    ['online', false, 'schedulable', null],
    ['paused', false, 'cordoned', 'the machine itself is paused'],
    ['gaming', false, 'cordoned', 'the machine itself is gaming'],
    ['scheduled', false, 'cordoned', 'the machine itself is scheduled'],
    ['offline', false, 'cordoned', 'the machine itself went offline (drained)'],
    ['online', true, 'cordoned', 'paused from the fleet view'],
    ['gaming', true, 'cordoned', 'paused from the fleet view'],
  ] as const)('availability %s, paused from the fleet view %s → %s', (availability, manual, state, reason) => {
    const i = memberIntent({ nodeName: 'rl-rig-b', availability }, manual);
    expect(i).toMatchObject({ manual, state, reason, command: ['kubectl', state === 'cordoned' ? 'cordon' : 'uncordon', 'rl-rig-b'], applied: false });
  });
});
