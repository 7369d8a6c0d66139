import type { GpuInfo, NvidiaStatus } from '../../api/schemas/hardware.js';
import { SpawnError } from '../../util/spawn-with-timeout.js';
import { classifyNvidiaFailure, describeNvidiaState } from './classify-failure.js';
import { locateNvidiaSmi } from './locate-nvidia-smi.js';
import { spawnedNvidiaSmi, type NvidiaSmiRunner } from './nvidia-smi-runner.js';
import { NvidiaXmlError, parseNvidiaSmiXml } from './parse-xml.js';

export interface NvidiaScanInput {
  env: NodeJS.ProcessEnv;
  platform: NodeJS.Platform;
  configuredPath: string | null;
  timeoutMs: number;
  signal?: AbortSignal;
  /** How nvidia-smi is run; default: spawned. Demo mode replays a capture in-process. */
  runner?: NvidiaSmiRunner;
}

export interface NvidiaScan {
  status: NvidiaStatus;
  gpus: GpuInfo[];
}

/** One scan = exactly one `nvidia-smi -q -x`, killed after `timeoutMs`; never throws for a machine problem. */
export async function runNvidiaScan(input: NvidiaScanInput): Promise<NvidiaScan> {
  const started = performance.now();
  const located = await locateNvidiaSmi({ env: input.env, platform: input.platform, configuredPath: input.configuredPath });
  const done = (state: NvidiaStatus['state'], path: string | null, extra: Partial<NvidiaStatus> = {}, gpus: GpuInfo[] = []): NvidiaScan => ({
    status: {
      state,
      path,
      message: extra.message ?? describeNvidiaState(state),
      driverVersion: extra.driverVersion ?? null,
      cudaVersion: extra.cudaVersion ?? null,
      durationMs: performance.now() - started,
    },
    gpus,
  });
  if (!located.path) {
    return done('absent', null, { message: `${describeNvidiaState('absent')} Looked in: ${summarize(located.tried)}.` });
  }
  let result;
  try {
    result = await (input.runner ?? spawnedNvidiaSmi).run(located.path, ['-q', '-x'], {
      timeoutMs: input.timeoutMs,
      env: input.env,
      platform: input.platform,
      ...(input.signal ? { signal: input.signal } : {}),
    });
  } catch (err) {
    if (err instanceof SpawnError) {
      if (err.kind === 'aborted') throw err;
      const state = err.kind === 'absent' ? 'absent' : err.kind === 'permission_denied' ? 'permission_denied' : 'failed';
      return done(state, located.path, { message: `${describeNvidiaState(state)} (${located.path})` });
    }
    throw err;
  }
  if (result.timedOut) {
    return done('timeout', located.path, { message: `${describeNvidiaState('timeout')} (waited ${input.timeoutMs} ms)` });
  }
  const said = `${result.stdout}\n${result.stderr}`.trim();
  if (result.code !== 0) {
    const state = classifyNvidiaFailure(said, result.code);
    return done(state, located.path, { message: withQuote(describeNvidiaState(state), said) });
  }
  try {
    const parsed = parseNvidiaSmiXml(result.stdout);
    if (parsed.gpus.length === 0) return done('no_devices', located.path, { driverVersion: parsed.driverVersion, cudaVersion: parsed.cudaVersion });
    return done('ok', located.path, { driverVersion: parsed.driverVersion, cudaVersion: parsed.cudaVersion, message: `${parsed.gpus.length} NVIDIA GPU(s) found.` }, parsed.gpus);
  } catch (err) {
    if (err instanceof NvidiaXmlError) {
      // Exit 0 with an error text on stdout happens with some wrappers; classify that text before calling it garbage.
      const state = classifyNvidiaFailure(said, null);
      if (state !== 'failed') return done(state, located.path, { message: withQuote(describeNvidiaState(state), said) });
      return done('garbage', located.path, { message: `${describeNvidiaState('garbage')} ${err.message}` });
    }
    throw err;
  }
}

function withQuote(sentence: string, said: string): string {
  const first = said.split('\n').find((l) => l.trim().length > 0)?.trim();
  return first ? `${sentence} nvidia-smi said: "${first.slice(0, 300)}"` : sentence;
}

function summarize(tried: string[]): string {
  if (tried.length <= 4) return tried.join(', ') || 'nowhere (PATH is empty)';
  return `${tried.slice(0, 3).join(', ')} and ${tried.length - 3} more`;
}
