import { PassThrough } from 'node:stream';
import type Docker from 'dockerode';
import { RigError } from '../../api/errors.js';

export const BENCH_LABELS = { 'io.riglease.managed': 'true', 'io.riglease.component': 'bench' } as const;
const MAX_OUTPUT = 1024 * 1024;

/** `--gpus device=<uuid>` in Engine API form: one DeviceRequest for the nvidia driver. */
export function gpuDeviceRequests(uuids: string[] | 'all'): Docker.DeviceRequest[] {
  return uuids === 'all'
    ? [{ Driver: 'nvidia', Count: -1, Capabilities: [['gpu']] }]
    : [{ Driver: 'nvidia', DeviceIDs: uuids, Capabilities: [['gpu']] }];
}

export interface ContainerRunSpec {
  image: string;
  cmd: string[];
  /** GPUs to hand in; null = none. Tests pass null: the test engine has no nvidia runtime. */
  gpus: string[] | 'all' | null;
  binds?: string[];
  timeoutMs: number;
  signal: AbortSignal;
  /** Called per output line as it arrives (stdout and stderr interleaved). */
  onLine?: (line: string) => void;
  /** Called while an image is pulled, with Docker's status line. */
  onPull?: (status: string) => void;
  pullTimeoutMs?: number;
}

export interface ContainerRunResult {
  exitCode: number;
  output: string;
  durationMs: number;
}

/** The Engine API create body; kept separate so its GPU wiring can be checked as data. */
export function benchContainerBody(spec: Pick<ContainerRunSpec, 'image' | 'cmd' | 'gpus' | 'binds'>, runId: string): Docker.ContainerCreateOptions {
  return {
    Image: spec.image,
    Cmd: spec.cmd,
    Tty: false,
    AttachStdout: true,
    AttachStderr: true,
    Labels: { ...BENCH_LABELS, 'io.riglease.bench.run': runId },
    HostConfig: {
      ...(spec.gpus ? { DeviceRequests: gpuDeviceRequests(spec.gpus) } : {}),
      ...(spec.binds?.length ? { Binds: spec.binds } : {}),
      // Removed by us in `finally`, not by AutoRemove: AutoRemove races with reading the exit code.
      AutoRemove: false,
      NetworkMode: 'none',
    },
  };
}

/**
 * Runs one short-lived benchmark container and ALWAYS removes it: on success, on failure,
 * after `timeoutMs` and when `signal` aborts. Output is streamed line by line while it runs.
 */
export async function runBenchContainer(docker: Docker, spec: ContainerRunSpec, runId: string): Promise<ContainerRunResult> {
  if (spec.signal.aborted) throw new RigError('cancelled', 'Cancelled.');
  await ensureImage(docker, spec);
  const started = performance.now();
  let container: Docker.Container | null = null;
  let output = '';
  let partial = '';
  const onText = (chunk: Buffer) => {
    const text = chunk.toString('utf8');
    if (output.length < MAX_OUTPUT) output += text.slice(0, MAX_OUTPUT - output.length);
    partial += text;
    const lines = partial.split(/\r?\n/);
    partial = lines.pop() ?? '';
    for (const line of lines) spec.onLine?.(line);
  };
  try {
    container = await docker.createContainer(benchContainerBody(spec, runId));
    const stream = await container.attach({ stream: true, stdout: true, stderr: true });
    const out = new PassThrough();
    out.on('data', onText);
    container.modem.demuxStream(stream, out, out);
    const ended = new Promise<void>((resolve) => {
      stream.on('end', resolve);
      stream.on('close', resolve);
      stream.on('error', () => resolve());
    });
    try {
      await container.start();
    } catch (err) {
      throw mapStartError(err, spec);
    }
    const exitCode = await waitOrStop(container, spec);
    // The attach stream ends just after the exit; give it a moment so the last lines are in.
    await Promise.race([ended, sleep(2000)]);
    if (partial) spec.onLine?.(partial);
    return { exitCode, output, durationMs: performance.now() - started };
  } finally {
    if (container) await removeQuietly(container);
  }
}

