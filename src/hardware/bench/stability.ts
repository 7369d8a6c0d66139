import type Docker from 'dockerode';
import type { StabilityBench } from '../../api/schemas/bench.js';
import { RigError } from '../../api/errors.js';
import { spawnWithTimeout } from '../../util/spawn-with-timeout.js';
import { runBenchContainer, sleep } from './container-run.js';
import { decodeReasons, EVENT_REASONS_FIELD, parseStabilityCsv, SLOWDOWN_REASONS, STABILITY_FIELDS, THROTTLE_REASONS_FIELD, type StabilitySample } from './gpu-query-parse.js';
import { lastLines } from './nbody-parse.js';

type Flag = StabilityBench['flags'][number];

/** One telemetry reading of every GPU; the default asks nvidia-smi. */
export type Sampler = (signal: AbortSignal) => Promise<StabilitySample[]>;

/**
 * nvidia-smi with the stability fields. Drivers before 535 do not know
 * `clocks_event_reasons.*`; they are asked again with the older `clocks_throttle_reasons.*`.
 */
export function nvidiaSmiSampler(nvidiaSmi: string, env?: NodeJS.ProcessEnv): Sampler {
  let reasonsField: string = EVENT_REASONS_FIELD;
  return async (signal) => {
    for (let attempt = 0; attempt < 2; attempt++) {
      const r = await spawnWithTimeout(nvidiaSmi, [`--query-gpu=${[...STABILITY_FIELDS, reasonsField].join(',')}`, '--format=csv'], { timeoutMs: 10_000, signal, ...(env ? { env } : {}) });
      if (r.code === 0) return parseStabilityCsv(r.stdout);
      if (attempt === 0 && /not a valid field/i.test(r.stdout + r.stderr)) {
        reasonsField = THROTTLE_REASONS_FIELD;
        continue;
      }
      throw new Error(`nvidia-smi failed: ${lastLines(r.stdout + r.stderr, 2)}`);
    }
    return [];
  };
}

/** Pure: readings in, per-GPU figures and plain-language flags out. */
export function summarizeStability(readings: StabilitySample[][], maxTemperatureC: number): Pick<StabilityBench, 'gpus' | 'flags'> {
  const byIndex = new Map<number, StabilitySample[]>();
  for (const batch of readings) for (const s of batch) byIndex.set(s.index, [...(byIndex.get(s.index) ?? []), s]);
  const flags: Flag[] = [];
  const gpus = [...byIndex.entries()]
    .sort(([a], [b]) => a - b)
    .map(([index, samples]) => {
      const vals = (pick: (s: StabilitySample) => number | null) => samples.map(pick).filter((v): v is number => v !== null);
      const temps = vals((s) => s.temperatureC);
      const power = vals((s) => s.powerDrawW);
      const clocks = vals((s) => s.smClockMHz);
      const reasons = new Set<string>();
      let throttled = 0;
      for (const s of samples) {
        const rs = decodeReasons(s.reasonsMask);
        rs.forEach((r) => reasons.add(r));
        if (rs.some((r) => SLOWDOWN_REASONS.has(r))) throttled++;
      }
      const name = samples.find((s) => s.name)?.name ?? `GPU ${index}`;
      const maxTemp = temps.length ? Math.max(...temps) : null;
      if (maxTemp !== null && maxTemp > maxTemperatureC) flags.push({ severity: 'warn', message: `${name} reached ${maxTemp} °C (limit set to ${maxTemperatureC} °C): improve airflow or lower the power limit before renting it out.` });
      if (reasons.has('hw_thermal_slowdown') || reasons.has('sw_thermal_slowdown')) flags.push({ severity: 'warn', message: `${name} slowed itself down because it got too hot (thermal slowdown). Tenants would get less than it can do.` });
      if (reasons.has('hw_slowdown') || reasons.has('hw_power_brake_slowdown')) flags.push({ severity: 'block', message: `${name} hit a hardware slowdown (power supply or power brake). Check the PSU and power cables before going live.` });
      if (reasons.has('sw_power_cap')) flags.push({ severity: 'info', message: `${name} ran at its power limit; that is normal under full load.` });
      return {
        index,
        uuid: samples.find((s) => s.uuid)?.uuid ?? null,
        name: samples.find((s) => s.name)?.name ?? null,
        samples: samples.length,
        maxTemperatureC: maxTemp,
        avgTemperatureC: avg(temps),
        maxPowerW: power.length ? Math.max(...power) : null,
        avgPowerW: avg(power),
        powerLimitW: samples.find((s) => s.powerLimitW !== null)?.powerLimitW ?? null,
        minSmClockMHz: clocks.length ? Math.min(...clocks) : null,
        maxSmClockMHz: clocks.length ? Math.max(...clocks) : null,
        throttledPct: samples.length ? (throttled / samples.length) * 100 : 0,
        reasonsSeen: [...reasons],
      };
    });
  return { gpus, flags };
}

