import { randomBytes } from 'node:crypto';
import type Docker from 'dockerode';
import { RigError, toErrorShape } from '../api/errors.js';
import type { BenchHistory, BenchKind, BenchRun, BenchSection, Ladder, PortMapResult, PortsStatus } from '../api/schemas/bench.js';
import type { HardwareReport } from '../api/schemas/hardware.js';
import type { Settings } from '../api/schemas/settings.js';
import { runDiskBenchmark } from '../hardware/bench/disk-bench.js';
import { runGpuBenchmark } from '../hardware/bench/gpu-bench.js';
import { BenchHistoryFile, rerunAdvice } from '../hardware/bench/history.js';
import { fioImage, resolveBenchImage } from '../hardware/bench/images.js';
import { localNetwork } from '../hardware/bench/network-info.js';
import { runNetworkBenchmark, runPortsCheck } from '../hardware/bench/network-bench.js';
import { referenceFor } from '../hardware/bench/references.js';
import { nvidiaSmiSampler, runStability, stabilityLoadCommand } from '../hardware/bench/stability.js';
import type { Logger } from '../util/logger.js';
import { preflightLadder } from './bench-ladder.js';
import { benchNetwork, hostPorts, PortMapper } from './bench-ports.js';
import type { TaskProgress, TaskRegistry } from '../core/task-registry.js';

export interface BenchServiceDeps {
  settings: () => Promise<Settings>;
  /** The hardware scan (cached by the hardware service for `maxAgeMs`). */
  scan: (maxAgeMs: number) => Promise<HardwareReport>;
  historyDir: string;
  env: NodeJS.ProcessEnv;
  platform: NodeJS.Platform;
  homeDir: string;
  /** The agent's one Docker client (the engine the readiness scan reached). */
  docker: () => Docker;
  logger: Logger;
}

export interface BenchRunRequest {
  kind: BenchKind;
  gpuUuid?: string | undefined;
  minutes: number;
}

/** `all` is the quick set; the stability run takes minutes and is only run when asked for by name. */
export function sectionsFor(kind: BenchKind): BenchSection[] {
  return kind === 'all' ? ['gpu', 'disk', 'network', 'ports'] : [kind];
}

const SECTION_TITLES: Record<BenchSection, string> = {
  gpu: 'GPU compute (CUDA n-body)',
  disk: 'Disk throughput',
  network: 'Network throughput and NAT',
  ports: 'Provider ports from outside',
  stability: 'Stability under sustained load',
};

/**
 * Benchmarks, composed from src/hardware/bench with the hardware scan and the settings. Every run
 * is stored (date, driver, GPUs) in the append-only history. The pre-flight ladder lives in
 * bench-ladder.ts, router port mapping in bench-ports.ts.
 */
export class BenchService {
  readonly history: BenchHistoryFile;
  /** Router port mapping (NAT-PMP / UPnP IGD) and its renewal. */
  readonly ports: PortMapper;

  constructor(private readonly deps: BenchServiceDeps) {
    this.history = new BenchHistoryFile(deps.historyDir);
    this.ports = new PortMapper({ settings: deps.settings, env: deps.env, platform: deps.platform, stateDir: deps.historyDir, history: this.history, logger: deps.logger });
  }

