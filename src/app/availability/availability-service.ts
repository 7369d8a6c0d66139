import { z } from 'zod';
import { RigError } from '../../api/errors.js';
import type { AvailabilitySetInput, AvailabilityStatus, LeaseSummary } from '../../api/methods/availability.js';
import type { FarmMemberNode } from '../../api/schemas/farm.js';
import type { AvailabilitySettings } from '../../api/schemas/settings/availability.js';
import { VersionedJsonFile } from '../../store/json-file.js';
import type { Logger } from '../../util/logger.js';
import { decide, localTime, type AvailabilityState, type Decision, type SeenGpuProcess } from './decide.js';
import { AvailabilityHistory, type HistoryEntry } from './history.js';
import type { IdleSource } from './idle-source.js';

const StoredState = z.object({
  mode: z.enum(['online', 'paused', 'offline']),
  pausedUntil: z.string().nullable(),
  pauseReason: z.string().nullable(),
  lastForeignGpuAt: z.string().nullable(),
  since: z.string(),
});
type StoredState = z.infer<typeof StoredState>;

export interface AvailabilityDeps {
  stateFile: string;
  historyFile: string;
  settings: () => Promise<AvailabilitySettings>;
  /**
   * Whether timer-driven checks should scan GPU processes now (e.g. only while a provider runs:
   * with nothing to pause, nothing polls). Checks someone asked for always scan.
   */
  watchInBackground?: () => boolean;
  /** Processes on the GPUs from the latest scan or telemetry; null when unknown. */
  gpuProcesses: () => Promise<Array<{ pid: number; name: string }> | null>;
  /** True for RigLease's own GPU processes (tenant containers). */
  isOurs: (p: { pid: number; name: string }) => Promise<boolean>;
  idle: IdleSource;
  /** The leases that would end if the rig went offline; the chain part provides it. */
  listActiveLeases: () => Promise<LeaseSummary[]>;
  /** Called with every change of `bidding`: writes the bid script's paused flag. */
  onBiddingChange: (bidding: boolean, reason: string) => Promise<void>;
  onStatus: (status: AvailabilityStatus) => void;
  /** Stops / starts the provider stack for offline / back online; absent until the stack part wires it. */
  stopStack?: () => Promise<void>;
  startStack?: () => Promise<void>;
  notify?: (title: string, body: string) => void;
  /** On a farm member, availability acts on its node through the controller (src/app/farm). */
  farm?: FarmMemberHooks;
  /** On a farm controller: how many members share the provider (its own pause then cordons only this machine); 0 elsewhere. */
  farmMembers?: () => Promise<number>;
  now?: () => Date;
  logger: Logger;
}

/**
 * A farm member has no provider of its own: its availability is its k3s node's, which the
 * controller cordons (paused, gaming…), drains (offline, after the confirmation) or uncordons.
 */
export interface FarmMemberHooks {
  isMember(): Promise<boolean>;
  /** The leases draining this machine's node would end, as the controller knows them; throws when it cannot be asked. */
  offlineConfirmation(): Promise<{ leases: LeaseSummary[]; message: string }>;
  /** Has the controller drain this machine's node (after the confirmation); throws when it cannot be asked. */
  goOffline(): Promise<void>;
  /** The node as the controller last answered; with `push`, tells it `activity` first. Null: not a member. */
  node(status: { activity: string; since: string }, push: boolean): Promise<FarmMemberNode | null>;
}

/**
 * Online / paused / offline, with gaming mode, schedules and idle-only on top. Every change of
 * whether the rig bids goes to the bid script config (paused flag: running leases untouched),
 * to the event hub and to the history with its reason.
 */
export class AvailabilityService {
  private readonly file: VersionedJsonFile<typeof StoredState>;
  readonly history: AvailabilityHistory;
  private state: StoredState | null = null;
  private last: { decision: Decision; status: AvailabilityStatus } | null = null;
  private timer: NodeJS.Timeout | null = null;
  private started = false;
  private queue: Promise<unknown> = Promise.resolve();
  private readonly now: () => Date;

  constructor(private readonly deps: AvailabilityDeps) {
    this.file = new VersionedJsonFile({ file: deps.stateFile, schema: StoredState, version: 1 });
    this.history = new AvailabilityHistory(deps.historyFile);
    this.now = deps.now ?? (() => new Date());
  }

