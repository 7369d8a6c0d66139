import { HardwareReport } from '../api/schemas/hardware.js';
import { runChecks, verdictOf } from './checks/index.js';
import { createDockerConnection } from '../core/docker-connection.js';
import { probeDocker } from './docker/docker-probe.js';
import type { HardwareService, HardwareServiceOptions, TelemetryStatus } from './index.js';
import { locateNvidiaSmi } from './nvidia/locate-nvidia-smi.js';
import { runNvidiaScan } from './nvidia/run-nvidia-scan.js';
import { gatherSystemFacts, pickDisk } from './system/system-info.js';
import { TelemetryStream } from './telemetry/telemetry-stream.js';

/**
 * Budgets for the parts that are not nvidia-smi (its own budget is `hardware.scanTimeoutMs`).
 * The target is a whole scan in ≤ 1.5 s; these only bound the bad cases (a hung engine).
 */
const DOCKER_TIMEOUT_MS = 3000;
const SYSTEM_TIMEOUT_MS = 3000;

/**
 * The hardware part of the agent: readiness scans (one nvidia-smi, systeminformation and the
 * Docker engine, all in parallel) and the on-demand telemetry stream.
 */
export function createHardwareService(opts: HardwareServiceOptions): HardwareService {
  let last: HardwareReport | null = null;
  let lastAt = 0;
  let inFlight: Promise<HardwareReport> | null = null;
  const connection = opts.docker ?? createDockerConnection({ env: opts.env, platform: opts.platform, homeDir: opts.homeDir });

  const telemetry = new TelemetryStream({
    env: opts.env,
    logger: opts.logger.child('telemetry'),
    publish: (event) => opts.hub.publish('gpu.telemetry', event),
    ...(opts.nvidiaSmi ? { runner: opts.nvidiaSmi } : {}),
    resolve: async () => {
      const s = await opts.settings();
      const located = await locateNvidiaSmi({ env: opts.env, platform: opts.platform, configuredPath: s.nvidiaSmiPath });
      return { path: located.path, intervalMs: s.telemetryIntervalMs };
    },
  });
  opts.hub.registerOnDemand('gpu.telemetry', telemetry);

  async function scanNow(): Promise<HardwareReport> {
    const started = performance.now();
    const settings = await opts.settings();
    const [nvidia, system, docker] = await Promise.all([
      runNvidiaScan({ env: opts.env, platform: opts.platform, configuredPath: settings.nvidiaSmiPath, timeoutMs: settings.scanTimeoutMs, ...(opts.nvidiaSmi ? { runner: opts.nvidiaSmi } : {}) }),
      gatherSystemFacts({ env: opts.env, platform: opts.platform, timeoutMs: SYSTEM_TIMEOUT_MS }),
      probeDocker({ connection, env: opts.env, platform: opts.platform, timeoutMs: DOCKER_TIMEOUT_MS }),
    ]);
    const disk = await pickDisk(system, docker.rootDir, opts.homeDir, opts.platform);
    const systemInfo = { hostname: system.hostname, os: system.os, arch: system.arch, cpu: system.cpu, memory: system.memory, disk };
    const checks = runChecks({ nvidia: nvidia.status, gpus: nvidia.gpus, system: systemInfo, docker });
    const report = HardwareReport.parse({
      scannedAt: new Date().toISOString(),
      durationMs: Math.round(performance.now() - started),
      verdict: verdictOf(checks),
      gpus: nvidia.gpus,
      nvidia: nvidia.status,
      system: systemInfo,
      docker,
      checks,
    });
    opts.logger.info('hardware scan', { durationMs: report.durationMs, verdict: report.verdict, gpus: report.gpus.length, nvidia: nvidia.status.state, docker: docker.problem ?? 'ok' });
    return report;
  }

  return {
    scan({ maxAgeMs = 0 } = {}) {
      if (last && maxAgeMs > 0 && Date.now() - lastAt <= maxAgeMs) return Promise.resolve(last);
      // Concurrent callers (UI + CLI + tray) share one scan: never two nvidia-smi at once.
      inFlight ??= scanNow()
        .then((report) => {
          last = report;
          lastAt = Date.now();
          return report;
        })
        .finally(() => {
          inFlight = null;
        });
      return inFlight;
    },
    last: () => last,
    telemetryStatus(): TelemetryStatus {
      return { running: telemetry.running, pid: telemetry.pid, spawnCount: telemetry.spawnCount };
    },
    async stop() {
      await telemetry.stopped();
      await inFlight?.catch(() => undefined);
    },
  };
}
