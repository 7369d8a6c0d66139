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
  {
    gpuName: 'NVIDIA GeForce RTX 4090',
    gflops: 44453.425,
    bodies: 131072,
    source: 'a public Qwen-VL Docker README (test/bench-fixtures/nbody/qwen-vl-readme_rtx4090.txt; nbody -gpu -benchmark, 131072 bodies)',
  },
  {
    gpuName: 'NVIDIA GeForce RTX 3080',
    gflops: 17015.762,
    bodies: 69632,
    source: 'a public nvidia-docker note (test/bench-fixtures/nbody/gromacs-notes_rtx3080.txt; 69632 bodies)',
  },
  {
    gpuName: 'NVIDIA GeForce RTX 4080 Laptop GPU',
    gflops: 14203.022,
    bodies: 1000192,
    source: 'a public k3s-on-WSL2 study log (test/bench-fixtures/nbody/k3s-wsl2-notes_rtx4080-laptop_rounded-bodies.txt; 1000192 bodies, in a k3s pod)',
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
