import type Docker from 'dockerode';
import type { GpuBench } from '../../api/schemas/bench.js';
import { RigError } from '../../api/errors.js';
import { runBenchContainer } from './container-run.js';
import { lastLines, parseNbodyOutput } from './nbody-parse.js';

export interface GpuBenchOptions {
  docker: Docker;
  image: string;
  gpuUuid: string | null;
  bodies: number;
  timeoutMs: number;
  signal: AbortSignal;
  runId: string;
  onLine?: (line: string) => void;
  onPull?: (status: string) => void;
  /**
   * How the container gets the GPU (setting bench.gpuAccess): `device-requests` names it, as
   * `docker run --gpus` does; `engine-default` asks for nothing, for engines whose default
   * runtime hands every GPU in.
   */
  gpuAccess: 'device-requests' | 'engine-default';
}

/** The command the pinned nbody image runs: GPU mode, benchmark mode, a fixed body count. */
export function nbodyCommand(bodies: number): string[] {
  return ['nbody', '-gpu', '-benchmark', `-numbodies=${bodies}`];
}

/** CUDA n-body in a container on one GPU; the figures come from its own output. */
export async function runGpuBenchmark(opts: GpuBenchOptions, cmd: string[] = nbodyCommand(opts.bodies)): Promise<GpuBench> {
  const gpus = opts.gpuAccess === 'engine-default' ? null : opts.gpuUuid ? [opts.gpuUuid] : 'all';
  const result = await runBenchContainer(
    opts.docker,
    {
      image: opts.image,
      cmd,
      gpus,
      timeoutMs: opts.timeoutMs,
      signal: opts.signal,
      ...(opts.onLine ? { onLine: opts.onLine } : {}),
      ...(opts.onPull ? { onPull: opts.onPull } : {}),
    },
    opts.runId,
  );
  if (result.exitCode !== 0) {
    throw new RigError(
      'unavailable',
      `The GPU benchmark stopped with exit code ${result.exitCode}: ${lastLines(result.output, 4) || 'no output'}`,
      'Check the pre-flight ladder: it shows whether Docker can use the GPU.',
    );
  }
  const f = parseNbodyOutput(result.output);
  return {
    gpuUuid: opts.gpuUuid,
    device: f.device,
    computeCapability: f.computeCapability,
    bodies: f.bodies,
    iterations: f.iterations,
    totalTimeMs: f.totalTimeMs,
    interactionsPerSecondBillion: f.interactionsPerSecondBillion,
    gflops: f.gflops,
    precision: f.precision,
    image: opts.image,
    durationMs: result.durationMs,
  };
}
