import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleCli, runBundledCli } from '../../test/cli-bundle.js';
import { fakeNvidiaSmiEnv } from '../../test/fake-nvidia-smi/index.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const BUNDLE_DIR = path.join(ROOT, 'node_modules', '.cache', `riglease-settings-serve-${process.pid}`);
const MAIN = path.join(BUNDLE_DIR, 'cli.js');

beforeAll(async () => {
  await bundleCli(BUNDLE_DIR);
}, 120_000);
afterAll(async () => {
  await rm(BUNDLE_DIR, { recursive: true, force: true });
});

const env = (home: string): NodeJS.ProcessEnv => ({ ...fakeNvidiaSmiEnv({ xml: 'rtx4090_535.86.05_1gpu.xml' }), RIGLEASE_HOME: home });

async function startServe(home: string): Promise<{ child: ChildProcessWithoutNullStreams; url: URL; token: string }> {
  const child = spawn(process.execPath, [MAIN, 'serve', '--port', '0'], { env: env(home), stdio: 'pipe' });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const line = await new Promise<string>((resolve, reject) => {
    let buf = '';
    child.stdout.on('data', (d: Buffer) => {
      buf += d.toString();
      const nl = buf.indexOf('\n');
      if (nl >= 0) resolve(buf.slice(0, nl));
    });
    child.once('exit', () => reject(new Error(`serve exited early: ${stderr}`)));
  });
  const url = new URL(line);
  return { child, url, token: url.searchParams.get('token')! };
}

async function rpc(s: { url: URL; token: string }, method: string, input: unknown): Promise<{ ok: boolean; value?: unknown }> {
  const res = await fetch(new URL('/api/rpc', s.url), { method: 'POST', headers: { authorization: `Bearer ${s.token}`, 'content-type': 'application/json' }, body: JSON.stringify({ method, input }) });
  return (await res.json()) as { ok: boolean; value?: unknown };
}

describe('settings with a running serve and a CLI', () => {
  it('a CLI `settings set` while serve runs is kept when the server writes next, and the server sees it', async () => {
    const home = await mkdtemp(path.join(os.tmpdir(), 'riglease-settings-serve-'));
    const serve = await startServe(home);
    try {
      // The server reads (and caches) its settings first.
      expect(await rpc(serve, 'settings.set', { key: 'hardware.scanTimeoutMs', value: 9000 })).toMatchObject({ ok: true });
      const cli = await runBundledCli(MAIN, ['settings', 'set', 'general.theme', 'dark'], env(home), { timeoutMs: 30_000 });
      expect(cli.code).toBe(0);
      expect(await rpc(serve, 'settings.get', { key: 'general.theme' })).toMatchObject({ ok: true, value: { value: 'dark' } });
      expect(await rpc(serve, 'settings.set', { key: 'hardware.telemetryIntervalMs', value: 2000 })).toMatchObject({ ok: true });
      const file = JSON.parse(await readFile(path.join(home, 'settings.json'), 'utf8')) as { data: { general: { theme: string }; hardware: { telemetryIntervalMs: number; scanTimeoutMs: number } } };
      expect([file.data.general.theme, file.data.hardware.telemetryIntervalMs, file.data.hardware.scanTimeoutMs]).toEqual(['dark', 2000, 9000]);
    } finally {
      serve.child.kill('SIGTERM');
    }
  }, 60_000);

  it('one damaged field: the CLI names it on stderr, keeps every other setting, and keeps the file aside', async () => {
    const home = await mkdtemp(path.join(os.tmpdir(), 'riglease-settings-field-'));
    const text = JSON.stringify({ version: 1, data: { general: { theme: 'dark' }, hardware: { telemetryIntervalMs: -5 } } });
    await writeFile(path.join(home, 'settings.json'), text);
    const run = await runBundledCli(MAIN, ['settings', 'get', 'general.theme'], env(home), { timeoutMs: 30_000 });
    expect(run.stdout.trim()).toBe('dark');
    expect(run.stderr).toMatch(/warning: settings\.json: hardware\.telemetryIntervalMs: .*reset to its default/);
    const kept = (await readdir(home)).filter((f) => f.startsWith('settings.json.corrupt-'));
    expect(kept).toHaveLength(1);
    expect(await readFile(path.join(home, kept[0]!), 'utf8')).toBe(text);
  }, 60_000);
});
