import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { bundleCli, PACKAGE_ROOT, runBundledCli, type CliRun } from '../../../test/cli-bundle.js';
import { testDockerEngine } from '../../../test/docker/engine.js';
import { fakeNvidiaSmiEnv } from '../../../test/fake-nvidia-smi/index.js';
import { cleanup, freePortRun, stackStandIn } from '../../../test/stack/stack-env.js';
import { FieldTestReport } from '../../app/diagnostics/field-test-model.js';
import { generateMnemonic } from '../../provider/chain/mnemonic.js';

const engine = await testDockerEngine();
const d = engine.ok ? describe : describe.skip;

const BUNDLE_DIR = path.join(PACKAGE_ROOT, 'node_modules', '.cache', `riglease-doctor-cli-test-${process.pid}`);
const MAIN = path.join(BUNDLE_DIR, 'cli.js');
const PASSPHRASE = 'doctor field test passphrase 7';
const PHRASE = generateMnemonic();
const prefix = `rlt-${randomBytes(3).toString('hex')}`;
let home = '';

function riglease(args: string[], stdin?: string): Promise<CliRun> {
  const env = {
    ...fakeNvidiaSmiEnv({ xml: 'rtx4090_535.86.05_1gpu.xml' }),
    PATH: process.env['PATH'] ?? '/usr/bin:/bin',
    RIGLEASE_HOME: home,
    DOCKER_HOST: engine.ok ? engine.host : '',
    RIGLEASE_PASSPHRASE: PASSPHRASE,
    // Nothing here may reach a real chain; the field test does not need one.
    RIGLEASE_CHAIN_RPC: 'http://127.0.0.1:9',
    // A phrase sitting in the environment must not reach the report either.
    RIGLEASE_TEST_MNEMONIC: PHRASE,
  };
  return runBundledCli(MAIN, args, env, { timeoutMs: 120_000, ...(stdin !== undefined ? { stdin } : {}) });
}

beforeAll(async () => {
  home = await mkdtemp(path.join(os.tmpdir(), 'riglease-doctor-cli-'));
  await bundleCli(BUNDLE_DIR);
});
afterAll(async () => {
  if (engine.ok) await cleanup(engine.docker, prefix);
  await rm(BUNDLE_DIR, { recursive: true, force: true });
  await rm(home, { recursive: true, force: true });
});

