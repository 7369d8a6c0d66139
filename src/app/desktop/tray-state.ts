import type { AvailabilityStatus } from '../../api/methods/availability.js';
import type { RigStatus } from '../../api/schemas/dashboard.js';
import type { StackStatus } from '../../api/schemas/stack.js';
import type { TaskSnapshot } from '../../api/schemas/task.js';
import { memberTrayState } from '../farm/member-tray.js';

/** The icons in resources/tray/ (each with an @2x twin). */
export type TrayIcon = 'online' | 'paused' | 'gaming' | 'offline' | 'working' | 'error';

/** Everything the tray looks at, gathered by TraySignalTracker (or a test). */
export interface TraySignals {
  /** Null until the availability service answered once. */
  availability: AvailabilityStatus | null;
  /** The provider stack's overall state; null when not known (Docker not asked yet, or unreachable). */
  stack: StackStatus['overall'] | null;
  /** Long work going on now (stack start, registration, a benchmark…), newest first. */
  running: Array<{ kind: string; message: string }>;
  /** Problems the user must act on, worded for a person, most important first. */
  errors: string[];
  /**
   * The rig's one state (rig.status), the same line the app's top bar shows; absent or null
   * until read, when the tray falls back to availability and the stack alone.
   */
  rig?: RigStatus | null;
}

export interface TrayState {
  icon: TrayIcon;
  /** The first line of the menu and of the tooltip. */
  line: string;
}

/** Task kinds that run until cancelled (a followed log): not "working". */
const BACKGROUND_TASKS = new Set(['stack.logs']);

const ACTIVITY: Record<AvailabilityStatus['activity'], TrayState> = {
  online: { icon: 'online', line: 'Online — bidding' },
  paused: { icon: 'paused', line: 'Paused — no new bids' },
  gaming: { icon: 'gaming', line: 'Gaming — bidding paused' },
  scheduled: { icon: 'paused', line: 'Outside schedule — not bidding' },
  'idle-wait': { icon: 'paused', line: 'Waiting for idle — not bidding' },
  offline: { icon: 'offline', line: 'Offline — provider stopped' },
};

/** The icon for each of the rig's states; the line is the rig's own text, word for word. */
const RIG_ICON: Record<RigStatus['state'], (r: RigStatus) => TrayIcon> = {
  earning: () => 'online',
  bidding: () => 'online',
  paused: () => 'paused',
  gaming: () => 'gaming',
  offline: () => 'offline',
  setup: () => 'offline',
  not_ready: () => 'offline',
  not_bidding: (r) => (r.level === 'block' ? 'error' : 'paused'),
  unknown: () => 'working',
};

/** Only long work the user started counts as working; a followed log does not. */
export function foregroundTasks(running: TraySignals['running']): TraySignals['running'] {
  return running.filter((t) => !BACKGROUND_TASKS.has(t.kind));
}

/**
 * One of the six tray states, by priority: something to fix (error) beats work in progress
 * (working), which beats "not providing at all" (offline), which beats the availability mode
 * (gaming, paused, online). "Online" is only claimed when the stack is known to run or not known.
 */
export function resolveTrayState(s: TraySignals): TrayState {
  const [firstError] = s.errors;
  if (firstError !== undefined) return { icon: 'error', line: firstError };
  const [task] = foregroundTasks(s.running);
  if (task) return { icon: 'working', line: `Working — ${task.message}` };
  if (!s.availability) return { icon: 'working', line: 'Starting…' };
  // A farm member has no stack of its own: its node on the controller is what it offers.
  if (s.availability.farm) return memberTrayState(s.availability, s.availability.farm, (iso) => iso.slice(11, 16));
  if (s.rig) return { icon: RIG_ICON[s.rig.state](s.rig), line: s.rig.text };
  if (s.stack === 'starting') return { icon: 'working', line: 'Provider starting…' };
  if (s.stack === 'degraded') return { icon: 'error', line: 'Provider needs attention — open RigLease' };
  if (s.availability.mode === 'offline') return ACTIVITY.offline;
  if (s.stack === 'not_installed') return { icon: 'offline', line: 'Not providing yet — finish setup' };
  if (s.stack === 'stopped') return { icon: 'offline', line: 'Provider stopped — not earning' };
  return ACTIVITY[s.availability.activity];
}

/** The "paused" line with its end time ("Paused until 15:00") and the game that paused it. */
export function detailedLine(s: TraySignals, base: TrayState, hhmm: (iso: string) => string): string {
  const a = s.availability;
  if (a?.farm && base.icon !== 'error' && base.icon !== 'working') return memberTrayState(a, a.farm, hhmm).line;
  if (!a || s.rig || base.icon === 'error' || base.icon === 'working' || base.icon === 'offline') return base.line;
  if (a.activity === 'paused' && a.pausedUntil) return `Paused until ${hhmm(a.pausedUntil)} — no new bids`;
  if (a.activity === 'gaming' && a.gaming.processes.length > 0) return `Gaming (${a.gaming.processes.slice(0, 2).join(', ')}) — bidding paused`;
  return base.line;
}

/** The snapshots a tracker keeps to answer `signals()`. */
interface TrackedTask {
  kind: string;
  message: string;
  state: TaskSnapshot['state'];
  error: string | null;
}

/**
 * Gathers the tray's inputs from the agent's events. A failed task stays an error until the
 * same kind of task succeeds (or `dismiss` is called); a status that could not be read is an
 * error until the next good one.
 */
export class TraySignalTracker {
  private availability: AvailabilityStatus | null = null;
  private availabilityError: string | null = null;
  private stack: StackStatus['overall'] | null = null;
  private rig: RigStatus | null = null;
  private readonly tasks = new Map<string, TrackedTask>();
  private readonly failedKinds = new Map<string, string>();

  onAvailability(status: AvailabilityStatus): void {
    this.availability = status;
    this.availabilityError = null;
  }

  onAvailabilityError(message: string): void {
    this.availabilityError = message;
  }

  /** Null when Docker could not be asked: the tray then does not claim anything about the stack. */
  onStack(overall: StackStatus['overall'] | null): void {
    this.stack = overall;
  }

  /** Null when rig.status could not be read: the tray then says what availability and the stack say. */
  onRig(status: RigStatus | null): void {
    this.rig = status;
  }

  onTask(t: TaskSnapshot): void {
    const error = t.state === 'failed' ? (t.error?.message ?? t.message) : null;
    this.tasks.set(t.task, { kind: t.kind, message: t.message, state: t.state, error });
    if (t.state === 'failed' && !BACKGROUND_TASKS.has(t.kind)) this.failedKinds.set(t.kind, error ?? 'failed');
    if (t.state === 'succeeded') this.failedKinds.delete(t.kind);
    if (t.state !== 'running') this.tasks.delete(t.task);
  }

  dismissErrors(): void {
    this.failedKinds.clear();
    this.availabilityError = null;
  }

  signals(): TraySignals {
    const running = [...this.tasks.values()].filter((t) => t.state === 'running').map((t) => ({ kind: t.kind, message: t.message })).reverse();
    const errors = [...(this.availabilityError ? [this.availabilityError] : []), ...this.failedKinds.values()];
    return { availability: this.availability, stack: this.stack, running, errors, rig: this.rig };
  }
}
