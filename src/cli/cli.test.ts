import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleCli, runBundledCli, type CliRun } from '../../test/cli-bundle.js';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { HardwareReport } from '../api/schemas/hardware.js';
import { fakeNvidiaSmiEnv, nvidiaFixture } from '../../test/fake-nvidia-smi/index.js';
import { TEST_DOCKER_HOST } from '../../test/docker/engine.js';

const CAPTURE = 'rtx4090_535.86.05_1gpu.xml';
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
/**
 * The CLI bundled the way `npm run build` does, into a scratch folder inside the package (so it
 * finds package.json and node_modules like dist/cli.js does). Under tsx every spawn would
 * re-compile the sources, several seconds each on a busy 2-core machine.
 */
const BUNDLE_DIR = path.join(ROOT, 'node_modules', '.cache', `riglease-cli-test-${process.pid}`);
const MAIN = path.join(BUNDLE_DIR, 'cli.js');

beforeAll(async () => {
  await bundleCli(path.dirname(MAIN));
});
afterAll(async () => {
  await rm(BUNDLE_DIR, { recursive: true, force: true });
});

let home: string;
beforeEach(async () => {
  home = await mkdtemp(path.join(os.tmpdir(), 'riglease-cli-'));
});
afterEach(async () => {
  await rm(home, { recursive: true, force: true });
});

function env(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return { ...fakeNvidiaSmiEnv({ xml: CAPTURE }), RIGLEASE_HOME: home, DOCKER_HOST: TEST_DOCKER_HOST, ...extra };
}

/** The real CLI in a child process, as a user or script runs it. */
function riglease(args: string[], extra: NodeJS.ProcessEnv = {}): Promise<CliRun> {
  return runBundledCli(MAIN, args, env(extra));
}

/** What the capture itself says, read from the file rather than written into the test. */
async function captureFacts(): Promise<{ name: string; vramMiB: number }> {
  const xml = await readFile(nvidiaFixture(CAPTURE), 'utf8');
  const name = /<product_name>([^<]+)<\/product_name>/.exec(xml)![1]!.trim();
  const total = /<fb_memory_usage>\s*<total>(\d+) MiB<\/total>/.exec(xml)![1]!;
  return { name, vramMiB: Number(total) };
}

describe('riglease hardware', () => {
  it('--json prints exactly one HardwareReport with the GPU from nvidia-smi', async () => {
    const run = await riglease(['hardware', '--json']);
    expect(run.code, run.stderr).toBe(0);
    const report = HardwareReport.parse(JSON.parse(run.stdout));
    const facts = await captureFacts();
    expect(report.gpus).toHaveLength(1);
    expect(report.gpus[0]!.name).toBe(facts.name);
    expect(report.gpus[0]!.vramMiB).toBe(facts.vramMiB);
    expect(report.checks.length).toBeGreaterThan(0);
  });

  it('prints a readable table with the GPU and every check, exit 0 even when checks block', async () => {
    const run = await riglease(['hardware']);
    expect(run.code, run.stderr).toBe(0);
    const facts = await captureFacts();
    expect(run.stdout).toContain(facts.name);
    expect(run.stdout).toMatch(/Checks:\n/);
    expect(run.stdout).toMatch(/^(Ready|Needs attention|Blocked):/);
  });
});

describe('riglease settings', () => {
  it('set then get round-trips through the settings file', async () => {
    const set = await riglease(['settings', 'set', 'hardware.telemetryIntervalMs', '2000']);
    expect(set.code, set.stderr).toBe(0);
    const get = await riglease(['settings', 'get', 'hardware.telemetryIntervalMs', '--json']);
    expect(JSON.parse(get.stdout)).toEqual({ key: 'hardware.telemetryIntervalMs', value: 2000 });
    const text = await riglease(['settings', 'set', 'general.network', 'sandbox']);
    expect(text.code).toBe(0);
    const all = await riglease(['settings', 'get']);
    expect(all.stdout).toContain('hardware.telemetryIntervalMs = 2000');
    expect(all.stdout).toContain('general.network = "sandbox"');
  }, 60_000);

  it('refuses a bad value or key with the reason, exit 2, and writes nothing', async () => {
    const bad = await riglease(['settings', 'set', 'hardware.telemetryIntervalMs', '"fast"']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^error: .*telemetryIntervalMs/m);
    expect(bad.stderr).toMatch(/^fix: /m);
    await expect(stat(path.join(home, 'settings.json'))).rejects.toMatchObject({ code: 'ENOENT' });
    const key = await riglease(['settings', 'set', 'hardware.noSuchThing', '1']);
    expect(key.code).toBe(2);
    expect(key.stderr).toContain('error: There is no setting called hardware.noSuchThing');
  });
});

describe('riglease usage', () => {
  it('lists commands and contract methods in --help, and refuses an unknown command with exit 2', async () => {
    const help = await riglease(['--help']);
    expect(help.stdout).toMatch(/serve\s+Serve/);
    const call = await riglease(['call', '--help']);
    expect(call.stdout).toMatch(/hardware\.scan\s+Scan GPUs/);
    const bad = await riglease(['launch-rockets']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('error: Unknown command "launch-rockets"');
  });

  it('call runs a contract method and prints its JSON', async () => {
    const run = await riglease(['call', 'app.info']);
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ name: 'RigLease', host: 'cli', home });
    const bad = await riglease(['call', 'settings.get', '{"key": 5}']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^error: settings\.get: key/m);
  });
});

describe('riglease serve', () => {
  it('takes a given token that begins with "-" when written --token=T (random tokens do, 1 in 64)', async () => {
    const given = '-Kx3_' + 'a'.repeat(38);
    const child = spawn(process.execPath, [MAIN, 'serve', '--port', '0', `--token=${given}`], { env: env(), stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const firstLine = await new Promise<string>((resolve, reject) => {
      let buf = '';
      child.stdout.on('data', (d: Buffer) => {
        buf += d.toString();
        const nl = buf.indexOf('\n');
        if (nl >= 0) resolve(buf.slice(0, nl));
      });
      child.once('exit', () => reject(new Error(`serve exited early: ${stderr}`)));
    });
    child.kill('SIGTERM');
    expect(new URL(firstLine).searchParams.get('token')).toBe(given);
  });

  it('prints the URL with the token on line 1, answers with it, and stops on SIGTERM', async () => {
    const child = spawn(process.execPath, [MAIN, 'serve', '--port', '0'], { env: env(), stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const firstLine = await new Promise<string>((resolve, reject) => {
      let buf = '';
      child.stdout.on('data', (d: Buffer) => {
        buf += d.toString();
        const nl = buf.indexOf('\n');
        if (nl >= 0) resolve(buf.slice(0, nl));
      });
      child.once('exit', () => reject(new Error(`serve exited early: ${stderr}`)));
    });
    const url = new URL(firstLine);
    expect(url.hostname).toBe('127.0.0.1');
    expect(Number(url.port)).toBeGreaterThan(0);
    const token = url.searchParams.get('token')!;
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const ok = await fetch(new URL('/api/health', url), { headers: { authorization: `Bearer ${token}` } });
    expect(ok.status).toBe(200);
    const info = await fetch(new URL('/api/rpc', url), {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ method: 'app.info', input: {} }),
    });
    expect(await info.json()).toMatchObject({ ok: true, value: { host: 'headless', home } });
    expect((await fetch(new URL('/api/health', url))).status).toBe(401);
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });
});
