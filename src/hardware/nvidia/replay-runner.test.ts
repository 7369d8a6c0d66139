import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { TelemetryEvent } from '../../api/schemas/hardware.js';
import { fakeNvidiaSmiEnv, nvidiaFixture, nvidiaFixtures } from '../../../test/fake-nvidia-smi/index.js';
import { spawnWithTimeout } from '../../util/spawn-with-timeout.js';
import { silentLogger } from '../../util/logger.js';
import { telemetryArgs } from '../telemetry/parse-telemetry.js';
import { TelemetryStream } from '../telemetry/telemetry-stream.js';
import { replayNvidiaSmiRunner } from './replay-runner.js';
import { runNvidiaScan } from './run-nvidia-scan.js';

const CAPTURE = 'rtx3090_525.147.05_1gpu.xml';
/** An environment where nothing can be spawned: PATH is an empty folder, nvidia-smi a file that is not a program. */
function noProgramsEnv(): NodeJS.ProcessEnv {
  return { PATH: mkdtempSync(path.join(os.tmpdir(), 'rl-empty-path-')), RIGLEASE_NVIDIA_SMI: nvidiaFixture(CAPTURE) };
}

describe('nvidia-smi replayed in-process (demo mode)', () => {
  it('scans a real capture with nothing to spawn: no executable, no node on PATH', async () => {
    const env = noProgramsEnv();
    const spawned = await runNvidiaScan({ env, platform: process.platform, configuredPath: null, timeoutMs: 5000 });
    // The same environment without the runner cannot run anything: the capture is not a program.
    expect(spawned.status.state).toBe('permission_denied');
    const r = await runNvidiaScan({ env, platform: process.platform, configuredPath: null, timeoutMs: 5000, runner: replayNvidiaSmiRunner({ xml: nvidiaFixture(CAPTURE) }) });
    expect(r.status.state).toBe('ok');
    expect(r.status.driverVersion).toBe('525.147.05');
    expect(r.gpus.map((g) => g.name)).toEqual(['NVIDIA GeForce RTX 3090']);
  });

  it('says absent, not ok, when the capture to replay is missing', async () => {
    const r = await runNvidiaScan({ env: noProgramsEnv(), platform: process.platform, configuredPath: null, timeoutMs: 5000, runner: replayNvidiaSmiRunner({ xml: '/nonexistent/capture.xml' }) });
    expect(r.status.state).toBe('absent');
    expect(r.gpus).toEqual([]);
  });

  it('answers every real capture exactly as the test fake executable does (one replayer)', async () => {
    const query = telemetryArgs(1000).filter((a) => a !== '-lms' && a !== '1000');
    for (const xml of nvidiaFixtures('xml')) {
      const runner = replayNvidiaSmiRunner({ xml: nvidiaFixture(xml) });
      for (const args of [['-q', '-x'], query]) {
        const opts = { timeoutMs: 15_000, env: fakeNvidiaSmiEnv({ xml }) };
        const [inProcess, spawned] = await Promise.all([runner.run('nvidia-smi', args, opts), spawnWithTimeout(opts.env['RIGLEASE_NVIDIA_SMI'] ?? '', args, opts)]);
        expect({ code: inProcess.code, stdout: inProcess.stdout }, `${xml} ${args.join(' ')}`).toEqual({ code: spawned.code, stdout: spawned.stdout });
      }
    }
  }, 120_000);

  it('streams live telemetry (-lms) in-process every period until the last listener leaves', async () => {
    const events: TelemetryEvent[] = [];
    const stream = new TelemetryStream({
      env: noProgramsEnv(),
      logger: silentLogger,
      publish: (e) => events.push(e),
      resolve: async () => ({ path: 'nvidia-smi', intervalMs: 40 }),
      runner: replayNvidiaSmiRunner({ xml: nvidiaFixture(CAPTURE) }),
    });
    stream.start();
    await expect.poll(() => events.length, { timeout: 5000 }).toBeGreaterThanOrEqual(3);
    expect(stream.running).toBe(true);
    expect(events.every((e) => e.error === null)).toBe(true);
    expect(events[0]?.samples).toEqual([expect.objectContaining({ index: 0, powerDrawW: 27.23, memoryTotalMiB: 24576, temperatureC: 37 })]);
    await stream.stopped();
    expect(stream.running).toBe(false);
    await new Promise((r) => setTimeout(r, 60)); // the batch read before stop is still delivered
    const seen = events.length;
    await new Promise((r) => setTimeout(r, 200));
    expect(events.length).toBe(seen);
  });
});
