import { randomBytes } from 'node:crypto';
import type Docker from 'dockerode';
import { RigError, toErrorShape } from '../api/errors.js';
import type { BenchHistory, BenchKind, BenchRun, BenchSection, Ladder, PortMapResult } from '../api/schemas/bench.js';
import type { HardwareReport } from '../api/schemas/hardware.js';
import type { Settings } from '../api/schemas/settings.js';
import { runDiskBenchmark } from '../hardware/bench/disk-bench.js';
import { benchDocker } from '../hardware/bench/docker-connect.js';
import { runGpuBenchmark } from '../hardware/bench/gpu-bench.js';
import { BenchHistoryFile, rerunAdvice } from '../hardware/bench/history.js';
import { fioImage, resolveBenchImage } from '../hardware/bench/images.js';
import { runLadder } from '../hardware/bench/ladder.js';
import { bidEngineRung, dockerRung, driverRung, fetchProviderStatus, findK3sContainer, kubernetesRung } from '../hardware/bench/ladder-probes.js';
import { natPmpExternalAddress, natPmpMapTcp, type NatPmpOptions } from '../hardware/bench/nat-pmp.js';
import { localNetwork, type LocalNetwork } from '../hardware/bench/network-info.js';
import { PROVIDER_PORTS, runNetworkBenchmark, runPortsCheck } from '../hardware/bench/network-bench.js';
import { referenceFor } from '../hardware/bench/references.js';
import { findIgd, upnpErrorText, upnpExternalAddress, upnpMapTcp, upnpUnmapTcp, type IgdService } from '../hardware/bench/upnp-igd.js';
import { nvidiaSmiSampler, runStability, stabilityLoadCommand } from '../hardware/bench/stability.js';
import type { Logger } from '../util/logger.js';
import type { TaskProgress, TaskRegistry } from './task-registry.js';

export interface BenchServiceDeps {
  settings: () => Promise<Settings>;
  /** The hardware scan (cached by the hardware service for `maxAgeMs`). */
  scan: (maxAgeMs: number) => Promise<HardwareReport>;
  historyDir: string;
  env: NodeJS.ProcessEnv;
  platform: NodeJS.Platform;
  homeDir: string;
  logger: Logger;
}

interface HeldPort {
  port: number;
  internalPort: number;
  externalPort: number;
  /** 0 = permanent. */
  lifetimeSec: number;
}
type HeldPortMaps = { kind: 'nat-pmp'; gateway: string; natPmp: NatPmpOptions; ports: HeldPort[] } | { kind: 'upnp'; gateway: string; service: IgdService; ports: HeldPort[] };

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
 * Benchmarks and the pre-flight ladder, composed from src/hardware/bench with the hardware
 * scan and the settings. Every run is stored (date, driver, GPUs) in the append-only history.
 */
export class BenchService {
  readonly history: BenchHistoryFile;
  /** The port mappings this process asked the router for (to renew and to remove), and the renewal timer. */
  private portMaps: HeldPortMaps | null = null;
  private renewTimer: NodeJS.Timeout | undefined;

