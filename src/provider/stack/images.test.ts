import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { BASE_IMAGE, IMAGES, K3S_VERSION, NVIDIA_CTK_VERSION } from './images.js';

const DOCKERFILE = new URL('../../../resources/stack/k3s-cuda/Dockerfile', import.meta.url);
const text = await readFile(DOCKERFILE, 'utf8');
/** Dockerfile instructions only: comment lines (also inside a continued RUN) are not instructions. */
const code = text
  .split('\n')
  .filter((l) => !/^\s*#/.test(l))
  .join('\n');
const arg = (name: string) => new RegExp(`^ARG ${name}=(.+)$`, 'm').exec(code)?.[1];

describe('the pinned k3s image and the Dockerfile that builds it', () => {
  it('build the same versions: a bump in images.ts without the Dockerfile (or back) fails here', () => {
    expect(arg('K3S_IMAGE')).toBe('rancher/k3s');
    expect(arg('K3S_TAG')).toBe(K3S_VERSION);
    expect(`${arg('BASE_REPO')}:${arg('BASE_TAG')}`).toBe(BASE_IMAGE);
    expect(arg('NVIDIA_CTK_VERSION')).toBe(NVIDIA_CTK_VERSION);
    expect(IMAGES.k3s.ref).toBe(`ghcr.io/riglease/k3s-cuda:${K3S_VERSION}-ubuntu24.04-ctk1.17.8`);
  });

  it("sets the two nvidia-container-runtime options Akash's GPU guide asks for", () => {
    expect(code).toContain('--set accept-nvidia-visible-devices-as-volume-mounts=true');
    expect(code).toContain('--set accept-nvidia-visible-devices-envvar-when-unprivileged=false');
  });

  it('carries no CUDA requirement: the NVIDIA hook must start k3s on any driver the toolkit supports', () => {
    // A CUDA base image sets NVIDIA_REQUIRE_CUDA; the hook then refuses older drivers for a container that uses no CUDA.
    expect(code).not.toMatch(/nvcr\.io\/nvidia\/cuda|NVIDIA_REQUIRE_/);
    expect(BASE_IMAGE).not.toMatch(/cuda/i);
    expect(code).toMatch(/^ENV NVIDIA_DISABLE_REQUIRE=true$/m);
  });

  it('builds with the classic builder too: no BuildKit-only syntax', () => {
    expect(text).not.toMatch(/^#\s*syntax=/m);
    expect(code).not.toMatch(/--exclude|--mount=|--link|--chmod|--parents|<<\s*[A-Z'"-]/);
  });
});

describe('build.sh, which the release workflow runs', () => {
  it('builds linux/amd64 with the pinned versions under exactly the tag images.ts runs', async () => {
    const { mkdtemp, writeFile, rm } = await import('node:fs/promises');
    const { spawnSync } = await import('node:child_process');
    const os = await import('node:os');
    const path = await import('node:path');
    const { fileURLToPath } = await import('node:url');
    const bin = await mkdtemp(path.join(os.tmpdir(), 'rl-fake-docker-'));
    try {
      // A `docker` that prints its arguments one per line instead of building.
      await writeFile(path.join(bin, 'docker'), '#!/bin/sh\nfor a in "$@"; do echo "arg:$a"; done\n', { mode: 0o755 });
      const script = fileURLToPath(new URL('../../../resources/stack/k3s-cuda/build.sh', import.meta.url));
      const r = spawnSync('sh', [script], { env: { ...process.env, PATH: `${bin}:${process.env['PATH'] ?? ''}` }, encoding: 'utf8' });
      expect(r.status, r.stderr).toBe(0);
      const args = r.stdout.split('\n').filter((l) => l.startsWith('arg:')).map((l) => l.slice(4));
      expect(args.slice(0, 4)).toEqual(['buildx', 'build', '--platform', 'linux/amd64']);
      expect(args[args.indexOf('-t') + 1]).toBe(IMAGES.k3s.ref);
      expect(args).toEqual(expect.arrayContaining([`K3S_TAG=${K3S_VERSION}`, 'BASE_REPO=ubuntu', 'BASE_TAG=24.04', `NVIDIA_CTK_VERSION=${NVIDIA_CTK_VERSION}`]));
      expect(args).not.toContain('--push');
    } finally {
      await rm(bin, { recursive: true, force: true });
    }
  });
});
