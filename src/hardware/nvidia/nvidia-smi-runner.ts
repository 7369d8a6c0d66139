import { spawnWithTimeout, type SpawnOptions, type SpawnResult } from '../../util/spawn-with-timeout.js';
import { Supervisor, type SupervisorOptions } from '../../util/supervisor.js';

/** What the telemetry stream needs of its long-lived nvidia-smi (the Supervisor's surface). */
export type SupervisedRun = Pick<Supervisor, 'running' | 'pid' | 'spawnCount' | 'start' | 'stop'>;

/**
 * How the hardware module runs nvidia-smi: the readiness scan's `-q -x` (and gaming mode's
 * process list) through `run`, the `-lms` telemetry stream through `supervise`. The default
 * spawns the real program; demo mode replays a real capture in-process (replay-runner.ts), so
 * the packaged app needs neither a fake executable nor `node` on PATH.
 */
export interface NvidiaSmiRunner {
  run(file: string, args: readonly string[], opts: SpawnOptions): Promise<SpawnResult>;
  supervise(opts: SupervisorOptions): SupervisedRun;
}

export const spawnedNvidiaSmi: NvidiaSmiRunner = {
  run: spawnWithTimeout,
  supervise: (opts) => new Supervisor(opts),
};
