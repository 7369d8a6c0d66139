import type { AvailabilityStatus, LeaseSummary } from '../../api/methods/availability.js';
import type { AppNotification, NotificationCategory } from '../../api/schemas/notification.js';
import type { DesktopSettings } from '../../api/schemas/settings/desktop.js';
import type { TaskSnapshot } from '../../api/schemas/task.js';

/** What the agent saw; the policy turns it into zero or more notifications. */
export type NotificationSignal =
  /** The provider's active leases now (the first one only sets the baseline). */
  | { kind: 'leases'; active: LeaseSummary[] }
  /** Every `availability.changed`: automatic, non-gaming changes of bidding become paused/resumed. */
  | { kind: 'availability'; status: AvailabilityStatus }
  /** Every `task.progress`: a task that failed (not cancelled) becomes an error. */
  | { kind: 'task'; task: TaskSnapshot }
  /** The wallet balance against what a provider needs; `ok: false` = too low to keep bidding. */
  | { kind: 'balance'; ok: boolean; akt: string; message: string }
  /** Something another part already worded (gaming pause, update ready, an error). `key` de-duplicates. */
  | { kind: 'message'; category: NotificationCategory; key: string; title: string; body: string; level?: 'info' | 'warning' | 'error'; source: string };

export type NotificationSettings = DesktopSettings['notifications'];

export interface PolicyState {
  /** Active lease ids at the last look; null until the first look (baseline). */
  leases: string[] | null;
  lastAvailability: AvailabilityStatus | null;
  balanceLow: boolean;
  /** When each key was last published (ms), for de-duplication. */
  sent: Record<string, number>;
  /** When the last native notifications were shown (ms), for the rate limit. */
  nativeAt: number[];
}

export const initialPolicyState = (): PolicyState => ({ leases: null, lastAvailability: null, balanceLow: false, sent: {}, nativeAt: [] });

/** The same thing (same key) is said at most once in this window. */
export const DEDUPE_MS = 30 * 60_000;
/** Low balance is repeated at most this often while it stays low. */
export const LOW_BALANCE_REPEAT_MS = 12 * 60 * 60_000;
/** At most this many native notifications per window; the rest only reach the app's toasts. */
export const NATIVE_LIMIT = 4;
export const NATIVE_WINDOW_MS = 10 * 60_000;
/** More leases than this changing at once are said in one notification. */
const LIST_AT_MOST = 2;
/** Task kinds that run until cancelled (a log stream): their end is not news. */
const QUIET_TASKS = new Set(['stack.logs']);

const TASK_NAME: Record<string, string> = {
  'stack.up': 'Starting the provider',
  'stack.upgrade': 'Upgrading the provider',
  'provider-register': 'Registering the provider on chain',
  'wallet-send': 'Sending AKT',
  'leases-withdraw': 'Withdrawing earnings',
  'bench.run': 'The benchmark',
  'bench.ladder': 'The pre-flight check',
};

interface Candidate {
  key: string;
  category: NotificationCategory;
  title: string;
  body: string;
  level: 'info' | 'warning' | 'error';
  source: string;
  dedupeMs?: number;
}

function leaseCandidates(prev: string[] | null, active: LeaseSummary[]): Candidate[] {
  if (prev === null) return [];
  const before = new Set(prev);
  const now = new Set(active.map((l) => l.id));
  const won = active.filter((l) => !before.has(l.id));
  const ended = prev.filter((id) => !now.has(id));
  const out: Candidate[] = [];
  if (won.length > LIST_AT_MOST) {
    out.push({ key: `leases-won:${won.map((l) => l.id).join(',')}`, category: 'leases', title: `${won.length} new leases`, body: `Your rig won ${won.length} leases and is earning. Open RigLease to see them.`, level: 'info', source: 'leases' });
  } else {
    for (const l of won) out.push({ key: `lease-won:${l.id}`, category: 'leases', title: 'Lease won — your GPU is earning', body: l.description, level: 'info', source: 'leases' });
  }
  if (ended.length > LIST_AT_MOST) {
    out.push({ key: `leases-ended:${ended.join(',')}`, category: 'leases', title: `${ended.length} leases ended`, body: 'Their workloads are gone; earnings so far stay in your wallet once withdrawn.', level: 'info', source: 'leases' });
  } else {
    for (const id of ended) out.push({ key: `lease-ended:${id}`, category: 'leases', title: 'A lease ended', body: `Deployment ${id.split('/')[1] ?? id} is no longer running on your rig.`, level: 'info', source: 'leases' });
  }
  return out;
}