  /**
   * Decides once now, then re-checks every `checkIntervalSeconds`; the timer never keeps the
   * process alive on its own. The first decision (and the price table it writes) belongs to
   * start-up: left to the first tick, it woke the resting agent half a minute later for a full scan.
   */
  async start(): Promise<void> {
    if (this.started) return;
    this.started = true;
    const every = (await this.deps.settings()).checkIntervalSeconds * 1000;
    // Stopped while the settings were read (a host that quits at once): no timer outlives stop().
    if (!this.started) return;
    this.timer = setInterval(() => void this.tick({ background: true }).catch((err: unknown) => this.deps.logger.warn('availability check failed', { err: String(err) })), every);
    this.timer.unref();
    await this.tick({ background: true });
  }

  stop(): void {
    this.started = false;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  async status(): Promise<AvailabilityStatus> {
    return this.last?.status ?? this.tick();
  }

  /** Evaluates the decision now; logs, publishes and rewrites the bid config when bidding changed. */
  tick(opts: { background?: boolean } = {}): Promise<AvailabilityStatus> {
    return this.serial(() => this.evaluate(null, false, opts.background ?? false));
  }

  async set(input: AvailabilitySetInput): Promise<{ status: AvailabilityStatus; confirmation: { leases: LeaseSummary[]; message: string } | null }> {
    const member = (await this.deps.farm?.isMember().catch(() => false)) ?? false;
    if (input.mode === 'offline' && !input.confirm && member) {
      const confirmation = await this.deps.farm!.offlineConfirmation().catch((err: unknown) => ({
        leases: [],
        message: `The farm's controller could not be asked which leases run on this machine (${err instanceof Error ? err.message : String(err)}). Going offline needs it: pause instead to take no new lease while the leases keep running.`,
      }));
      return { status: await this.status(), confirmation };
    }
    if (input.mode === 'offline' && !input.confirm) {
      let leases: LeaseSummary[];
      try {
        leases = await this.deps.listActiveLeases();
      } catch (err) {
        const why = err instanceof Error ? err.message : String(err);
        return {
          status: await this.status(),
          confirmation: { leases: [], message: `RigLease could not read the running leases (${why}). Going offline stops the provider and ends every lease it runs. Pause instead to stop new bids and keep them. Confirm to go on.` },
        };
      }
      const message =
        leases.length === 0
          ? 'No lease is running. Going offline stops the provider; confirm to go on.'
          : `Going offline stops the provider and ends ${leases.length} running lease${leases.length === 1 ? '' : 's'} for their tenants. Pause instead to stop new bids and keep them. Confirm to go on.`;
      return { status: await this.status(), confirmation: { leases, message } };
    }
    const status = await this.serial(async () => {
      const st = await this.load();
      const now = this.now();
      const prevMode = st.mode;
      let reason: string;
      if (input.mode === 'online') {
        Object.assign(st, { mode: 'online', pausedUntil: null, pauseReason: null });
        reason = 'Switched online by the user.';
      } else if (input.mode === 'pause') {
        const until = input.forMinutes !== undefined ? new Date(now.getTime() + input.forMinutes * 60_000).toISOString() : input.until ? new Date(input.until).toISOString() : null;
        if (until !== null && Date.parse(until) <= now.getTime()) throw new RigError('invalid_input', 'That pause would already be over.', 'Pick a time in the future.');
        Object.assign(st, { mode: 'paused', pausedUntil: until, pauseReason: input.reason ?? null });
        reason = until ? `Paused by the user until ${localTime(until, now)}.` : 'Paused by the user.';
      } else {
        Object.assign(st, { mode: 'offline', pausedUntil: null, pauseReason: null });
        reason = 'Switched offline by the user.';
      }
      // A member's agent container keeps running: its node is drained and uncordoned by the controller.
      if (member && st.mode === 'offline' && prevMode !== 'offline') await this.deps.farm!.goOffline();
      if (!member && prevMode === 'offline' && st.mode !== 'offline') await this.deps.startStack?.();
      if (!member && st.mode === 'offline' && prevMode !== 'offline') {
        // The bid config goes to paused first, so nothing new is bid while the stack stops.
        await this.deps.onBiddingChange(false, 'offline');
        await this.deps.stopStack?.();
      }
      st.since = now.toISOString();
      await this.file.write(st);
      return this.evaluate({ reason, automatic: false, from: prevMode }, true);
    });
    return { status, confirmation: null };
  }

  private async evaluate(userChange: { reason: string; automatic: boolean; from: string } | null, force: boolean, background = false): Promise<AvailabilityStatus> {
    const st = await this.load();
    const settings = await this.deps.settings();
    const now = this.now();
    let procs: SeenGpuProcess[] | null = null;
    const idleWatch = background && settings.gaming.enabled && this.deps.watchInBackground !== undefined && !this.deps.watchInBackground();
    if (idleWatch) {
      procs = [];
    } else if (settings.gaming.enabled) {
      const raw = await this.deps.gpuProcesses().catch(() => null);
      procs = raw === null ? null : await Promise.all(raw.map(async (p) => ({ ...p, ours: await this.deps.isOurs(p).catch(() => false) })));
    }
    const idle = this.deps.idle.available ? this.deps.idle.idleSeconds() : null;
    let decision = decide(toDecideState(st), settings, now, procs, idle);
    if (idleWatch) decision.notes.push('Gaming detection checks the GPU in the background only while the provider runs (with no provider there is nothing to pause).');
    let stateChanged = decision.lastForeignGpuAt !== st.lastForeignGpuAt;
    st.lastForeignGpuAt = decision.lastForeignGpuAt;
    const prev = this.last?.decision;
    const entries: HistoryEntry[] = [];
    if (decision.pauseExpired) {
      entries.push({ at: now.toISOString(), from: 'paused', to: 'online', bidding: true, reason: `The pause until ${st.pausedUntil ? localTime(st.pausedUntil, now) : 'then'} is over.`, automatic: true });
      Object.assign(st, { mode: 'online', pausedUntil: null, pauseReason: null, since: now.toISOString() });
      stateChanged = true;
      decision = decide(toDecideState(st), settings, now, procs, idle);
    }
    if (stateChanged) await this.file.write(st);
    const activityChanged = !prev || prev.activity !== decision.activity || prev.bidding !== decision.bidding;
    if (userChange) {
      entries.push({ at: now.toISOString(), from: userChange.from, to: decision.activity, bidding: decision.bidding, reason: userChange.reason, automatic: false });
    } else if (prev && activityChanged) {
      entries.push({ at: now.toISOString(), from: prev.activity, to: decision.activity, bidding: decision.bidding, reason: decision.reason, automatic: true });
    }
    for (const e of entries) await this.history.append(e);
    if (prev && activityChanged && !userChange) this.notifyChange(prev, decision);
    const since = activityChanged ? now.toISOString() : this.last?.status.since ?? st.since;
    const status: AvailabilityStatus = {
      mode: st.mode,
      activity: decision.activity,
      bidding: decision.bidding,
      reason: decision.reason,
      pausedUntil: st.pausedUntil,
      resumesAt: decision.resumesAt,
      since,
      gaming: { enabled: settings.gaming.enabled, processes: decision.foreignProcesses },
      idleOnly: { enabled: settings.idleOnly.enabled, available: this.deps.idle.available },
      notes: decision.notes,
    };
    const members = (await this.deps.farmMembers?.().catch(() => 0)) ?? 0;
    if (members > 0) {
      status.controllerOfFarm = { members };
      if (!decision.bidding) status.notes.push(`Only this machine is paused: its node is cordoned and the farm's ${members} other machine${members === 1 ? '' : 's'} keep${members === 1 ? 's' : ''} bidding. Fleet → Pause the whole farm stops them all.`);
    }
    const farmNode = await this.deps.farm?.node(status, activityChanged || !!userChange).catch(() => null);
    if (farmNode) status.farm = farmNode;
    const biddingChanged = !prev || prev.bidding !== decision.bidding;
    this.last = { decision, status };
    if ((biddingChanged || force) && st.mode !== 'offline') await this.deps.onBiddingChange(decision.bidding, decision.reason);
    if (activityChanged || userChange) this.deps.onStatus(status);
    return status;
  }

  private notifyChange(prev: Decision, next: Decision): void {
    // Only new bids stop: a tenant already renting the GPU keeps it, and the notice says so.
    if (next.activity === 'gaming' && prev.activity !== 'gaming') this.deps.notify?.('RigLease paused for gaming', `${next.reason} A running lease keeps the GPU (your game shares it) until you take it back with notice on the Leases screen.`);
    else if (prev.activity === 'gaming' && next.bidding) this.deps.notify?.('RigLease is bidding again', 'The game has stopped; new orders get bids again.');
  }

  /**
   * Read from disk on every evaluation (a small file, every 30 s): the CLI and a running app are
   * separate processes, and a pause set by one must not be overwritten by the other's memory.
   */
  private async load(): Promise<StoredState> {
    this.state = await this.file.read(() => this.state ?? { mode: 'online', pausedUntil: null, pauseReason: null, lastForeignGpuAt: null, since: this.now().toISOString() });
    return this.state;
  }

  private serial<T>(work: () => Promise<T>): Promise<T> {
    const next = this.queue.then(work, work);
    this.queue = next.catch(() => undefined);
    return next;
  }
}

function toDecideState(st: StoredState): AvailabilityState {
  return { mode: st.mode, pausedUntil: st.pausedUntil, pauseReason: st.pauseReason, lastForeignGpuAt: st.lastForeignGpuAt };
}
