import type { AvailabilitySetInput, AvailabilityStatus } from '../api/methods/availability.js';

/** The icons in resources/tray/ (each with an @2x twin). */
export type TrayIcon = 'online' | 'paused' | 'gaming' | 'offline' | 'working' | 'error';

export type TrayItem = { id: string; label: string; enabled?: boolean } | { separator: true };

/** What the tray shows, as plain data; electron/tray.ts only draws it. */
export interface TrayView {
  icon: TrayIcon;
  tooltip: string;
  items: TrayItem[];
}

/** What a click on a tray item asks for. */
export type TrayAction =
  | { kind: 'availability'; input: AvailabilitySetInput }
  /** Going offline ends leases: the window opens on the availability control, which asks first. */
  | { kind: 'confirm-offline' }
  | { kind: 'open' }
  | { kind: 'quit' }
  | { kind: 'none' };

const ICON: Record<AvailabilityStatus['activity'], TrayIcon> = {
  online: 'online',
  paused: 'paused',
  gaming: 'gaming',
  scheduled: 'paused',
  'idle-wait': 'paused',
  offline: 'offline',
};

const TITLE: Record<AvailabilityStatus['activity'], string> = {
  online: 'Online — bidding',
  paused: 'Paused — no new bids',
  gaming: 'Gaming — bidding paused',
  scheduled: 'Outside schedule — not bidding',
  'idle-wait': 'Waiting for idle — not bidding',
  offline: 'Offline — provider stopped',
};

/** 14:05 in the user's locale-free 24 h form, for "until 14:05". */
function hhmm(iso: string, now: Date): string {
  const d = new Date(iso);
  const time = `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`;
  const sameDay = d.toDateString() === now.toDateString();
  return sameDay ? time : `${['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'][d.getDay()]} ${time}`;
}

/** Tomorrow 08:00 local: "until tomorrow". */
export function tomorrowMorning(now: Date): Date {
  return new Date(now.getFullYear(), now.getMonth(), now.getDate() + 1, 8, 0, 0, 0);
}

/**
 * Availability (null = not known yet, e.g. while starting) → icon, tooltip and menu. The state is
 * the first line; the item under it switches it in one click.
 */
export function trayModel(status: AvailabilityStatus | null, now: Date, error: string | null = null): TrayView {
  if (error) {
    return { icon: 'error', tooltip: `RigLease: ${error}`, items: [{ id: 'state', label: error, enabled: false }, { separator: true }, { id: 'open', label: 'Open RigLease' }, { id: 'quit', label: 'Quit RigLease' }] };
  }
  if (!status) {
    return { icon: 'working', tooltip: 'RigLease: starting…', items: [{ id: 'state', label: 'Starting…', enabled: false }, { separator: true }, { id: 'open', label: 'Open RigLease' }, { id: 'quit', label: 'Quit RigLease' }] };
  }
  let title = TITLE[status.activity];
  if (status.activity === 'paused' && status.pausedUntil) title = `Paused until ${hhmm(status.pausedUntil, now)} — no new bids`;
  if (status.activity === 'gaming' && status.gaming.processes.length > 0) title = `Gaming (${status.gaming.processes.slice(0, 2).join(', ')}) — bidding paused`;
  const items: TrayItem[] = [{ id: 'state', label: title, enabled: false }];
  if (status.mode === 'online') {
    items.push({ id: 'pause', label: 'Pause bidding' });
  } else {
    items.push({ id: 'online', label: status.mode === 'offline' ? 'Go online (start the provider)' : 'Resume bidding' });
  }
  items.push({ id: 'pause-1h', label: 'Pause for 1 hour' }, { id: 'pause-tomorrow', label: `Pause until tomorrow ${hhmm(tomorrowMorning(now).toISOString(), tomorrowMorning(now))}` });
  if (status.mode !== 'offline') items.push({ id: 'offline', label: 'Go offline…' });
  items.push({ separator: true }, { id: 'open', label: 'Open RigLease' }, { id: 'quit', label: 'Quit RigLease' });
  return { icon: ICON[status.activity], tooltip: `RigLease: ${title}. ${status.reason}`, items };
}

/** The action behind a tray item id; unknown ids do nothing. */
export function trayAction(id: string, now: Date): TrayAction {
  switch (id) {
    case 'online':
      return { kind: 'availability', input: { mode: 'online' } };
    case 'pause':
      return { kind: 'availability', input: { mode: 'pause', reason: 'from the tray' } };
    case 'pause-1h':
      return { kind: 'availability', input: { mode: 'pause', forMinutes: 60, reason: 'from the tray' } };
    case 'pause-tomorrow':
      return { kind: 'availability', input: { mode: 'pause', until: tomorrowMorning(now).toISOString(), reason: 'from the tray' } };
    case 'offline':
      return { kind: 'confirm-offline' };
    case 'open':
      return { kind: 'open' };
    case 'quit':
      return { kind: 'quit' };
    default:
      return { kind: 'none' };
  }
}