  async run(req: BenchRunRequest, p: TaskProgress): Promise<BenchRun> {
    const sections = sectionsFor(req.kind);
    const of = sections.length + 2;
    const runId = `${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
    const at = new Date().toISOString();
    p.step(1, 'Reading the hardware (nvidia-smi, Docker)…');
    const settings = await this.deps.settings();
    const report = await this.deps.scan(60_000);
    const run: BenchRun = {
      id: runId,
      at,
      kinds: sections,
      driverVersion: report.nvidia.driverVersion,
      gpus: report.gpus.map((g) => ({ uuid: g.uuid, name: g.name })),
      gpu: null,
      disk: null,
      network: null,
      ports: null,
      stability: null,
      reference: null,
      errors: [],
    };
    for (const [i, section] of sections.entries()) {
      p.step(i + 2, `${SECTION_TITLES[section]}…`);
      try {
        await this.runSection(section, run, req, report, settings, p);
      } catch (err) {
        if (p.signal.aborted || (err instanceof RigError && err.code === 'cancelled')) throw new RigError('cancelled', 'Cancelled.');
        const error = toErrorShape(err);
        if (error.code === 'internal') this.deps.logger.error('benchmark section failed', { section, error: String(err) });
        run.errors.push({ section, error });
        p.log(`${SECTION_TITLES[section]} did not finish: ${error.message}`);
      }
    }
    if (p.signal.aborted) throw new RigError('cancelled', 'Cancelled.');
    p.step(of, 'Saving the results…');
    await this.history.append(run);
    return run;
  }

  private async runSection(section: BenchSection, run: BenchRun, req: BenchRunRequest, report: HardwareReport, settings: Settings, p: TaskProgress): Promise<void> {
    const b = settings.bench;
    const signal = p.signal;
    switch (section) {
      case 'gpu': {
        const gpu = chooseGpu(report, req.gpuUuid);
        const docker = this.docker(report);
        p.step(2 + run.kinds.indexOf('gpu'), `GPU compute: CUDA n-body on ${gpu.name} (${b.nbodyBodies.toLocaleString('en-US')} bodies)…`);
        run.gpu = await runGpuBenchmark({
          docker,
          image: resolveBenchImage('nbody', b.images),
          gpuUuid: gpu.uuid,
          bodies: b.nbodyBodies,
          timeoutMs: b.containerTimeoutSec * 1000,
          signal,
          runId: run.id,
          onLine: (line) => {
            if (line.trim()) p.log(line);
          },
          onPull: (status) => p.percent(0, status),
          gpuAccess: b.gpuAccess,
        });
        run.reference = referenceFor(run.gpu.device ?? gpu.name, run.gpu.gflops) ?? referenceFor(gpu.name, run.gpu.gflops);
        return;
      }
      case 'disk': {
        const docker = report.docker.reachable ? this.docker(report) : null;
        const candidates = [report.docker.rootDir, this.deps.homeDir].filter((c): c is string => !!c);
        run.disk = await runDiskBenchmark({
          candidates,
          sizeMiB: b.diskTestMiB,
          signal,
          fioImage: fioImage(b.images),
          docker,
          runId: run.id,
          onProgress: (pct, what) => p.percent(pct, `Disk: ${what}`),
        });
        return;
      }
      case 'network': {
        const { local, natPmpPort } = await benchNetwork(this.deps.env, this.deps.platform);
        run.network = await runNetworkBenchmark({ local, settings: b.network, signal, ...(natPmpPort ? { natPmpPort } : {}) });
        return;
      }
      case 'ports': {
        const local = await localNetwork(this.deps.platform);
        run.ports = await runPortsCheck({ local, settings: b.network, signal, hostPorts: hostPorts(settings) });
        return;
      }
      case 'stability': {
        const gpu = chooseGpu(report, req.gpuUuid);
        if (!report.nvidia.path) throw new RigError('precondition_failed', 'nvidia-smi was not found, so temperature and clocks cannot be read.', 'Install the NVIDIA driver.');
        const docker = report.docker.reachable ? this.docker(report) : null;
        run.stability = await runStability({
          minutes: req.minutes,
          sampleSec: b.stabilitySampleSec,
          maxTemperatureC: b.maxTemperatureC,
          // The agent's environment, like the hardware scan: the same nvidia-smi with the same settings.
          sampler: nvidiaSmiSampler(report.nvidia.path, this.deps.env),
          signal,
          load: docker
            ? {
                docker,
                image: resolveBenchImage('nbody', b.images),
                cmd: stabilityLoadCommand(b.nbodyBodies),
                gpus: b.gpuAccess === 'engine-default' ? null : gpu.uuid ? [gpu.uuid] : 'all',
                runId: run.id,
              }
            : null,
          onProgress: (pct, message) => p.percent(pct, message),
        });
        return;
      }
    }
  }

  /** Past runs, newest first, and whether the driver or the GPUs changed since the last one. */
  async historyView(limit: number): Promise<BenchHistory> {
    const runs = await this.history.read(limit);
    let current: { driverVersion: string | null; gpus: Array<{ uuid: string | null; name: string }> } | null = null;
    try {
      const report = await this.deps.scan(300_000);
      current = { driverVersion: report.nvidia.driverVersion, gpus: report.gpus.map((g) => ({ uuid: g.uuid, name: g.name })) };
    } catch {
      current = null;
    }
    return { runs, rerun: rerunAdvice(runs[0] ?? null, current) };
  }

  /** Driver → Docker → Kubernetes → bid engine, bottom-up; stops at the first red rung (bench-ladder.ts). */
  async ladder(gpuUuid: string | undefined, p: TaskProgress): Promise<Ladder> {
    p.step(0, 'Reading the hardware…');
    const settings = await this.deps.settings();
    const report = await this.deps.scan(0);
    return preflightLadder({ settings, report, docker: () => this.docker(report) }, gpuUuid, p);
  }

  /** Asks the router to forward 80, 443, 8443 and 8444 (bench-ports.ts); renewed while this process runs. */
  mapPorts(lifetimeSec: number, signal?: AbortSignal): Promise<PortMapResult> {
    return this.ports.mapPorts(lifetimeSec, signal);
  }

  /** Removes the router mappings RigLease holds, made by this process or an earlier one. */
  unmapPorts(signal?: AbortSignal): Promise<PortMapResult> {
    return this.ports.unmapPorts(signal);
  }

  /** This machine's network, the mappings held and the last outside check; asks nobody. */
  portsStatus(): Promise<PortsStatus> {
    return this.ports.status();
  }

  /** On quit: cancel running benchmarks and wait (briefly) until their containers are removed. */
  async stop(tasks: TaskRegistry): Promise<void> {
    this.ports.stop();
    const running = tasks.list().filter((t) => t.state === 'running' && t.kind.startsWith('bench.'));
    for (const t of running) tasks.cancel(t.task);
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([Promise.all(running.map((t) => tasks.wait(t.task))), new Promise<void>((r) => (timer = setTimeout(r, 15_000)))]);
    clearTimeout(timer);
  }

  private docker(report: HardwareReport): Docker {
    if (!report.docker.reachable) throw new RigError('unavailable', `Docker is not reachable: ${report.docker.message}`, 'Start Docker (Docker Desktop or the docker service), then run the benchmark again.');
    return this.deps.docker();
  }
}

function chooseGpu(report: HardwareReport, gpuUuid: string | undefined): HardwareReport['gpus'][number] {
  if (report.gpus.length === 0) {
    throw new RigError('precondition_failed', `No NVIDIA GPU to benchmark: ${report.nvidia.message}`, 'Open Readiness: it says what the driver needs.');
  }
  if (!gpuUuid) return report.gpus[0]!;
  const gpu = report.gpus.find((g) => g.uuid === gpuUuid);
  if (!gpu) throw new RigError('not_found', `No GPU with id ${gpuUuid} on this machine.`, 'Run the hardware scan and pick one of the GPUs it lists.');
  return gpu;
}
