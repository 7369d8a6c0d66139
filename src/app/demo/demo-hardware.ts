import type { HardwareReport } from '../../api/schemas/hardware.js';
import { verdictOf } from '../../hardware/checks/index.js';
import type { HardwareService } from '../../hardware/index.js';
import { DEMO_BANNER } from './demo-handlers.js';

/**
 * Demo mode's hardware: the real scan (the fake nvidia-smi on a real capture, this machine's CPU,
 * memory and disk as they are) with Docker shown as simulated. Wrapped around the service itself,
 * so every reader — the Readiness screen, the wizard's checks, the dashboard — sees the same.
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

/**
 * The scan as demo mode shows it: the GPU (the real capture) and this machine's CPU, memory and
 * disk as they are, but Docker as simulated — the demo never asks the real engine, so "no engine
 * found" would be an artefact of the demo, not a fact about this machine.
 */
export function demoReport(report: HardwareReport): HardwareReport {
  const checks = [
    ...report.checks.filter((c) => !c.id.startsWith('docker.')),
    { id: 'docker.engine', status: 'ok' as const, title: 'Docker engine', detail: `${DEMO_BANNER} The provider stack is simulated, so Docker is not checked.`, fix: null, link: null },
  ];
  return {
    ...report,
    verdict: verdictOf(checks),
    docker: {
      ...report.docker,
      endpoint: 'demo (simulated)',
      found: true,
      reachable: true,
      problem: null,
      message: 'Simulated in demo mode; the real Docker engine is never touched.',
      gpuCapable: true,
      nvidiaToolkit: { present: true, how: 'simulated (demo mode)' },
    },
    checks,
  };
}