async function waitOrStop(container: Docker.Container, spec: ContainerRunSpec): Promise<number> {
  let timer: NodeJS.Timeout | undefined;
  let onAbort: (() => void) | undefined;
  const stop = new Promise<'timeout' | 'cancelled'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), spec.timeoutMs);
    onAbort = () => resolve('cancelled');
    // The first output line can cancel before we get here; a listener added after the abort never fires.
    if (spec.signal.aborted) onAbort();
    else spec.signal.addEventListener('abort', onAbort, { once: true });
  });
  try {
    const winner = await Promise.race([container.wait() as Promise<{ StatusCode: number }>, stop]);
    if (winner === 'timeout' || winner === 'cancelled') {
      await container.kill().catch(() => undefined);
      if (winner === 'cancelled') throw new RigError('cancelled', 'Cancelled.');
      throw new RigError('timeout', `The benchmark container did not finish within ${Math.round(spec.timeoutMs / 1000)} s and was stopped.`, 'Try again with fewer bodies (bench.nbodyBodies) or a longer bench.containerTimeoutSec.');
    }
    return winner.StatusCode;
  } finally {
    clearTimeout(timer);
    if (onAbort) spec.signal.removeEventListener('abort', onAbort);
  }
}

async function ensureImage(docker: Docker, spec: ContainerRunSpec): Promise<void> {
  try {
    await docker.getImage(spec.image).inspect();
    return;
  } catch (err) {
    if (statusOf(err) !== 404) throw dockerDown(err);
  }
  spec.onPull?.(`Downloading ${spec.image}…`);
  const timeoutMs = spec.pullTimeoutMs ?? 15 * 60_000;
  const pull = new Promise<void>((resolve, reject) => {
    docker.pull(spec.image, {}, (err: unknown, stream: NodeJS.ReadableStream | undefined) => {
      if (err || !stream) {
        reject(err instanceof Error ? err : new Error(String(err)));
        return;
      }
      const onAbort = () => (stream as unknown as { destroy?: () => void }).destroy?.();
      spec.signal.addEventListener('abort', onAbort, { once: true });
      docker.modem.followProgress(
        stream,
        (e: Error | null) => {
          spec.signal.removeEventListener('abort', onAbort);
          if (e) reject(e);
          else resolve();
        },
        (ev: { status?: string; progress?: string }) => spec.onPull?.([ev.status, ev.progress].filter(Boolean).join(' ')),
      );
    });
  });
  try {
    await withTimeout(pull, timeoutMs, spec.signal);
  } catch (err) {
    if (spec.signal.aborted) throw new RigError('cancelled', 'Cancelled.');
    throw new RigError('unavailable', `Could not download ${spec.image}: ${messageOf(err)}`, 'Check the internet connection, or set a reachable image in bench.images.');
  }
}

function mapStartError(err: unknown, spec: ContainerRunSpec): RigError {
  const msg = messageOf(err);
  if (spec.gpus && /could not select device driver|nvidia-container-cli|unknown or invalid runtime name: nvidia|CDI device/i.test(msg)) {
    return new RigError(
      'precondition_failed',
      `Docker cannot hand the GPU to containers: ${msg}`,
      'Install the NVIDIA Container Toolkit, then run `sudo nvidia-ctk runtime configure --runtime=docker` and restart Docker (Docker Desktop: turn on the WSL 2 backend and update the NVIDIA driver).',
    );
  }
  return new RigError('unavailable', `The benchmark container could not start: ${msg}`);
}

async function removeQuietly(container: Docker.Container): Promise<void> {
  // A container that is still starting or being killed refuses removal for a moment (409), so
  // keep asking for up to ~10 s; "no such container" (404) means it is already gone.
  for (let attempt = 0; attempt < 8; attempt++) {
    try {
      await withTimeout(container.remove({ force: true, v: true }), 30_000);
      return;
    } catch (err) {
      if (statusOf(err) === 404) return;
      await sleep(250 * 2 ** Math.min(attempt, 3));
    }
  }
}

function dockerDown(err: unknown): RigError {
  return new RigError('unavailable', `Docker is not answering: ${messageOf(err)}`, 'Start Docker (Docker Desktop or the docker service) and try again.');
}

export function statusOf(err: unknown): number | undefined {
  return typeof err === 'object' && err !== null && 'statusCode' in err ? Number((err as { statusCode: unknown }).statusCode) : undefined;
}

export function messageOf(err: unknown): string {
  if (typeof err === 'object' && err !== null && 'json' in err) {
    const json = (err as { json?: { message?: unknown } }).json;
    if (json && typeof json.message === 'string') return json.message;
  }
  return err instanceof Error ? err.message : String(err);
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

export function withTimeout<T>(p: Promise<T>, ms: number, signal?: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`no answer within ${Math.round(ms / 1000)} s`)), ms);
    const onAbort = () => reject(new RigError('cancelled', 'Cancelled.'));
    signal?.addEventListener('abort', onAbort, { once: true });
    p.then(
      (v) => {
        clearTimeout(t);
        signal?.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e: unknown) => {
        clearTimeout(t);
        signal?.removeEventListener('abort', onAbort);
        reject(e instanceof Error ? e : new Error(String(e)));
      },
    );
  });
}
