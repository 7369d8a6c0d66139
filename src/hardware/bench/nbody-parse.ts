import { RigError } from '../../api/errors.js';

/** What `nbody -benchmark` prints about one run (CUDA samples, 5_Domain_Specific/nbody). */
export interface NbodyFigures {
  device: string | null;
  computeCapability: string | null;
  bodies: number;
  iterations: number;
  totalTimeMs: number;
  interactionsPerSecondBillion: number;
  gflops: number;
  precision: 'single' | 'double';
}

const DEVICE = /^>\s*Compute\s+(\d+\.\d+)\s+CUDA device:\s*\[(.+)\]\s*$/m;
const TIMING = /^(\d+)\s+bodies,\s+total time for\s+(\d+)\s+iterations:\s+([\d.]+)\s+ms\s*$/m;
const INTERACTIONS = /^=\s*([\d.]+)\s+billion interactions per second\s*$/m;
const GFLOPS = /^=\s*([\d.]+)\s+(single|double)-precision GFLOP\/s at\s+\d+\s+flops per interaction\s*$/m;

/**
 * Reads the figures out of nbody's output. The help text and notes it prints first are
 * ignored; the three result lines must all be there, else the run did not finish and the
 * error quotes the last lines (where CUDA prints why).
 */
export function parseNbodyOutput(text: string): NbodyFigures {
  const normalized = text.replace(/\r\n?/g, '\n');
  const timing = TIMING.exec(normalized);
  const inter = INTERACTIONS.exec(normalized);
  const gflops = GFLOPS.exec(normalized);
  if (!timing || !inter || !gflops) {
    throw new RigError(
      'unavailable',
      `The GPU benchmark did not print a result. Its last lines were: ${lastLines(normalized, 4) || '(nothing)'}`,
      'Check that the NVIDIA driver works (`nvidia-smi`) and that Docker can use the GPU (see the pre-flight ladder).',
    );
  }
  const device = DEVICE.exec(normalized);
  return {
    device: device?.[2]?.trim() ?? null,
    computeCapability: device?.[1] ?? null,
    bodies: Number(timing[1]),
    iterations: Number(timing[2]),
    totalTimeMs: Number(timing[3]),
    interactionsPerSecondBillion: Number(inter[1]),
    gflops: Number(gflops[1]),
    precision: gflops[2] === 'double' ? 'double' : 'single',
  };
}

export function lastLines(text: string, count: number): string {
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '')
    .slice(-count)
    .join(' | ')
    .slice(0, 600);
}
