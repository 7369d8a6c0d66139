/**
 * Every image a benchmark runs, pinned in ONE place (STYLE.md lesson 14). Each can be
 * overridden by `bench.images.*` (private mirror, tests). Tags only: no digest was read for
 * these, and an invented digest would be worse than none.
 */
export const BENCH_IMAGES = {
  /**
   * NVIDIA's CUDA n-body sample, the image Docker's own GPU guide runs to prove a GPU works
   * (docker/docs content/manuals/desktop/features/gpu.md @06acc914: `nbody -gpu -benchmark`).
   */
  nbody: { ref: 'nvcr.io/nvidia/k8s/cuda-sample:nbody', source: 'docker/docs desktop GPU guide; NVIDIA NGC k8s/cuda-sample' },
  /** CUDA base (same line as the stack's k3s image); the NVIDIA toolkit mounts nvidia-smi into it. */
  smi: { ref: 'nvcr.io/nvidia/cuda:12.9.2-base-ubuntu22.04', source: 'NVIDIA NGC CUDA base; its NVIDIA_REQUIRE_CUDA (cuda>=12.9) makes the hook refuse drivers older than R575' },
} as const;

export type BenchImageName = keyof typeof BENCH_IMAGES;

/**
 * fio has no official image, so none is pinned: the disk benchmark runs fio on the host when it
 * is installed, in `bench.images.fio` when the user names an image with fio in it, and
 * otherwise measures with the built-in Node fallback.
 */
export function fioImage(overrides: { fio?: string }): string | null {
  const o = overrides.fio?.trim();
  return o ? o : null;
}

export function resolveBenchImage(name: BenchImageName, overrides: Partial<Record<BenchImageName, string>>): string {
  const o = overrides[name]?.trim();
  return o ? o : BENCH_IMAGES[name].ref;
}
