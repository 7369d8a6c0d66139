import { execFileSync, spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile, mkdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleCli, type CliRun } from '../../../test/cli-bundle.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DiagnosticsExportResult, DiagnosticsReport } from '../../api/schemas/diagnostics.js';
import { fakeNvidiaSmiEnv } from '../../../test/fake-nvidia-smi/index.js';
import { TEST_DOCKER_HOST } from '../../../test/docker/engine.js';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
// Bundled once like dist/cli.js, so each spawn does not re-compile the sources under tsx.
const BUNDLE_DIR = path.join(ROOT, 'node_modules', '.cache', `riglease-diag-cli-test-${process.pid}`);
const MAIN = path.join(BUNDLE_DIR, 'cli.js');
let home: string;

function riglease(args: string[], cwd: string): Promise<CliRun> {
  const env = { ...fakeNvidiaSmiEnv({ xml: 'rtx4090_535.86.05_1gpu.xml' }), RIGLEASE_HOME: home, DOCKER_HOST: TEST_DOCKER_HOST };
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [MAIN, ...args], { env, cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

beforeAll(async () => {
  home = await mkdtemp(path.join(os.tmpdir(), 'riglease-diag-cli-'));
  await bundleCli(path.dirname(MAIN));
});
afterAll(async () => {
  await rm(BUNDLE_DIR, { recursive: true, force: true });
  await rm(home, { recursive: true, force: true });
});

describe('riglease diagnostics', () => {
  it('--json prints one report; a damaged settings file is set aside and reported with a fix', async () => {
    await writeFile(path.join(home, 'settings.json'), '{"version": 1, "data": {"general": 42}}');
    const run = await riglease(['diagnostics', '--json'], home);
    expect(run.code, run.stderr).toBe(0);
    const report = DiagnosticsReport.parse(JSON.parse(run.stdout));
    const settings = report.checks.find((c) => c.id === 'files.settings');
    expect(settings?.status, settings?.why).toBe('warn');
    expect(settings?.why).toMatch(/damaged settings file was set aside \(settings\.json\.corrupt-/);
    expect(settings?.fix).toMatch(/delete .*settings\.json\.corrupt-/);
    expect(report.overall).not.toBe('ok');
    // The readiness checks of the capture's RTX 4090 are part of the list.
    expect(report.checks.some((c) => c.id === 'hardware.docker.engine' && c.area === 'docker')).toBe(true);
  }, 60_000);

  it('--export writes the zip at a path relative to the current folder and prints it', async () => {
    const cwd = path.join(home, 'work');
    await mkdir(cwd, { recursive: true });
    const run = await riglease(['diagnostics', '--export', 'bundle.zip', '--json'], cwd);
    expect(run.code, run.stderr).toBe(0);
    const result = DiagnosticsExportResult.parse(JSON.parse(run.stdout));
    expect(result.path).toBe(path.join(cwd, 'bundle.zip'));
    expect(execFileSync('python3', ['-m', 'zipfile', '-l', result.path], { encoding: 'utf8' })).toContain('hardware-report.json');
    // A second export to the same name is refused, not overwritten.
    const again = await riglease(['diagnostics', '--export', 'bundle.zip'], cwd);
    expect(again.code).not.toBe(0);
    expect(again.stderr).toMatch(/already exists/);
    expect(again.stderr).toMatch(/fix:/);
  }, 60_000);
});
