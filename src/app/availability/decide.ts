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

const baseName = (name: string) => name.split(/[\\/]/).pop()!.toLowerCase();

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
  const foreign = (gpuProcesses ?? []).filter((p) => !p.ours && !ignore.has(baseName(p.name)) && !ignore.has(p.name.toLowerCase()));
  const foreignNames = [...new Set(foreign.map((p) => baseName(p.name)))];
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
      reason: state.pausedUntil ? `Paused until ${state.pausedUntil}${why}: no new bids, running leases continue.` : `Paused${why}: no new bids, running leases continue.`,
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
      return { ...base, bidding: false, activity: 'gaming', reason: `Gaming ended; bidding resumes at ${new Date(resumeAt).toISOString()}.`, resumesAt: new Date(resumeAt).toISOString(), pauseExpired };
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
  return { ...base, bidding: true, activity: 'online', reason: 'Online: bidding on new orders.', resumesAt: null, pauseExpired };
}
