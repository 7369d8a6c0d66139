import path from 'node:path';
import type Docker from 'dockerode';
import { RigError } from '../../api/errors.js';
import { T, withTimeout } from './docker-client.js';
import { buildImage, type ImageRecipe } from './image-build.js';
import { IMAGES, K3S_PUBLISHED_DIGEST, splitImageRef } from './images.js';
import { pullImage } from './preflight.js';

/** The recipe for the pinned k3s image, from the resources folder the app ships (electron-builder.yml extraResources). */
export interface K3sImageSource extends ImageRecipe {
  /** Digest CI recorded for `tag` (images.ts K3S_PUBLISHED_DIGEST); null = not published yet. */
  publishedDigest: string | null;
}

export function pinnedK3sSource(resourcesDir: string): K3sImageSource {
  return { contextDir: path.join(resourcesDir, 'stack', 'k3s-cuda'), tag: IMAGES.k3s.ref, buildArgs: {}, publishedDigest: K3S_PUBLISHED_DIGEST };
}

export type ImageOutcome = 'present' | 'pulled' | 'built';

export interface ImageProgress {
  percent(percent: number, message: string): void;
  log(line: string): void;
  signal?: AbortSignal;
}

/**
 * Makes sure `ref` is on the engine: present → nothing; else pull; and when the pull fails and
 * `ref` is the image RigLease knows how to make (the pinned k3s image, never a user's mirror),
 * build it from the recipe shipped with the app. With a published digest the pull is by digest
 * and the result is tagged `ref`, so the container runs by tag whichever way the image came.
 */
export async function ensureStackImage(docker: Docker, ref: string, source: K3sImageSource | null, p: ImageProgress): Promise<ImageOutcome> {
  if (await present(docker, ref)) return 'present';
  const buildable = source !== null && source.tag === ref;
  const from = buildable && source.publishedDigest ? `${splitImageRef(ref).repository}@${source.publishedDigest}` : ref;
  try {
    await pullImage(docker, from, p.percent, p.signal);
    if (from !== ref) await tagAs(docker, from, ref);
    return 'pulled';
  } catch (err) {
    if (!buildable || (err instanceof RigError && (err.code === 'cancelled' || err.code === 'timeout'))) throw err;
    p.log(`${err instanceof Error ? err.message : String(err)} Building it on this computer instead, from ${source.contextDir} (a few minutes; it downloads Ubuntu, k3s and NVIDIA's container toolkit).`);
  }
  await buildImage(docker, source, p.percent, p.log, p.signal);
  return 'built';
}

async function present(docker: Docker, ref: string): Promise<boolean> {
  try {
    await withTimeout('image inspect', T.quick, docker.getImage(ref).inspect());
    return true;
  } catch (err) {
    if (err instanceof RigError) throw err;
    return false;
  }
}

async function tagAs(docker: Docker, from: string, ref: string): Promise<void> {
  const { repository, tag } = splitImageRef(ref);
  await withTimeout('tag image', T.quick, docker.getImage(from).tag({ repo: repository, tag: tag ?? 'latest' }));
}
