import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { HardwareReport, type TelemetryEvent } from '../api/schemas/hardware.js';
import { HardwareSettings } from '../api/schemas/settings/hardware.js';
import { EventHub } from '../core/event-hub.js';
import { silentLogger } from '../util/logger.js';
import { testDockerEngine } from '../../test/docker/engine.js';
import { FAKE_NVIDIA_SMI, fakeNvidiaSmiEnv, nvidiaFixture } from '../../test/fake-nvidia-smi/index.js';
import { createHardwareService, type HardwareService } from './index.js';
import { parseNvidiaSmiXml } from './nvidia/parse-xml.js';

const engine = await testDockerEngine();
const dockerHost = engine.ok ? engine.host : 'unix:///nonexistent/docker.sock';

/** Wraps the fake so each run appends a line to a file: we can count nvidia-smi invocations. */
function countingNvidiaSmi(): { file: string; count: () => number } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'rl-count-'));
  const log = path.join(dir, 'calls');
  writeFileSync(log, '');
  const file = path.join(dir, 'nvidia-smi');
  writeFileSync(file, `#!/bin/sh\necho "$*" >> '${log}'\nexec '${FAKE_NVIDIA_SMI}' "$@"\n`);
  chmodSync(file, 0o755);
  return { file, count: () => readFileSync(log, 'utf8').split('\n').filter(Boolean).length };
}

const services: HardwareService[] = [];
afterEach(async () => {
  await Promise.all(services.splice(0).map((s) => s.stop()));
});

function service(env: NodeJS.ProcessEnv, settings: Partial<HardwareSettings> = {}) {
  const hub = new EventHub();
  const svc = createHardwareService({
    env: { ...env, DOCKER_HOST: dockerHost },
    platform: process.platform,
    homeDir: os.homedir(),
    settings: async () => HardwareSettings.parse({ telemetryIntervalMs: 250, ...settings }),
    hub,
    logger: silentLogger,
  });
  services.push(svc);
  return { svc, hub };
}
type HardwareSettings = ReturnType<typeof HardwareSettings.parse>;

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};
const waitFor = async (cond: () => boolean, ms = 15_000) => {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 25));
  }
};

describe('hardware scan', () => {
  it('builds a valid report from one nvidia-smi run, systeminformation and the real Docker engine', async () => {
    const counter = countingNvidiaSmi();
    const { svc } = service({ ...fakeNvidiaSmiEnv({ xml: 'rtx2080_590.44.01_2gpu.xml' }), RIGLEASE_NVIDIA_SMI: counter.file });
    const report = await svc.scan();
    expect(HardwareReport.safeParse(report).success).toBe(true);
    expect(counter.count()).toBe(1);
    expect(report.gpus.map((g) => g.name)).toEqual(['NVIDIA GeForce RTX 2080', 'NVIDIA GeForce RTX 2080']);
    expect(report.nvidia.state).toBe('ok');
    expect(report.docker.reachable).toBe(engine.ok);
    if (engine.ok) expect(report.system.disk?.path).toBe(report.docker.rootDir);
    // Without the nvidia runtime in the test engine the machine cannot be ready.
    expect(report.checks.find((c) => c.id === 'docker.gpu-runtime')?.status).toBe(report.docker.gpuCapable ? 'ok' : 'block');
    expect(report.verdict).toBe('blocked');
    expect(svc.last()).toBe(report);
  });

  it('shares one in-flight scan between concurrent callers and honours maxAgeMs', async () => {
    const counter = countingNvidiaSmi();
    const { svc } = service({ ...fakeNvidiaSmiEnv({ xml: 'teslat4_515.105.01_1gpu.xml' }), RIGLEASE_NVIDIA_SMI: counter.file });
    const [a, b, c] = await Promise.all([svc.scan(), svc.scan(), svc.scan()]);
    expect(a).toBe(b);
    expect(b).toBe(c);
    expect(counter.count()).toBe(1);
    const cached = await svc.scan({ maxAgeMs: 60_000 });
    expect(cached).toBe(a);
    expect(counter.count()).toBe(1);
    const fresh = await svc.scan({ maxAgeMs: 0 });
    expect(fresh).not.toBe(a);
    expect(counter.count()).toBe(2);
  });

  it('reports a broken driver as a blocked GPU check, not an exception', async () => {
    const { svc } = service(fakeNvidiaSmiEnv({ error: 'error_driver-not-loaded.txt' }));
    const report = await svc.scan();
    expect(report.nvidia.state).toBe('driver_not_loaded');
    expect(report.gpus).toEqual([]);
    expect(report.checks.find((c) => c.id === 'gpu.present')).toMatchObject({ status: 'block' });
  });
});

describe('GPU telemetry through the hub', () => {
  it('starts on the first listener, sends parsed numbers, restarts a killed nvidia-smi, stops after the last listener', async () => {
    const capture = 'rtx2070_590.44.01_2gpu.xml';
    const want = parseNvidiaSmiXml(readFileSync(nvidiaFixture(capture), 'utf8')).gpus;
    const { svc, hub } = service(fakeNvidiaSmiEnv({ xml: capture }));
    expect(svc.telemetryStatus().running).toBe(false);

    const events: TelemetryEvent[] = [];
    const off1 = hub.subscribe('gpu.telemetry', (e) => events.push(e));
    const off2 = hub.subscribe('gpu.telemetry', () => undefined);
    await waitFor(() => events.some((e) => e.samples.length > 0));
    const status = svc.telemetryStatus();
    expect(status.running).toBe(true);
    expect(status.spawnCount).toBe(1);

    const first = events.find((e) => e.samples.length > 0)!;
    expect(first.error).toBeNull();
    expect(first.samples).toHaveLength(want.length);
    first.samples.forEach((s, i) => {
      expect(s.index).toBe(i);
      expect(s.uuid).toBe(want[i]!.uuid);
      expect(s.temperatureC).toBe(want[i]!.temperatureC);
      expect(s.powerDrawW).toBe(want[i]!.powerDrawW);
      expect(s.memoryTotalMiB).toBe(want[i]!.vramMiB);
      expect(s.memoryUsedMiB).toBe(want[i]!.memoryUsedMiB);
      expect(s.utilizationPct).toBe(want[i]!.utilizationPct);
    });

    // Kill the stream behind the supervisor's back: it must come back with a new process.
    const pid1 = status.pid!;
    process.kill(pid1, 'SIGKILL');
    await waitFor(() => svc.telemetryStatus().spawnCount === 2 && svc.telemetryStatus().pid !== pid1);
    expect(events.some((e) => e.error !== null && e.samples.length === 0)).toBe(true);
    const before = events.length;
    await waitFor(() => events.slice(before).some((e) => e.samples.length > 0));

    // One listener left: still running. None left: the process is gone.
    off1();
    expect(svc.telemetryStatus().running).toBe(true);
    const pid2 = svc.telemetryStatus().pid!;
    off2();
    await waitFor(() => !alive(pid2));
    expect(svc.telemetryStatus().running).toBe(false);
  });

  it('tells listeners when there is no nvidia-smi to stream from', async () => {
    const { hub } = service({ ...process.env, RIGLEASE_NVIDIA_SMI: '', PATH: mkdtempSync(path.join(os.tmpdir(), 'rl-empty-')) });
    const events: TelemetryEvent[] = [];
    const off = hub.subscribe('gpu.telemetry', (e) => events.push(e));
    await waitFor(() => events.length > 0);
    off();
    expect(events[0]!.samples).toEqual([]);
    expect(events[0]!.error).toContain('not found');
  });
});
