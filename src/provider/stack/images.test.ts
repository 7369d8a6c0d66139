import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { CUDA_BASE, IMAGES, K3S_VERSION } from './images.js';

const DOCKERFILE = new URL('../../../resources/stack/k3s-cuda/Dockerfile', import.meta.url);

describe('the pinned k3s image and the Dockerfile that builds it', () => {
  it('build the same versions: a bump in images.ts without the Dockerfile (or back) fails here', async () => {
    const text = await readFile(DOCKERFILE, 'utf8');
    const arg = (name: string) => new RegExp(`^ARG ${name}=(.+)$`, 'm').exec(text)?.[1];
    expect(arg('K3S_TAG')).toBe(K3S_VERSION);
    expect(`nvcr.io/nvidia/cuda:${arg('CUDA_TAG')}`).toBe(CUDA_BASE);
    const cudaVersion = CUDA_BASE.split(':')[1]!.split('-')[0]!;
    expect(IMAGES.k3s.ref).toBe(`ghcr.io/riglease/k3s-cuda:${K3S_VERSION}-cuda${cudaVersion}`);
  });

  it('sets the two nvidia-container-runtime options Akash\'s GPU guide asks for', async () => {
    const text = await readFile(DOCKERFILE, 'utf8');
    expect(text).toContain('--set accept-nvidia-visible-devices-as-volume-mounts=true');
    expect(text).toContain('--set accept-nvidia-visible-devices-envvar-when-unprivileged=false');
  });
});
