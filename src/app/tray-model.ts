import type { AvailabilitySetInput, AvailabilityStatus } from '../api/methods/availability.js';
import { detailedLine, resolveTrayState, type TrayIcon, type TraySignals } from './desktop/tray-state.js';
import { controllerMenuLabels, memberMenuLabels } from './farm/member-tray.js';
import { DEMO_MENU_IDS, demoMenuItems, type DemoMenuState } from './desktop/demo-menu.js';

export type { TrayIcon, TraySignals };

export type TrayItem = { id: string; label: string; enabled?: boolean } | { separator: true } | { label: string; submenu: TrayItem[] };

/** What the tray shows, as plain data; electron/tray.ts only draws it. */
export interface TrayView {
  icon: TrayIcon;
  tooltip: string;
  items: TrayItem[];
}

/** What the shell adds to the agent's signals. */
export interface TrayExtras {
  /** A downloaded update waiting for a restart (its version), or null. */
  updateReady?: string | null;
  /** "Try the demo" (src/app/desktop/demo-menu.ts); absent where the host offers no demo. */
  demo?: DemoMenuState;
}

/** What a click on a tray item asks for. */
export type TrayAction =
  | { kind: 'availability'; input: AvailabilitySetInput }
  /** Going offline ends leases: the window opens on the availability control, which asks first. */
  | { kind: 'confirm-offline' }
  /** The GPU back from a running lease, politely: the Leases screen gives notice (and says the deadline). */
  | { kind: 'reclaim' }
  | { kind: 'open' }
  | { kind: 'quit' }
  /** Restart into the downloaded update (the update policy still decides whether now is safe). */
  | { kind: 'update' }
  /** The user saw the error; the tray goes back to the availability state. */
  | { kind: 'dismiss-errors' }
  /** A "Try the demo" entry; what it does depends on the demo's state (demoMenuAction). */
  | { kind: 'demo'; id: string }
  | { kind: 'none' };

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

/** "Pause for…": how long each item pauses (minutes). */
export const PAUSE_FOR: ReadonlyArray<{ id: string; label: string; minutes: number }> = [
  { id: 'pause-15m', label: '15 minutes', minutes: 15 },
  { id: 'pause-1h', label: '1 hour', minutes: 60 },
  { id: 'pause-4h', label: '4 hours', minutes: 240 },
];

/**
 * The tray from everything it looks at: the icon and first line from resolveTrayState (error,
 * working, offline, gaming, paused, online), then the switch for the current mode right under
 * it, "Pause for…", "Go offline…", and open / quit.
 */
export function trayView(signals: TraySignals, now: Date, extras: TrayExtras = {}): TrayView {
  const state = resolveTrayState(signals);
  const line = detailedLine(signals, state, (iso) => hhmm(iso, now));
  const status = signals.availability;
  const items: TrayItem[] = [{ id: 'state', label: line, enabled: false }];
  if (signals.errors.length > 0) items.push({ id: 'dismiss-errors', label: 'Dismiss this error' });
  if (status) {
    // A farm member switches its node (cordon, drain) rather than bidding.
    // A farm controller with members pauses only itself (its node); the farm keeps bidding.
    const member = status.farm ? memberMenuLabels() : status.controllerOfFarm ? controllerMenuLabels() : null;
    if (status.mode === 'online') items.push({ id: 'pause', label: member?.pause ?? 'Pause bidding' });
    else items.push({ id: 'online', label: status.mode === 'offline' ? (member?.online ?? 'Go online (start the provider)') : (member?.resume ?? 'Resume bidding') });
    const tomorrow = tomorrowMorning(now);
    items.push({
      label: 'Pause for…',
      submenu: [...PAUSE_FOR.map((p) => ({ id: p.id, label: p.label })), { id: 'pause-tomorrow', label: `Until tomorrow ${hhmm(tomorrow.toISOString(), tomorrow)}` }],
    });
    if (status.mode !== 'offline') items.push({ id: 'offline', label: member?.offline ?? 'Go offline…' });
  }
  // Pause and gaming stop new bids only: a tenant keeps the GPU until given notice or the lease ends.
  if (signals.rig?.state === 'earning' && signals.rig.route === '/leases') items.push({ id: 'reclaim', label: 'Take the GPU back (with notice)…' });
  items.push({ separator: true });
  if (extras.updateReady) items.push({ id: 'update-restart', label: `Restart to update (${extras.updateReady})` });
  if (extras.demo) items.push(...demoMenuItems(extras.demo));
  items.push({ id: 'open', label: 'Open RigLease' }, { id: 'quit', label: 'Quit RigLease' });
  const reason = status && state.icon !== 'error' && state.icon !== 'working' ? ` ${status.reason}` : '';
  const sentence = /[.…!?]$/.test(line) ? line : `${line}.`;
  return { icon: state.icon, tooltip: `RigLease: ${sentence}${reason}`, items };
}

/** Availability alone (null = not known yet) with an optional error: the tray before anything else is known. */
export function trayModel(status: AvailabilityStatus | null, now: Date, error: string | null = null): TrayView {
  return trayView({ availability: status, stack: null, running: [], errors: error ? [error] : [] }, now);
}

/** The action behind a tray item id; unknown ids do nothing. */
export function trayAction(id: string, now: Date): TrayAction {
  switch (id) {
    case 'online':
      return { kind: 'availability', input: { mode: 'online' } };
    case 'pause':
      return { kind: 'availability', input: { mode: 'pause', reason: 'from the tray' } };
    case 'pause-15m':
    case 'pause-1h':
    case 'pause-4h': {
      const minutes = PAUSE_FOR.find((p) => p.id === id)?.minutes ?? 60;
      return { kind: 'availability', input: { mode: 'pause', forMinutes: minutes, reason: 'from the tray' } };
    }
    case 'pause-tomorrow':
      return { kind: 'availability', input: { mode: 'pause', until: tomorrowMorning(now).toISOString(), reason: 'from the tray' } };
    case 'offline':
      return { kind: 'confirm-offline' };
    case 'reclaim':
      return { kind: 'reclaim' };
    case 'open':
      return { kind: 'open' };
    case 'quit':
      return { kind: 'quit' };
    case 'update-restart':
      return { kind: 'update' };
    case 'dismiss-errors':
      return { kind: 'dismiss-errors' };
    case DEMO_MENU_IDS.start:
    case DEMO_MENU_IDS.open:
    case DEMO_MENU_IDS.stop:
      return { kind: 'demo', id };
    default:
      return { kind: 'none' };
  }
}