function avg(v: number[]): number | null {
  return v.length ? Math.round((v.reduce((a, b) => a + b, 0) / v.length) * 10) / 10 : null;
}

export interface StabilityOptions {
  minutes: number;
  sampleSec: number;
  maxTemperatureC: number;
  sampler: Sampler;
  signal: AbortSignal;
  /** The load: nbody in a loop in a container. Null = sample only (no Docker GPU access). */
  load: { docker: Docker; image: string; cmd: string[]; gpus: string[] | 'all' | null; runId: string } | null;
  onProgress?: (pct: number, message: string) => void;
}

/** The load command: nbody benchmark runs back to back until the container is stopped. */
export function stabilityLoadCommand(bodies: number): string[] {
  return ['sh', '-c', `while nbody -gpu -benchmark -numbodies=${bodies} >/dev/null; do :; done; echo "nbody stopped with an error"; exit 1`];
}

/**
 * Sustained load for `minutes` while sampling temperature, clocks, power and slowdown
 * reasons. The load container is stopped and removed at the end, on error and on cancel.
 */
export async function runStability(o: StabilityOptions): Promise<StabilityBench> {
  const flags: Flag[] = [];
  const stopLoad = new AbortController();
  const cancelLoad = () => stopLoad.abort();
  o.signal.addEventListener('abort', cancelLoad, { once: true });
  let loadError: string | null = null;
  const load = o.load
    ? runBenchContainer(o.load.docker, { image: o.load.image, cmd: o.load.cmd, gpus: o.load.gpus, timeoutMs: (o.minutes * 60 + 120) * 1000, signal: stopLoad.signal }, o.load.runId).then(
        (r) => void (loadError = `the load stopped early: ${lastLines(r.output, 2)}`),
        (err: unknown) => void (stopLoad.signal.aborted ? undefined : (loadError = err instanceof Error ? err.message : String(err))),
      )
    : Promise.resolve();
  const readings: StabilitySample[][] = [];
  let sampleErrors = 0;
  const end = Date.now() + o.minutes * 60_000;
  try {
    while (Date.now() < end && !o.signal.aborted && loadError === null) {
      try {
        readings.push(await o.sampler(o.signal));
      } catch {
        sampleErrors++;
      }
      const left = end - Date.now();
      o.onProgress?.(Math.min(100, 100 - (left / (o.minutes * 60_000)) * 100), `Under load: ${Math.max(0, Math.ceil(left / 1000))} s left`);
      await sleep(Math.max(0, Math.min(o.sampleSec * 1000, left)));
    }
  } finally {
    stopLoad.abort();
    o.signal.removeEventListener('abort', cancelLoad);
    await load;
  }
  if (o.signal.aborted) throw new RigError('cancelled', 'Cancelled.');
  if (loadError) flags.push({ severity: 'block', message: `The GPU load did not run for the whole time: ${loadError}` });
  if (!o.load) flags.push({ severity: 'warn', message: 'No load could be put on the GPU, so these are idle figures.' });
  if (sampleErrors > 0) flags.push({ severity: 'warn', message: `${sampleErrors} telemetry reading(s) failed during the run.` });
  const summary = summarizeStability(readings, o.maxTemperatureC);
  return { minutes: o.minutes, loadImage: o.load?.image ?? null, loadRan: o.load !== null && loadError === null, gpus: summary.gpus, flags: [...flags, ...summary.flags] };
}
