import { readFile } from 'node:fs/promises';
import { SpawnError, type SpawnOptions, type SpawnResult } from '../../util/spawn-with-timeout.js';
import type { SupervisorOptions } from '../../util/supervisor.js';
import { replayNvidiaSmi, type ReplayCaptures } from './capture-replay.js';
import type { NvidiaSmiRunner, SupervisedRun } from './nvidia-smi-runner.js';

/** Capture files to replay (the same meaning as the test fake's FAKE_NVIDIA_SMI_XML / _CSV). */
export interface ReplayFiles {
  xml?: string;
  csv?: string;
}

/**
 * nvidia-smi answered in-process from real captures (capture-replay.ts, the test fake's own
 * rules): no child process, no executable, no `node` on PATH. Demo mode runs on it. The file
 * passed to `run`/`supervise` is ignored — whatever was located, the captures answer.
 */
export function replayNvidiaSmiRunner(files: ReplayFiles): NvidiaSmiRunner {
  let captures: Promise<ReplayCaptures> | null = null;
  const load = () =>
    (captures ??= (async () => ({
      xml: files.xml === undefined ? undefined : await readFile(files.xml, 'utf8'),
      csv: files.csv === undefined ? undefined : await readFile(files.csv, 'utf8'),
    }))().catch((err: unknown) => {
      captures = null; // a missing file is reported on every run, not cached
      throw err;
    }));

  const run = async (file: string, args: readonly string[], opts: SpawnOptions): Promise<SpawnResult> => {
    const started = performance.now();
    if (opts.signal?.aborted) throw new SpawnError('aborted', file, 'Cancelled before it started.', null);
    let caps: ReplayCaptures;
    try {
      caps = await load();
    } catch (err) {
      throw new SpawnError('absent', file, `The capture to replay could not be read: ${err instanceof Error ? err.message : String(err)}`, null);
    }
    const r = replayNvidiaSmi(args, caps);
    // A repeating query run to completion prints one round, like the fake with FAKE_NVIDIA_SMI_ONCE.
    return { code: r.code, signal: null, stdout: r.stdout, stderr: r.stderr, timedOut: false, truncated: false, durationMs: performance.now() - started };
  };

  return { run, supervise: (opts) => new ReplayStream(opts, load) };
}

/** The `-lms` stream in-process: the first rows at once, then the same rows every period, until stopped. */
class ReplayStream implements SupervisedRun {
  private timer: NodeJS.Timeout | null = null;
  private wanted = false;
  spawnCount = 0;

  constructor(
    private readonly opts: SupervisorOptions,
    private readonly load: () => Promise<ReplayCaptures>,
  ) {}

  get running(): boolean {
    return this.timer !== null;
  }

  get pid(): number | undefined {
    return undefined;
  }

  start(): void {
    if (this.wanted) return;
    this.wanted = true;
    void this.begin();
  }

  async stop(): Promise<void> {
    this.wanted = false;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  private async begin(): Promise<void> {
    let caps: ReplayCaptures;
    try {
      caps = await this.load();
    } catch (err) {
      this.exit(new SpawnError('absent', this.opts.file, `The capture to replay could not be read: ${err instanceof Error ? err.message : String(err)}`, null), 1, '');
      return;
    }
    if (!this.wanted) return;
    const r = replayNvidiaSmi(this.opts.args, caps);
    this.spawnCount++;
    this.opts.onStart?.(undefined);
    this.lines(r.stdout);
    if (r.repeat === null) return this.exit(null, r.code, r.stderr);
    const { rows, everyMs } = r.repeat;
    this.timer = setInterval(() => this.lines(rows), everyMs);
    this.timer.unref();
  }

  private lines(text: string): void {
    for (const line of text.split('\n')) {
      if (line.length === 0) continue;
      try {
        this.opts.onLine(line);
      } catch {
        // A bad line handler must not kill the stream (as in the Supervisor).
      }
    }
  }

  /** A replay that ends (an error capture, a one-shot query) ends like a process that exited: no restart. */
  private exit(error: SpawnError | null, code: number, stderr: string): void {
    this.wanted = false;
    this.opts.onExit?.({ code, signal: null, error, stderr, willRestart: false, restartInMs: 0 });
  }
}
