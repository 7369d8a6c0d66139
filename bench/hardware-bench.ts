// Hardware figures for `npm run bench`: readiness-scan wall time and telemetry CPU per GPU sample.
// Both use the fake nvidia-smi replaying a real capture (see test/fake-nvidia-smi) and, for the
// scan, the real Docker test engine — the same parts a user's scan runs, minus the real driver.
import { readFileSync } from 'node:fs';
import os from 'node:os';
import { HardwareSettings } from '../src/api/schemas/settings/hardware.js';
import type { TelemetryEvent } from '../src/api/schemas/hardware.js';
import { EventHub } from '../src/core/event-hub.js';
import { createHardwareService, type HardwareService } from '../src/hardware/index.js';
import { silentLogger } from '../src/util/logger.js';
import { testDockerEngine } from '../test/docker/engine.js';
import { fakeNvidiaSmiEnv } from '../test/fake-nvidia-smi/index.js';

export interface ScanBench {
  n: number;
  capture: string;
  dockerHost: string | null;
  /** The first scan (module loading, JIT, first Docker connection) is reported alone, not in p50/p95. */
  firstMs: number;
  p50Ms: number;
  p95Ms: number;
  maxMs: number;
  /** The nvidia-smi part alone (the fake is a Node script: its start-up dominates). */
  nvidiaP50Ms: number;
  samplesMs: number[];
}

export interface TelemetryBench {
  seconds: number;
  capture: string;
  intervalMs: number;
  gpuSamples: number;
  /** Agent-process CPU (user+system) per GPU sample: parsing, batching, schema check, publish. */
  cpuMsPerSample: number;
  /** The nvidia-smi child's own CPU per sample (here the fake's, Linux /proc only; null elsewhere). */
  childCpuMsPerSample: number | null;
}

const SCAN_CAPTURE = 'rtx4090_535.86.05_1gpu.xml';
const TELEMETRY_CAPTURE = 'rtx2070_590.44.01_2gpu.xml';

async function makeService(env: NodeJS.ProcessEnv, intervalMs = 1000): Promise<{ svc: HardwareService; hub: EventHub; dockerHost: string | null }> {
  const engine = await testDockerEngine();
  const dockerHost = engine.ok ? engine.host : null;
  const hub = new EventHub();
  const svc = createHardwareService({
    env: dockerHost ? { ...env, DOCKER_HOST: dockerHost } : env,
    platform: process.platform,
    homeDir: os.homedir(),
    settings: async () => HardwareSettings.parse({ telemetryIntervalMs: intervalMs }),
    hub,
    logger: silentLogger,
  });
  return { svc, hub, dockerHost };
}

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;

/** `n` full readiness scans in a row (no cache), wall-clock each. */
export async function benchScan(n: number): Promise<ScanBench> {
  const { svc, dockerHost } = await makeService(fakeNvidiaSmiEnv({ xml: SCAN_CAPTURE }));
  try {
    const t0 = performance.now();
    await svc.scan();
    const firstMs = performance.now() - t0;
    const samples: number[] = [];
    const nvidia: number[] = [];
    for (let i = 0; i < n; i++) {
      const t = performance.now();
      const r = await svc.scan({ maxAgeMs: 0 });
      samples.push(performance.now() - t);
      nvidia.push(r.nvidia.durationMs);
    }
    const sorted = [...samples].sort((a, b) => a - b);
    return {
      n,
      capture: SCAN_CAPTURE,
      dockerHost,
      firstMs: Math.round(firstMs),
      p50Ms: Math.round(pct(sorted, 50)),
      p95Ms: Math.round(pct(sorted, 95)),
      maxMs: Math.round(sorted[sorted.length - 1] ?? NaN),
      nvidiaP50Ms: Math.round(pct([...nvidia].sort((a, b) => a - b), 50)),
      samplesMs: samples.map((s) => Math.round(s)),
    };
  } finally {
    await svc.stop();
  }
}

/**
 * Streams telemetry for `seconds` at the fastest allowed interval (more samples, same per-sample
 * cost) and divides the agent's CPU time by the number of GPU samples it delivered.
 */
export async function benchTelemetryCpuPerSample(seconds: number): Promise<TelemetryBench> {
  const intervalMs = 250;
  const { svc, hub } = await makeService(fakeNvidiaSmiEnv({ xml: TELEMETRY_CAPTURE }), intervalMs);
  let samples = 0;
  let counting = false;
  let firstSeen!: () => void;
  const first = new Promise<void>((r) => (firstSeen = r));
  const off = hub.subscribe('gpu.telemetry', (e: TelemetryEvent) => {
    if (e.samples.length > 0) firstSeen();
    if (counting) samples += e.samples.length;
  });
  try {
    await first; // the child's start-up is not a per-sample cost
    const pid = svc.telemetryStatus().pid;
    const childStart = pid ? childCpuMs(pid) : null;
    const cpu0 = process.cpuUsage();
    counting = true;
    await new Promise((r) => setTimeout(r, seconds * 1000));
    counting = false;
    const cpu = process.cpuUsage(cpu0);
    const childEnd = pid ? childCpuMs(pid) : null;
    const agentMs = (cpu.user + cpu.system) / 1000;
    return {
      seconds,
      capture: TELEMETRY_CAPTURE,
      intervalMs,
      gpuSamples: samples,
      cpuMsPerSample: samples > 0 ? agentMs / samples : NaN,
      childCpuMsPerSample: childStart !== null && childEnd !== null && samples > 0 ? (childEnd - childStart) / samples : null,
    };
  } finally {
    off();
    await svc.stop();
  }
}

/** utime+stime of a process from /proc (clock ticks assumed 100/s, the Linux default). */
function childCpuMs(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return null;
  }
}