d('riglease doctor --field on the stand-in k3s (which never answers as k3s)', () => {
  it('fails step 2 with the exact command and output, marks the rest not run, exits 1 and writes a 0600 report without secrets', async () => {
    if (!engine.ok) return;
    const base = await freePortRun(6);
    const settings: [string, string][] = [
      ['stack.namePrefix', prefix],
      ['stack.images.k3s', await stackStandIn(engine.docker)],
      // This engine has no GPU runtime: a GPU in the plan would stop `up` at its pre-flight.
      ['stack.gpus', '[]'],
      ['stack.ports', JSON.stringify({ http: base, https: base + 1, gateway: base + 2, grpc: base + 3, nodePortStart: base + 4, nodePortCount: 2 })],
      ['stack.readyTimeoutSec', '0'],
      ['stack.minFreeDiskGiB', '0'],
      ['stack.domain', 'provider-test.example.org'],
      ['stack.email', 'ops@example.org'],
      ['chain.provider.email', 'ops@example.org'],
    ];
    for (const [k, v] of settings) {
      const r = await riglease(['settings', 'set', k, v]);
      expect(r.code, `${k}: ${r.stderr}`).toBe(0);
    }
    const wallet = await riglease(['wallet', 'import', '--json'], PHRASE);
    expect(wallet.code, wallet.stderr).toBe(0);

    const reportPath = path.join(home, 'out', 'field.json');
    const run = await riglease(['doctor', '--field', '--json', '--wait', '2', '--report', reportPath]);
    expect(run.code, run.stderr).toBe(1);
    const { report, files } = z.object({ report: FieldTestReport, files: z.object({ json: z.string(), text: z.string() }) }).parse(JSON.parse(run.stdout));
    expect(files).toEqual({ json: reportPath, text: path.join(home, 'out', 'field.txt') });

    const [s1, s2, ...later] = report.steps;
    expect(s1, JSON.stringify(s1)).toMatchObject({ n: 1, status: 'passed' });
    expect(s2).toMatchObject({ n: 2, id: 'k3s', status: 'failed' });
    expect(s2!.failure!.command).toBe(`docker exec ${prefix}-k3s kubectl get nodes -o json`);
    // The stand-in has no kubectl: Docker's own answer is the output, word for word.
    expect(s2!.failure!.output.join('\n')).toMatch(/kubectl/);
    expect(s2!.summary).toMatch(/k3s is not answering/);
    expect(later.map((s) => `${s.n}:${s.status}`)).toEqual(['3:not_run', '4:not_run', '5:not_run', '6:not_run', '7:not_run', '8:not_run']);
    expect(later[0]!.summary).toBe('Not run, because step 2 (k3s ready (node Ready)) failed.');
    expect(later[3]!.summary).toBe('Not run, because step 5 (Every chart installed and its pods Ready) was not run.');
    expect(report.passed).toBe(false);
    // It was not running before, so it is stopped again (data kept).
    expect(report.afterwards).toMatch(/stopped again/);
    expect((await engine.docker.getContainer(`${prefix}-k3s`).inspect()).State.Running).toBe(false);
    // Facts for a bug report came from the hardware scan (the captured RTX 4090).
    expect(report.machine.gpus.join(' ')).toMatch(/RTX 4090/);
    expect(report.machine.driver).toMatch(/^535\.86\.05/);

    // Progress went to stderr as it happened: up's log, then each step.
    expect(run.stderr).toMatch(/up: /);
    expect(run.stderr).toMatch(/\[2\] FAILED: /);

    for (const f of [files.json, files.text]) {
      expect((await stat(f)).mode & 0o777).toBe(0o600);
      const text = await readFile(f, 'utf8');
      expect(text).not.toContain(PHRASE);
      expect(text).not.toContain(PHRASE.split(' ').slice(0, 4).join(' '));
      expect(text).not.toContain(PASSPHRASE);
      expect(text).not.toMatch(/PRIVATE KEY/);
    }
    expect(await readFile(files.text, 'utf8')).toContain(`command: docker exec ${prefix}-k3s kubectl get nodes -o json`);
  }, 240_000);

  it('Ctrl-C stops the step that waits, marks the rest not run (cancelled), still writes the report and leaves the rig as found', async () => {
    if (!engine.ok) return;
    const reportPath = path.join(home, 'out', 'cancelled.json');
    const env = { ...fakeNvidiaSmiEnv({ xml: 'rtx4090_535.86.05_1gpu.xml' }), RIGLEASE_HOME: home, DOCKER_HOST: engine.host, RIGLEASE_PASSPHRASE: PASSPHRASE, RIGLEASE_CHAIN_RPC: 'http://127.0.0.1:9' };
    const child = spawn(process.execPath, [MAIN, 'doctor', '--field', '--json', '--wait', '300', '--report', reportPath], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
    const started = Date.now();
    child.stderr.on('data', (b: Buffer) => {
      const before = stderr;
      stderr += b.toString();
      // Step 2 polls k3s for up to 300 s: cancel it as soon as it runs.
      if (!before.includes('[2] k3s ready') && stderr.includes('[2] k3s ready')) setTimeout(() => child.kill('SIGINT'), 500);
    });
    const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
    expect(code, stderr).toBe(1);
    expect(Date.now() - started).toBeLessThan(90_000);
    expect(stderr).toContain('Cancelling…');
    const report = FieldTestReport.parse(z.object({ report: z.unknown() }).parse(JSON.parse(stdout)).report);
    expect(report.cancelled).toBe(true);
    expect(report.steps[1]).toMatchObject({ n: 2, status: 'failed', summary: 'Cancelled (Ctrl-C) while this step ran.', failure: { command: `docker exec ${prefix}-k3s kubectl get nodes -o json` } });
    expect(report.steps.slice(2).every((s) => s.status === 'not_run' && s.summary === 'Not run, because the field test was cancelled.')).toBe(true);
    expect((await stat(reportPath)).mode & 0o777).toBe(0o600);
    expect(report.afterwards).toMatch(/stopped again/);
  }, 120_000);
});
