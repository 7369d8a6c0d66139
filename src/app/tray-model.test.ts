import { describe, expect, it } from 'vitest';
import { availabilityStatus } from '../../test/availability-status.js';
import type { AvailabilityStatus } from '../api/methods/availability.js';
import { AvailabilitySetInput } from '../api/methods/availability.js';
import { trayAction, trayModel, type TrayItem } from './tray-model.js';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const now = new Date(2026, 10, 30, 14, 0);
const status = (over: Partial<AvailabilityStatus>): AvailabilityStatus => availabilityStatus(over, now);
/** Every clickable id, submenus ("Pause for…") included. */
const idsIn = (items: TrayItem[]): string[] => items.flatMap((i) => ('submenu' in i ? idsIn(i.submenu) : 'id' in i ? [i.id] : []));
const ids = (v: ReturnType<typeof trayModel>) => idsIn(v.items);
const labelOf = (v: ReturnType<typeof trayModel>, id: string) => v.items.find((i) => 'id' in i && i.id === id) as { label: string } | undefined;

describe('tray model', () => {
  it.each([
    ['online', status({}), 'online', 'Online — bidding', 'pause'],
    ['paused until 15:00', status({ mode: 'paused', activity: 'paused', bidding: false, pausedUntil: new Date(2026, 10, 30, 15, 0).toISOString() }), 'paused', 'Paused until 15:00 — no new bids', 'online'],
    ['paused until tomorrow', status({ mode: 'paused', activity: 'paused', bidding: false, pausedUntil: new Date(2026, 11, 1, 8, 0).toISOString() }), 'paused', 'Paused until Tue 08:00 — no new bids', 'online'],
    ['gaming', status({ activity: 'gaming', bidding: false, gaming: { enabled: true, processes: ['cyberpunk2077.exe'] } }), 'gaming', 'Gaming (cyberpunk2077.exe) — bidding paused', 'pause'],
    ['outside schedule', status({ activity: 'scheduled', bidding: false }), 'paused', 'Outside schedule — not bidding', 'pause'],
    ['waiting for idle', status({ activity: 'idle-wait', bidding: false }), 'paused', 'Waiting for idle — not bidding', 'pause'],
    ['offline', status({ mode: 'offline', activity: 'offline', bidding: false }), 'offline', 'Offline — provider stopped', 'online'],
  ] as const)('%s: state first, its icon, and the switch right under it', (_n, s, icon, title, switchId) => {
    const v = trayModel(s, now);
    expect(v.icon).toBe(icon);
    expect(v.items[0]).toEqual({ id: 'state', label: title, enabled: false });
    expect(ids(v)[1]).toBe(switchId);
    expect(v.tooltip).toContain(s.reason);
    expect(ids(v)).toEqual(expect.arrayContaining(['pause-1h', 'pause-tomorrow', 'open', 'quit']));
    expect(ids(v).includes('offline')).toBe(s.mode !== 'offline');
  });

  it('has an icon file for every state it can show', () => {
    const states = [status({}), null, status({ activity: 'gaming' }), status({ mode: 'offline', activity: 'offline' }), status({ mode: 'paused', activity: 'paused' })];
    const icons = [...states.map((s) => trayModel(s, now).icon), trayModel(null, now, 'Docker is not running').icon];
    for (const icon of icons) {
      for (const f of [`${icon}.png`, `${icon}@2x.png`]) expect(existsSync(fileURLToPath(new URL(`../../resources/tray/${f}`, import.meta.url))), f).toBe(true);
    }
  });

  it('shows "starting" before the first status and the error when there is one', () => {
    expect(trayModel(null, now).icon).toBe('working');
    const e = trayModel(null, now, 'Docker is not running');
    expect(e.icon).toBe('error');
    expect(labelOf(e, 'state')?.label).toBe('Docker is not running');
  });

  it('one click = one availability change, each a valid API input', () => {
    for (const id of ['online', 'pause', 'pause-1h', 'pause-tomorrow']) {
      const a = trayAction(id, now);
      expect(a.kind).toBe('availability');
      if (a.kind === 'availability') expect(AvailabilitySetInput.safeParse(a.input).success).toBe(true);
    }
    expect(trayAction('pause-1h', now)).toMatchObject({ input: { mode: 'pause', forMinutes: 60 } });
    const t = trayAction('pause-tomorrow', now);
    expect(t.kind === 'availability' && t.input.mode === 'pause' ? t.input.until : null).toBe(new Date(2026, 11, 1, 8, 0).toISOString());
    // Going offline ends leases: never from one click, the window asks first.
    expect(trayAction('offline', now)).toEqual({ kind: 'confirm-offline' });
    expect(trayAction('open', now)).toEqual({ kind: 'open' });
    expect(trayAction('quit', now)).toEqual({ kind: 'quit' });
    expect(trayAction('state', now)).toEqual({ kind: 'none' });
  });
});
