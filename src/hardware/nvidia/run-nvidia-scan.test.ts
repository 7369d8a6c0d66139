import { chmodSync, copyFileSync, mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FAKE_NVIDIA_SMI, fakeNvidiaSmiEnv, nvidiaFixture, nvidiaFixtures } from '../../../test/fake-nvidia-smi/index.js';
import { classifyNvidiaFailure } from './classify-failure.js';
import { runNvidiaScan } from './run-nvidia-scan.js';

const scan = (env: NodeJS.ProcessEnv, timeoutMs = 15_000) =>
  runNvidiaScan({ env, platform: process.platform, configuredPath: null, timeoutMs });

/** Which state each captured error message must produce: the spec, one line per capture. */
const ERROR_STATES: Record<string, string> = {
  'error_driver-not-loaded.txt': 'driver_not_loaded',
  'error_libnvidia-ml-not-found.txt': 'library_missing',
  'error_no-devices-found.txt': 'no_devices',
  'error_nvml-version-mismatch.txt': 'version_mismatch',
  'error_nvml-version-mismatch_570.txt': 'version_mismatch',
};

describe('runNvidiaScan through the fake nvidia-smi', () => {
  it('reads a real capture end to end', async () => {
    const r = await scan(fakeNvidiaSmiEnv({ xml: 'gtx1080_460.27.04_2gpu.xml' }));
    expect(r.status.state).toBe('ok');
    expect(r.status.path).toBe(FAKE_NVIDIA_SMI);
    expect(r.status.driverVersion).toBe('460.27.04');
    expect(r.gpus.map((g) => g.name)).toEqual(['GeForce GTX 1080', 'GeForce GTX 1080']);
  });

  it('says absent, naming the path, when RIGLEASE_NVIDIA_SMI points nowhere', async () => {
    const r = await scan({ ...process.env, RIGLEASE_NVIDIA_SMI: '/nonexistent/nvidia-smi' });
    expect(r.status.state).toBe('absent');
    expect(r.status.message).toContain('/nonexistent/nvidia-smi');
    expect(r.gpus).toEqual([]);
  });

  it('says absent when nothing on PATH is called nvidia-smi', async () => {
    const empty = mkdtempSync(path.join(os.tmpdir(), 'rl-nopath-'));
    const env: NodeJS.ProcessEnv = { ...process.env, PATH: empty };
    delete env['RIGLEASE_NVIDIA_SMI'];
    const r = await scan(env);
    expect(r.status.state).toBe('absent');
    expect(r.status.path).toBeNull();
  });

  it('finds nvidia-smi on PATH when nothing names it', async () => {
    const env: NodeJS.ProcessEnv = { ...fakeNvidiaSmiEnv({ xml: 'teslat4_515.105.01_1gpu.xml' }), PATH: `${path.dirname(FAKE_NVIDIA_SMI)}:${process.env['PATH'] ?? ''}` };
    delete env['RIGLEASE_NVIDIA_SMI'];
    const r = await scan(env);
    expect(r.status.state).toBe('ok');
    expect(r.gpus[0]?.name).toBe('Tesla T4');
  });

  it('says permission_denied when the file may not be executed', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'rl-noexec-'));
    const file = path.join(dir, 'nvidia-smi');
    copyFileSync(FAKE_NVIDIA_SMI, file);
    chmodSync(file, 0o644);
    const r = await scan({ ...fakeNvidiaSmiEnv({ xml: 'teslat4_515.105.01_1gpu.xml' }), RIGLEASE_NVIDIA_SMI: file });
    expect(r.status.state).toBe('permission_denied');
  });

  it.each(nvidiaFixtures('error'))('classifies %s and quotes what nvidia-smi said', async (file) => {
    expect(ERROR_STATES[file], `add ${file} to ERROR_STATES`).toBeDefined();
    const r = await scan(fakeNvidiaSmiEnv({ error: file }));
    expect(r.status.state).toBe(ERROR_STATES[file]);
    const said = readFileSync(nvidiaFixture(file), 'utf8').split('\n')[1]!.trim();
    expect(r.status.message).toContain(said.slice(0, 60));
    expect(r.gpus).toEqual([]);
  });

  it('kills a hung nvidia-smi after the timeout and says timeout', async () => {
    const started = performance.now();
    const r = await scan(fakeNvidiaSmiEnv({ hang: true }), 1500);
    const took = performance.now() - started;
    expect(r.status.state).toBe('timeout');
    expect(took).toBeGreaterThanOrEqual(1400);
    expect(took).toBeLessThan(6000);
  });

  it('says garbage for a report cut in half', async () => {
    const r = await scan(fakeNvidiaSmiEnv({ xml: 'rtx4090_535.86.05_1gpu.xml', garbage: 'truncate' }));
    expect(r.status.state).toBe('garbage');
    expect(r.gpus).toEqual([]);
  });
});

describe('classifyNvidiaFailure by exit code when the text says nothing', () => {
  it.each([
    [9, 'driver_not_loaded'],
    [12, 'library_missing'],
    [6, 'no_devices'],
    [18, 'version_mismatch'],
    [4, 'permission_denied'],
    [255, 'failed'],
  ])('exit %d → %s', (code, state) => {
    expect(classifyNvidiaFailure('', code)).toBe(state);
  });
});
