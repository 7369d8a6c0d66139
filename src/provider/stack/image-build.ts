import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import type Docker from 'dockerode';
import { z } from 'zod';
import { RigError } from '../../api/errors.js';
import { T, withTimeout } from './docker-client.js';
import { makeTar } from './tar.js';

/** How to build one image on the user's engine from a folder shipped with the app. */
export interface ImageRecipe {
  /** The folder holding the Dockerfile (resources/stack/k3s-cuda in the app's resources). */
  contextDir: string;
  /** The tag the build produces. */
  tag: string;
  /** Build arguments; empty = the Dockerfile's defaults, which images.test.ts ties to images.ts. */
  buildArgs: Record<string, string>;
}

/** One line of the engine's build stream (POST /build, classic builder). */
const BuildLine = z
  .object({
    stream: z.string().optional(),
    status: z.string().optional(),
    error: z.string().optional(),
    errorDetail: z.object({ message: z.string().optional() }).partial().optional(),
    aux: z.object({ ID: z.string().optional() }).partial().optional(),
  })
  .loose();

const STEP = /^Step (\d+)\/(\d+) : (.*)$/;

/** What a build stream line means for the progress shown: a new step, an error, or just output. */
export type BuildEvent = { kind: 'step'; step: number; of: number; instruction: string } | { kind: 'error'; message: string } | { kind: 'output'; text: string } | { kind: 'id'; id: string };

export function parseBuildLine(raw: unknown): BuildEvent | null {
  const line = BuildLine.safeParse(raw);
  if (!line.success) return null;
  const l = line.data;
  if (l.error || l.errorDetail?.message) return { kind: 'error', message: (l.errorDetail?.message ?? l.error ?? '').trim() };
  if (l.aux?.ID) return { kind: 'id', id: l.aux.ID };
  const text = (l.stream ?? l.status ?? '').trim();
  if (!text) return null;
  const m = STEP.exec(text);
  if (m) return { kind: 'step', step: Number(m[1]), of: Number(m[2]), instruction: m[3]!.trim() };
  return { kind: 'output', text };
}

/** The build context: the folder's regular files (one level: the Dockerfile and what it copies). */
export async function contextTar(dir: string): Promise<Buffer> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (err) {
    throw new RigError(
      'not_found',
      `The recipe for the k3s image is missing from this installation (${dir}): ${err instanceof Error ? err.message : String(err)}`,
      'Reinstall RigLease, or point stack.images.k3s at a copy of the image you can download.',
    );
  }
  const files = entries.filter((e) => e.isFile());
  return makeTar(await Promise.all(files.map(async (f) => ({ name: f.name, body: await readFile(path.join(dir, f.name)), mode: 0o644 }))));
}

/** At most ~4 progress updates a second, plus every step change (STYLE.md lesson 7). */
const MIN_INTERVAL_MS = 250;

/**
 * Builds `recipe.tag` on the engine through the Docker API (what a user's engine has: no buildx,
 * maybe no BuildKit session, so the Dockerfile keeps to what the classic builder reads).
 * Progress is the builder's own "Step N/M"; cancelling closes the request, which makes the engine
 * stop the build. A failure says what the build needs, because most failures are a machine
 * that cannot download the base images or NVIDIA's packages.
 */
export async function buildImage(
  docker: Docker,
  recipe: ImageRecipe,
  onProgress: (percent: number, message: string) => void,
  log: (line: string) => void,
  signal?: AbortSignal,
): Promise<string> {
  const context = await contextTar(recipe.contextDir);
  const abort = new AbortController();
  const onAbort = () => abort.abort();
  signal?.addEventListener('abort', onAbort, { once: true });
  if (signal?.aborted) abort.abort();
  const tail: string[] = [];
  let lastEmit = 0;
  let current = { step: 0, of: 0, instruction: '' };
  try {
    const stream = (await withTimeout(
      `build ${recipe.tag}`,
      T.create,
      docker.buildImage(Readable.from([context]), { t: recipe.tag, buildargs: recipe.buildArgs, rm: true, forcerm: true, abortSignal: abort.signal } as Docker.ImageBuildOptions),
      signal,
    )) as NodeJS.ReadableStream;
    let id: string | null = null;
    let failure: string | null = null;
    await withTimeout(
      `build ${recipe.tag}`,
      T.pull,
      new Promise<void>((resolve, reject) => {
        docker.modem.followProgress(
          stream,
          (err: Error | null) => (err ? reject(err) : resolve()),
          (raw: unknown) => {
            const ev = parseBuildLine(raw);
            if (!ev) return;
            if (ev.kind === 'error') failure = ev.message;
            else if (ev.kind === 'id') id = ev.id;
            else if (ev.kind === 'output') {
              tail.push(ev.text);
              if (tail.length > 15) tail.shift();
            } else {
              current = ev;
              log(`Building the k3s image: step ${ev.step} of ${ev.of}: ${ev.instruction.slice(0, 160)}`);
            }
            const now = Date.now();
            if (ev.kind === 'step' || now - lastEmit >= MIN_INTERVAL_MS) {
              lastEmit = now;
              if (current.of > 0) onProgress(((current.step - 1) / current.of) * 100, `Building the k3s image on this computer: step ${current.step} of ${current.of}`);
            }
          },
        );
      }),
      signal,
    );
    if (failure) throw buildError(recipe, failure, tail, current);
    onProgress(100, `Built ${recipe.tag}.`);
    return id ?? recipe.tag;
  } catch (err) {
    if (signal?.aborted) throw new RigError('cancelled', 'Cancelled while building the k3s image; nothing was tagged.');
    if (err instanceof RigError) throw err;
    throw buildError(recipe, err instanceof Error ? err.message : String(err), tail, current);
  } finally {
    signal?.removeEventListener('abort', onAbort);
    // The request is closed either way; after a cancel or timeout this is what stops the engine's build.
    abort.abort();
  }
}

function buildError(recipe: ImageRecipe, message: string, tail: string[], at: { step: number; of: number; instruction: string }): RigError {
  const where = at.step ? ` at step ${at.step} of ${at.of} (${at.instruction.slice(0, 80)})` : '';
  const offline = /no such host|dial tcp|i\/o timeout|temporary failure|could not resolve|network is unreachable|pull access denied|manifest unknown|not found|TLS handshake|connection refused|Failed to fetch|Unable to connect/i.test(`${message}\n${tail.join('\n')}`);
  const last = tail.slice(-3).join(' | ');
  return new RigError(
    'unavailable',
    `RigLease could not build the k3s image ${recipe.tag} on this computer${where}: ${message.split('\n')[0]}${last ? ` (last output: ${last.slice(0, 300)})` : ''}`,
    offline
      ? 'The build downloads Ubuntu and k3s from Docker Hub and the NVIDIA Container Toolkit from nvidia.github.io: check the internet connection (and any proxy or firewall), then Start providing again. Or set stack.images.k3s to a copy of the image you can download.'
      : 'Start providing again; if it fails the same way, send the diagnostics bundle (Logs → Diagnostics) to RigLease, or set stack.images.k3s to a copy of the image you can download.',
  );
}
