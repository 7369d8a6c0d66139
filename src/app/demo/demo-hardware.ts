import type { HardwareReport } from '../../api/schemas/hardware.js';
import { runChecks, verdictOf } from '../../hardware/checks/index.js';
import type { HardwareService } from '../../hardware/index.js';
import { DEMO_BANNER } from './demo-handlers.js';

/**
 * Demo mode's hardware: the GPU from the real scan (the fake nvidia-smi on a real capture) in a
 * simulated rig (CPU, memory, disk and Docker). Wrapped around the service itself, so every
 * reader — the Readiness screen, the wizard's checks, the dashboard, the rig's state — sees the same.
 */
export function demoHardware(inner: HardwareService): HardwareService {
  return {
    scan: async (opts) => demoReport(await inner.scan(opts)),
    last: () => {
      const r = inner.last();
      return r === null ? null : demoReport(r);
    },
    telemetryStatus: () => inner.telemetryStatus(),
    stop: () => inner.stop(),
  };
}

/** The simulated rig around the captured GPU: a typical gaming PC with room for a tenant. */
const DEMO_SYSTEM = {
  // Linux as Akash documents it: a demo opened on a Mac or a small laptop describes the rig it
  // pretends to be, never "macOS cannot use NVIDIA GPUs" beside an earning Dashboard.
  hostname: 'demo-rig',
  os: { kind: 'linux' as const, platform: 'linux', distro: 'Ubuntu', release: '24.04', kernel: '6.8.0 (simulated)' },
  arch: 'x64',
  cpu: { model: 'Simulated 16-thread desktop CPU (demo)', vendor: null, cores: 8, threads: 16, virtualization: true },
  memory: { totalMiB: 64 * 1024, availableMiB: 48 * 1024 },
  disk: { path: 'demo (simulated)', mount: null, totalMiB: 2 * 1024 * 1024, freeMiB: 1536 * 1024 },
};

/**
 * The scan as demo mode shows it: the GPU (the real capture) in a simulated rig. The host's own
 * system, name, CPU, memory, disk and Docker are never described: a demo on a small laptop must not say "not
 * ready" about a rig it only pretends to be, and the demo never asks the real engine.
 */
export function demoReport(report: HardwareReport): HardwareReport {
  const system = { ...report.system, ...DEMO_SYSTEM };
  const docker: HardwareReport['docker'] = {
    ...report.docker,
    endpoint: 'demo (simulated)',
    found: true,
    reachable: true,
    problem: null,
    message: 'Simulated in demo mode; the real Docker engine is never touched.',
    version: '27.3.1',
    apiVersion: '1.47',
    runtimes: ['nvidia', 'runc'],
    gpuCapable: true,
    nvidiaToolkit: { present: true, how: 'simulated (demo mode)' },
  };
  const checks = [
    ...runChecks({ nvidia: report.nvidia, gpus: report.gpus, system, docker }).filter((c) => !c.id.startsWith('docker.')),
    { id: 'docker.engine', status: 'ok' as const, title: 'Docker engine', detail: `${DEMO_BANNER} The provider stack is simulated, so Docker is not checked.`, fix: null, link: null },
  ];
  return { ...report, verdict: verdictOf(checks), system, docker, checks };
}