/**
 * Automatic changes of bidding that nobody clicked: a timed pause that ran out, a schedule or
 * idle-only window opening or closing. Gaming pauses are worded by the availability service
 * itself (a `message`), and a change the user made is not news to them.
 */
function availabilityCandidate(prev: AvailabilityStatus | null, next: AvailabilityStatus, now: number): Candidate | null {
  if (!prev || prev.bidding === next.bidding) return null;
  if (prev.activity === 'gaming' || next.activity === 'gaming') return null;
  const pauseRanOut = prev.mode === 'paused' && next.mode === 'online' && prev.pausedUntil !== null && Date.parse(prev.pausedUntil) <= now + 60_000;
  const automatic = pauseRanOut || (prev.mode === next.mode && next.mode === 'online');
  if (!automatic) return null;
  if (next.bidding) {
    return { key: `resumed:${next.since}`, category: 'availability', title: 'RigLease is bidding again', body: next.reason, level: 'info', source: 'availability' };
  }
  return { key: `paused:${next.since}`, category: 'availability', title: 'RigLease paused bidding', body: next.reason, level: 'info', source: 'availability' };
}

/** A task kind in words: "Upgrading the provider". */
export function taskLabel(kind: string): string {
  return TASK_NAME[kind] ?? `Task ${kind}`;
}

/** Long work whose end matters (not a followed log). */
export function isForegroundTask(kind: string): boolean {
  return !QUIET_TASKS.has(kind);
}

function taskCandidate(task: TaskSnapshot): Candidate | null {
  if (task.state !== 'failed' || QUIET_TASKS.has(task.kind)) return null;
  const what = taskLabel(task.kind);
  const fix = task.error?.fix ? ` ${task.error.fix}` : '';
  return { key: `task-failed:${task.task}`, category: 'errors', title: `${what} failed`, body: `${task.error?.message ?? task.message}${fix}`, level: 'error', source: 'tasks' };
}

export interface PolicyResult {
  state: PolicyState;
  notifications: AppNotification[];
}

/**
 * The notification policy, pure: which signal becomes which notification; the same key is
 * said once per window; native notifications are limited to NATIVE_LIMIT per NATIVE_WINDOW_MS
 * and follow the settings switches (the in-app toast is always published).
 */
export function applyNotificationPolicy(state: PolicyState, signal: NotificationSignal, settings: NotificationSettings, now: Date): PolicyResult {
  const t = now.getTime();
  const next: PolicyState = { ...state, sent: { ...state.sent }, nativeAt: state.nativeAt.filter((at) => t - at < NATIVE_WINDOW_MS) };
  const candidates: Candidate[] = [];
  switch (signal.kind) {
    case 'leases':
      candidates.push(...leaseCandidates(state.leases, signal.active));
      next.leases = signal.active.map((l) => l.id);
      break;
    case 'availability': {
      const c = availabilityCandidate(state.lastAvailability, signal.status, t);
      if (c) candidates.push(c);
      next.lastAvailability = signal.status;
      break;
    }
    case 'task': {
      const c = taskCandidate(signal.task);
      if (c) candidates.push(c);
      break;
    }
    case 'balance':
      if (!signal.ok && !state.balanceLow) {
        candidates.push({ key: 'low-balance', category: 'lowBalance', title: 'Balance too low to keep bidding', body: `${signal.akt} AKT in the wallet. ${signal.message}`, level: 'warning', source: 'wallet', dedupeMs: LOW_BALANCE_REPEAT_MS });
      }
      next.balanceLow = !signal.ok;
      break;
    case 'message':
      candidates.push({ key: signal.key, category: signal.category, title: signal.title, body: signal.body, level: signal.level ?? 'info', source: signal.source });
      break;
  }
  const notifications: AppNotification[] = [];
  for (const c of candidates) {
    const last = next.sent[c.key];
    if (last !== undefined && t - last < (c.dedupeMs ?? DEDUPE_MS)) continue;
    next.sent[c.key] = t;
    const wanted = settings.enabled && settings[c.category];
    const native = wanted && next.nativeAt.length < NATIVE_LIMIT;
    if (native) next.nativeAt.push(t);
    notifications.push({ at: now.toISOString(), title: c.title, body: c.body, source: c.source, category: c.category, level: c.level, native });
  }
  // Forget keys older than the longest window so the state stays small on a long-running agent.
  for (const [k, at] of Object.entries(next.sent)) if (t - at > LOW_BALANCE_REPEAT_MS) delete next.sent[k];
  return { state: next, notifications };
}