  constructor(private readonly deps: BenchServiceDeps) {
    this.history = new BenchHistoryFile(deps.historyDir);
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
          testWithoutGpu: b.gpuAccess === 'engine-default',
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
        const { local, natPmpPort } = await this.network();
        run.network = await runNetworkBenchmark({ local, settings: b.network, signal, ...(natPmpPort ? { natPmpPort } : {}) });
        return;
      }
      case 'ports': {
        const local = await localNetwork(this.deps.platform);
        run.ports = await runPortsCheck({ local, settings: b.network, signal });
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

  /** Driver → Docker → Kubernetes → bid engine, bottom-up; stops at the first red rung. */
  async ladder(gpuUuid: string | undefined, p: TaskProgress): Promise<Ladder> {
    p.step(0, 'Reading the hardware…');
    const settings = await this.deps.settings();
    const report = await this.deps.scan(0);
    const b = settings.bench;
    const smiImage = resolveBenchImage('smi', b.images);
    const podTimeoutMs = Math.min(b.containerTimeoutSec, 300) * 1000;
    let docker: Docker | null = null;
    const needDocker = (): Docker => {
      if (!report.docker.reachable) throw new RigError('unavailable', `Docker is not reachable: ${report.docker.message}`, 'Start Docker (Docker Desktop or the docker service), then check again.');
      docker ??= this.docker(report);
      return docker;
    };
    const ladder = await runLadder(
      {
        driver: async () => driverRung(report, gpuUuid ?? null),
        docker: async (signal) => {
          if (!report.docker.reachable) return { state: 'red', reason: `Docker is not reachable: ${report.docker.message}`, fix: 'Start Docker (Docker Desktop or the docker service), then check again.' };
          return dockerRung(needDocker(), smiImage, gpuUuid ?? null, signal, b.containerTimeoutSec * 1000, b.gpuAccess);
        },
        kubernetes: async (signal) => kubernetesRung(needDocker(), smiImage, signal, podTimeoutMs, settings.stack.namePrefix),
        bid_engine: async () => bidEngineRung(() => fetchProviderStatus(settings.stack.ports.gateway)),
      },
      p.signal,
      (index, title) => p.step(index + 1, `Checking: ${title}…`),
    );
    if (p.signal.aborted) throw new RigError('cancelled', 'Cancelled.');
    // A skipped Kubernetes rung still says whether the stack runs, so the person knows what comes next.
    const k8s = ladder.rungs.find((r) => r.id === 'kubernetes');
    if (k8s?.state === 'skipped' && report.docker.reachable) {
      const node = await findK3sContainer(needDocker(), settings.stack.namePrefix).catch(() => null);
      k8s.reason = `${k8s.reason}; the provider stack (k3s) is ${node ? 'running' : 'not running'}.`;
    }
    return ladder;
  }

  /**
   * The default interface and the router. `RIGLEASE_NAT_PMP_GATEWAY=<ip>[:port]` points NAT-PMP at
   * another gateway (a test router on loopback), like every outside dependency (STYLE.md §9).
   */
  private async network(): Promise<{ local: LocalNetwork; natPmpPort: number | undefined }> {
    const local = await localNetwork(this.deps.platform);
    const override = this.deps.env['RIGLEASE_NAT_PMP_GATEWAY']?.trim();
    if (!override) return { local, natPmpPort: undefined };
    const [host, port] = override.split(':');
    return { local: { ...local, gateway: host ?? null }, natPmpPort: port ? Number(port) : undefined };
  }

  /** Where UPnP discovery goes: `RIGLEASE_UPNP_SSDP=<ip>[:port]` (a loopback stand-in IGD) or the SSDP multicast group. */
  private ssdpTarget(): { address?: string; port?: number } {
    const override = this.deps.env['RIGLEASE_UPNP_SSDP']?.trim();
    if (!override) return {};
    const [address, port] = override.split(':');
    return { ...(address ? { address } : {}), ...(port ? { port: Number(port) } : {}) };
  }

  /**
   * Asks the router to forward 80, 443, 8443 and 8444 to the host ports the stack publishes them
   * on: NAT-PMP first, then UPnP IGD. While mappings with a lifetime exist, they are asked for
   * again at half their lifetime (one timer, only then); `unmapPorts` removes them.
   */
  async mapPorts(lifetimeSec: number, signal?: AbortSignal): Promise<PortMapResult> {
    this.clearRenewal();
    const { result, held } = await this.requestMappings(lifetimeSec, signal);
    this.portMaps = held;
    const lifetimes = held?.ports.map((p) => p.lifetimeSec).filter((l) => l > 0) ?? [];
    if (held && lifetimes.length > 0) {
      const delayMs = (Math.min(...lifetimes) * 1000) / 2;
      this.renewTimer = setTimeout(() => {
        this.renewTimer = undefined;
        this.mapPorts(lifetimeSec).then(
          (r) => this.deps.logger.info('bench.ports.renewed', { method: r.method, mapped: r.mappings.filter((m) => m.ok).length }),
          (err: unknown) => this.deps.logger.warn('bench.ports.renew_failed', { error: (err as Error).message }),
        );
      }, delayMs);
      this.renewTimer.unref();
      return { ...result, renewsAt: new Date(Date.now() + delayMs).toISOString() };
    }
    return result;
  }

  /** Removes the mappings RigLease made since it started and stops renewing them. */
  async unmapPorts(signal?: AbortSignal): Promise<PortMapResult> {
    this.clearRenewal();
    const held = this.portMaps;
    this.portMaps = null;
    if (!held) return { gateway: null, method: null, externalAddress: null, attempts: [], renewsAt: null, mappings: [], advice: ['Nothing to remove: RigLease has not asked the router for any mappings since it started. Rules made by hand stay in the router\u2019s settings.'] };
    const mappings: PortMapResult['mappings'] = [];
    for (const p of held.ports) {
      let ok: boolean;
      let detail: string;
      if (held.kind === 'nat-pmp') {
        // RFC 6886 §3.4: lifetime 0 and outside port 0 delete the mapping for this inside port.
        const m = await natPmpMapTcp({ ...held.natPmp, ...(signal ? { signal } : {}) }, p.internalPort, 0, 0);
        ok = m.ok;
        detail = m.message;
      } else {
        const r = await upnpUnmapTcp(held.service, p.externalPort, signal);
        ok = r.ok || r.code === 714; // 714 NoSuchEntryInArray: it is already gone
        detail = r.ok ? '' : upnpErrorText(r.code, r.description);
      }
      mappings.push({ port: p.port, internalPort: p.internalPort, ok, externalPort: null, lifetimeSec: null, message: ok ? `Removed: the router no longer forwards outside TCP ${p.externalPort}.` : `Not removed: ${detail}` });
    }
    const advice = mappings.some((m) => !m.ok) ? ['Remove the mappings the router kept by hand ("port forwarding" or "UPnP" in its settings).'] : [];
    return { gateway: held.gateway, method: held.kind, externalAddress: null, attempts: [], renewsAt: null, mappings, advice };
  }

  private clearRenewal(): void {
    clearTimeout(this.renewTimer);
    this.renewTimer = undefined;
  }

  private async requestMappings(lifetimeSec: number, signal?: AbortSignal): Promise<{ result: PortMapResult; held: HeldPortMaps | null }> {
    const settings = await this.deps.settings();
    const { local, natPmpPort } = await this.network();
    const hostPort: Record<number, number> = { 80: settings.stack.ports.http, 443: settings.stack.ports.https, 8443: settings.stack.ports.gateway, 8444: settings.stack.ports.grpc };
    const wanted = PROVIDER_PORTS.map(({ port }) => ({ port, internalPort: hostPort[port] ?? port }));
    const attempts: string[] = [];
    let failed: PortMapResult['mappings'] = [];

    // 1. NAT-PMP (RFC 6886): one UDP exchange per port with the default gateway.
    if (local.gateway) {
      const natPmp = { gateway: local.gateway, ...(natPmpPort ? { port: natPmpPort } : {}) };
      const mappings: PortMapResult['mappings'] = [];
      for (const w of wanted) {
        const m = await natPmpMapTcp({ ...natPmp, ...(signal ? { signal } : {}) }, w.internalPort, w.port, lifetimeSec);
        mappings.push({ ...w, ...m });
        // A router that does not answer the first port will not answer the others: do not wait 4 times.
        if (!m.ok && mappings.length === 1 && /did not answer/.test(m.message)) break;
      }
      if (mappings.some((m) => m.ok)) {
        const outside = await natPmpExternalAddress({ ...natPmp, tries: 2, ...(signal ? { signal } : {}) });
        attempts.push(`NAT-PMP: the router at ${local.gateway} answered.`);
        const held: HeldPortMaps = { kind: 'nat-pmp', gateway: local.gateway, natPmp, ports: mappings.filter((m) => m.ok).map((m) => ({ port: m.port, internalPort: m.internalPort, externalPort: m.externalPort ?? m.port, lifetimeSec: m.lifetimeSec ?? lifetimeSec })) };
        return { result: this.portMapResult(local, 'nat-pmp', outside.externalAddress, attempts, mappings, lifetimeSec), held };
      }
      attempts.push(`NAT-PMP: ${mappings[0]?.message ?? 'no answer'}`);
      failed = mappings;
    } else {
      attempts.push('NAT-PMP: the router\u2019s address is not known here.');
    }
    if (signal?.aborted) return { result: this.portMapResult(local, null, null, attempts, failed, lifetimeSec), held: null };

    // 2. UPnP IGD: SSDP discovery, the device description, then SOAP AddPortMapping per port.
    const found = await findIgd({ ...this.ssdpTarget(), timeoutMs: 2500, ...(signal ? { signal } : {}) });
    if (!found.ok) {
      attempts.push(`UPnP: ${found.message}`);
      return { result: this.portMapResult(local, null, null, attempts, failed, lifetimeSec), held: null };
    }
    const service = found.service;
    const igdHost = new URL(service.controlUrl).hostname;
    attempts.push(`UPnP: ${service.name} at ${igdHost} (${service.serviceType.split(':').slice(-2).join(':')}).`);
    const client = local.localAddress;
    if (!client) {
      attempts.push('UPnP: this machine\u2019s own network address is not known, so the router cannot be told where to forward.');
      return { result: this.portMapResult(local, null, null, attempts, failed, lifetimeSec), held: null };
    }
    const mappings: PortMapResult['mappings'] = [];
    for (const w of wanted) {
      const m = await upnpMapTcp(service, { internalClient: client, internalPort: w.internalPort, externalPort: w.port, lifetimeSec, description: `RigLease ${w.port}`, ...(signal ? { signal } : {}) });
      mappings.push({ ...w, ok: m.ok, externalPort: m.externalPort, lifetimeSec: m.lifetimeSec, message: m.message });
    }
    const ok = mappings.filter((m) => m.ok);
    if (ok.length === 0) return { result: this.portMapResult(local, null, null, attempts, mappings, lifetimeSec), held: null };
    const outside = await upnpExternalAddress(service, signal);
    const held: HeldPortMaps = { kind: 'upnp', gateway: igdHost, service, ports: ok.map((m) => ({ port: m.port, internalPort: m.internalPort, externalPort: m.externalPort ?? m.port, lifetimeSec: m.lifetimeSec ?? 0 })) };
    return { result: { ...this.portMapResult(local, 'upnp', outside, attempts, mappings, lifetimeSec), gateway: igdHost }, held };
  }

  private portMapResult(local: LocalNetwork, method: PortMapResult['method'], externalAddress: string | null, attempts: string[], mappings: PortMapResult['mappings'], lifetimeSec: number): PortMapResult {
    const advice: string[] = [];
    const target = local.localAddress ?? 'this computer';
    const byHand = mappings.length > 0 && method ? mappings.filter((m) => !m.ok) : PROVIDER_PORTS.map(({ port }) => mappings.find((m) => m.port === port) ?? { port, internalPort: port });
    if (byHand.length > 0) {
      const list = byHand.map((m) => `TCP ${m.port} \u2192 ${target}:${m.internalPort}`).join(', ');
      advice.push(method ? `Forward by hand in the router\u2019s settings ("port forwarding"): ${list}.` : `Neither NAT-PMP nor UPnP mapped the ports. Forward them by hand in the router\u2019s settings ("port forwarding" or "virtual server"): ${list}. Or switch on UPnP in the router and ask again.`);
    }
    if (mappings.some((m) => m.ok && m.externalPort !== m.port)) advice.push('The router chose different outside ports for some mappings; tenants expect the standard ones, so forward those by hand.');
    const ok = mappings.filter((m) => m.ok);
    if (ok.some((m) => (m.lifetimeSec ?? 0) > 0)) advice.push(`The router keeps these mappings for ${Math.round(lifetimeSec / 60)} minutes; RigLease asks again before then while it runs. For mappings that outlive the app, make a permanent rule in the router.`);
    if (ok.some((m) => m.lifetimeSec === 0)) advice.push('The router only keeps permanent mappings: they stay after RigLease quits. Use "Remove mappings" to take them away.');
    return { gateway: local.gateway, method, externalAddress, attempts, renewsAt: null, mappings, advice };
  }

  /** On quit: cancel running benchmarks and wait (briefly) until their containers are removed. */
  async stop(tasks: TaskRegistry): Promise<void> {
    this.clearRenewal();
    const running = tasks.list().filter((t) => t.state === 'running' && t.kind.startsWith('bench.'));
    for (const t of running) tasks.cancel(t.task);
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([Promise.all(running.map((t) => tasks.wait(t.task))), new Promise<void>((r) => (timer = setTimeout(r, 15_000)))]);
    clearTimeout(timer);
  }

  private docker(report: HardwareReport): Docker {
    if (!report.docker.reachable) throw new RigError('unavailable', `Docker is not reachable: ${report.docker.message}`, 'Start Docker (Docker Desktop or the docker service), then run the benchmark again.');
    return benchDocker({ scannedEndpoint: report.docker.endpoint, env: this.deps.env, homeDir: this.deps.homeDir, platform: this.deps.platform });
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
