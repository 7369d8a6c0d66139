import type { BenchRun } from '../../api/schemas/bench.js';

/**
 * Published n-body figures, each with where it was read. Only figures whose source we can cite
 * are here; a GPU without one simply gets no comparison. Note the body count: nbody's figure
 * grows with it until the GPU is saturated, so compare like with like.
 */
export const NBODY_REFERENCES: ReadonlyArray<{ gpuName: string; gflops: number; bodies: number; source: string }> = [
  {
    gpuName: 'GeForce RTX 2060 with Max-Q Design',
    gflops: 2724.379,
    bodies: 30720,
    source: 'docker/docs content/manuals/desktop/features/gpu.md @06acc914 (nbody -gpu -benchmark, 30720 bodies)',
  },
];

function norm(name: string): string {
  return name.replace(/^NVIDIA\s+/i, '').trim().toLowerCase();
}

export function referenceFor(gpuName: string | null, gflops: number | null): BenchRun['reference'] {
  if (!gpuName || gflops === null) return null;
  const ref = NBODY_REFERENCES.find((r) => norm(r.gpuName) === norm(gpuName));
  if (!ref) return null;
  return { gpuName: ref.gpuName, gflops: ref.gflops, source: `${ref.source}`, ratio: Math.round((gflops / ref.gflops) * 1000) / 1000 };
}
