import { randomBytes } from 'node:crypto';
import { RigError, toErrorShape } from '../api/errors.js';
import type { TaskRef, TaskSnapshot } from '../api/schemas/task.js';
import type { EventHub } from './event-hub.js';

export interface TaskProgress {
  /** Move to step `step` of `of` with a message a person understands. */
  step(step: number, message: string, percent?: number): void;
  /** Update the percent within the current step (throttled). */
  percent(percent: number, message?: string): void;
  /** Append one line to the task's live log. */
  log(line: string): void;
  readonly signal: AbortSignal;
}

export type TaskBody<T> = (progress: TaskProgress) => Promise<T>;

const MAX_LOG_LINES = 500;
const MAX_FINISHED = 50;
/** About four updates a second at most, whatever the work emits (Rancher's progress tracker). */
const EMIT_INTERVAL_MS = 250;

interface Entry {
  snapshot: TaskSnapshot;
  controller: AbortController;
  timer: NodeJS.Timeout | null;
  lastEmit: number;
  done: Promise<void>;
}

/**
 * Long work: returns a TaskRef at once, reports `{task, step, of, message, percent}` as
 * events, can be read later with `get` and cancelled with `cancel`.
 */
export class TaskRegistry {
  private readonly tasks = new Map<string, Entry>();

  constructor(private readonly hub: EventHub, private readonly now: () => Date = () => new Date()) {}

  start<T>(kind: string, steps: number, body: TaskBody<T>): TaskRef {
    const id = `${kind.replace(/[^a-z0-9]+/g, '-')}-${randomBytes(4).toString('hex')}`.slice(0, 64);
    const controller = new AbortController();
    const snapshot: TaskSnapshot = {
      task: id,
      kind,
      state: 'running',
      step: 0,
      of: steps,
      message: 'Starting…',
      startedAt: this.now().toISOString(),
      log: [],
    };
    const entry: Entry = { snapshot, controller, timer: null, lastEmit: 0, done: Promise.resolve() };
    this.tasks.set(id, entry);
    this.prune();

    const progress: TaskProgress = {
      signal: controller.signal,
      step: (step, message, percent) => {
        snapshot.step = Math.min(step, snapshot.of);
        snapshot.message = message;
        if (percent === undefined) delete snapshot.percent;
        else snapshot.percent = clampPercent(percent);
        this.appendLog(entry, message);
        this.emit(entry, true);
      },
      percent: (percent, message) => {
        snapshot.percent = clampPercent(percent);
        if (message) snapshot.message = message;
        this.emit(entry, false);
      },
      log: (line) => {
        this.appendLog(entry, line);
        this.emit(entry, false);
      },
    };

    this.emit(entry, true);
    entry.done = (async () => {
      try {
        const result = await body(progress);
        if (controller.signal.aborted) throw new RigError('cancelled', 'Cancelled.');
        snapshot.state = 'succeeded';
        snapshot.message = 'Done.';
        snapshot.percent = 100;
        if (result !== undefined) snapshot.result = result;
      } catch (err) {
        const shape = controller.signal.aborted ? { code: 'cancelled' as const, message: 'Cancelled.' } : toErrorShape(err);
        snapshot.state = shape.code === 'cancelled' ? 'cancelled' : 'failed';
        snapshot.failedStep = snapshot.step;
        snapshot.error = shape;
        snapshot.message = shape.message;
        this.appendLog(entry, `${snapshot.state}: ${shape.message}`);
      } finally {
        snapshot.endedAt = this.now().toISOString();
        this.emit(entry, true);
      }
    })();
    return { id, kind };
  }

  get(id: string): TaskSnapshot {
    const entry = this.tasks.get(id);
    if (!entry) throw new RigError('not_found', `No task ${id}: it finished long ago or never existed.`);
    return structuredClone(entry.snapshot);
  }

  list(): TaskSnapshot[] {
    return [...this.tasks.values()].map((e) => structuredClone(e.snapshot)).reverse();
  }

  cancel(id: string): TaskSnapshot {
    const entry = this.tasks.get(id);
    if (!entry) throw new RigError('not_found', `No task ${id}.`);
    if (entry.snapshot.state === 'running') entry.controller.abort();
    return structuredClone(entry.snapshot);
  }

  /** Resolves when the task has ended, whatever its outcome (tests, CLI). */
  async wait(id: string): Promise<TaskSnapshot> {
    const entry = this.tasks.get(id);
    if (!entry) throw new RigError('not_found', `No task ${id}.`);
    await entry.done;
    return structuredClone(entry.snapshot);
  }

  private appendLog(entry: Entry, line: string): void {
    entry.snapshot.log.push(line);
    if (entry.snapshot.log.length > MAX_LOG_LINES) entry.snapshot.log.splice(0, entry.snapshot.log.length - MAX_LOG_LINES);
  }

  private emit(entry: Entry, force: boolean): void {
    const now = Date.now();
    if (!force && now - entry.lastEmit < EMIT_INTERVAL_MS) {
      entry.timer ??= setTimeout(() => {
        entry.timer = null;
        this.emit(entry, true);
      }, EMIT_INTERVAL_MS - (now - entry.lastEmit));
      return;
    }
    if (entry.timer) {
      clearTimeout(entry.timer);
      entry.timer = null;
    }
    entry.lastEmit = now;
    this.hub.publish('task.progress', structuredClone(entry.snapshot));
  }

  private prune(): void {
    const finished = [...this.tasks.entries()].filter(([, e]) => e.snapshot.state !== 'running');
    for (const [id] of finished.slice(0, Math.max(0, finished.length - MAX_FINISHED))) this.tasks.delete(id);
  }
}

function clampPercent(p: number): number {
  return Number.isFinite(p) ? Math.max(0, Math.min(100, p)) : 0;
}
