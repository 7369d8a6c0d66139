import type { AvailabilitySettings } from '../../api/schemas/settings/availability.js';
import { inSchedule } from './schedule.js';

export type AvailabilityMode = 'online' | 'paused' | 'offline';
/** What the rig is doing right now; the tray shows one icon per activity. */
export type Activity = 'online' | 'paused' | 'gaming' | 'scheduled' | 'idle-wait' | 'offline';

export interface AvailabilityState {
  mode: AvailabilityMode;
  /** ISO time a pause ends by itself; null = until switched back. */
  pausedUntil: string | null;
  pauseReason: string | null;
  /** Last time a non-RigLease process was seen on a GPU. */
  lastForeignGpuAt: string | null;
}

export interface SeenGpuProcess {
  pid: number;
  name: string;
  /** True for RigLease's own work (tenant containers in k3s); only other processes mean gaming. */
  ours: boolean;
}

export interface Decision {
  bidding: boolean;
  activity: Activity;
  reason: string;
  /** When bidding comes back by itself, if known. */
  resumesAt: string | null;
  lastForeignGpuAt: string | null;
  /** A timed pause has run out: the caller switches the stored mode back to online and logs it. */
  pauseExpired: boolean;
  foreignProcesses: string[];
  notes: string[];
}

/**
 * The executable's own name from what nvidia-smi prints: on Linux that is the whole command line
 * (`/opt/microsoft/msedge/msedge --type=gpu-process --user-data-dir=/home/…`), so arguments go
 * first, then the folder. Windows paths may hold spaces but not ` -` before the file name.
 */
export function processLabel(name: string): string {
  const cut = name.search(/\s-/);
  const exe = (cut >= 0 ? name.slice(0, cut) : name).trim();
  return (exe.split(/[\\/]/).pop() ?? exe).toLowerCase();
}

/**
 * Display servers and desktop shells hold the GPU on every desktop all day: they never mean
 * "someone is gaming", or a desktop would never bid. Names as nvidia-smi shows them (real
 * captures in shared/fixtures/nvidia-smi: Xorg, gnome-shell, kwin_x11, plasmashell,
 * cosmic-comp, explorer.exe) plus their Wayland and Windows siblings.
 */
export const DESKTOP_PROCESSES: ReadonlySet<string> = new Set([
  'xorg', 'x', 'xwayland', 'gnome-shell', 'mutter', 'kwin', 'kwin_x11', 'kwin_wayland', 'plasmashell', 'kded5', 'kded6',
  'cosmic-comp', 'sway', 'weston', 'hyprland', 'gamescope-wl', 'dwm.exe', 'explorer.exe', 'csrss.exe',
  'shellexperiencehost.exe', 'startmenuexperiencehost.exe', 'searchhost.exe', 'textinputhost.exe', 'windowsterminal.exe',
]);

const baseName = processLabel;

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/**
 * A time in the reasons people read, in this machine's time zone (the agent runs on the rig):
 * `15:14` today, `Tue 1 Dec 08:00` otherwise. The ISO form stays in the structured fields.
 */
export function localTime(iso: string, now: Date): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const hm = `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`;
  return d.toDateString() === now.toDateString() ? hm : `${DAYS[d.getDay()]} ${d.getDate()} ${MONTHS[d.getMonth()]} ${hm}`;
}

/**
 * Whether the rig should bid now, and why. Pure: the service feeds it the stored state, the
 * settings, the clock, the GPU processes of the last scan (null = unknown) and the seconds
 * since the last user input (null = not available, e.g. headless).
 * Precedence: offline > manual pause > gaming > schedule > idle-only > online.
 */
export function decide(
  state: AvailabilityState,
  settings: AvailabilitySettings,
  now: Date,
  gpuProcesses: SeenGpuProcess[] | null,
  idleSeconds: number | null,
): Decision {
  const notes: string[] = [];
  const ignore = new Set(settings.gaming.ignoreProcessNames.map((n) => n.toLowerCase()));
  const foreign = (gpuProcesses ?? []).filter((p) => !p.ours && !DESKTOP_PROCESSES.has(baseName(p.name)) && !ignore.has(baseName(p.name)) && !ignore.has(p.name.toLowerCase()));
  // Some drivers (vGPU, some WDDM) print no name: the pid is all a person can look up.
  const foreignNames = [...new Set(foreign.map((p) => baseName(p.name) || `pid ${p.pid}`))];
  let lastForeign = state.lastForeignGpuAt;
  if (settings.gaming.enabled && foreign.length > 0) lastForeign = now.toISOString();
  if (gpuProcesses === null && settings.gaming.enabled) notes.push('GPU processes unknown (last scan failed): gaming detection is waiting for a scan.');

  const base = { lastForeignGpuAt: lastForeign, foreignProcesses: foreignNames, notes };
  const pauseEnd = state.pausedUntil ? Date.parse(state.pausedUntil) : null;
  const pauseExpired = state.mode === 'paused' && pauseEnd !== null && pauseEnd <= now.getTime();

  if (state.mode === 'offline') {
    return { ...base, bidding: false, activity: 'offline', reason: 'Offline: the provider is stopped.', resumesAt: null, pauseExpired: false };
  }
  if (state.mode === 'paused' && !pauseExpired) {
    const why = state.pauseReason ? ` (${state.pauseReason})` : '';
    return {
      ...base,
      bidding: false,
      activity: 'paused',
      reason: state.pausedUntil ? `Paused until ${localTime(state.pausedUntil, now)}${why}: no new bids, running leases continue.` : `Paused${why}: no new bids, running leases continue.`,
      resumesAt: state.pausedUntil,
      pauseExpired: false,
    };
  }
  if (settings.gaming.enabled && lastForeign !== null) {
    const resumeAt = Date.parse(lastForeign) + settings.gaming.resumeAfterMinutes * 60_000;
    if (foreign.length > 0) {
      return { ...base, bidding: false, activity: 'gaming', reason: `Gaming: ${foreignNames.join(', ')} is using the GPU, so no new bids.`, resumesAt: new Date(resumeAt).toISOString(), pauseExpired };
    }
    if (now.getTime() < resumeAt) {
      return { ...base, bidding: false, activity: 'gaming', reason: `Gaming ended; bidding resumes at ${localTime(new Date(resumeAt).toISOString(), now)}.`, resumesAt: new Date(resumeAt).toISOString(), pauseExpired };
    }
  }
  if (settings.schedule.enabled && settings.schedule.windows.length > 0 && !inSchedule(settings.schedule.windows, now)) {
    return { ...base, bidding: false, activity: 'scheduled', reason: 'Outside the weekly bidding schedule.', resumesAt: null, pauseExpired };
  }
  if (settings.idleOnly.enabled) {
    if (idleSeconds === null) {
      notes.push('Idle-only mode needs the desktop app (it reads input idle time); not available headless, so it is ignored.');
    } else if (idleSeconds < settings.idleOnly.idleMinutes * 60) {
      const left = Math.ceil(settings.idleOnly.idleMinutes - idleSeconds / 60);
      return { ...base, bidding: false, activity: 'idle-wait', reason: `Idle-only: bidding starts after ${settings.idleOnly.idleMinutes} min without input (${left} min to go).`, resumesAt: null, pauseExpired };
    }
  }
  return { ...base, bidding: true, activity: 'online', reason: 'Switched on: bids on new orders whenever the provider runs.', resumesAt: null, pauseExpired };
}
