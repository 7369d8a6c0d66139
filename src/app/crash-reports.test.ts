import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateProviderCertificate } from '../provider/chain/provider-cert.js';
import { generateMnemonic } from '../provider/chain/mnemonic.js';
import { pathsUnder } from '../store/paths.js';
import { silentLogger } from '../util/logger.js';
import { bundleCrashFixture, runCrashFixture } from '../../test/crash-fixture/index.js';
import { PACKAGE_ROOT } from '../../test/cli-bundle.js';
import { CRASH_EXIT_CODE, CrashReport, MAX_CRASH_REPORTS, crashReportsDir, listCrashReports } from './crash-reports.js';
import { crashDiagnosticSource } from './diagnostics/crash-check.js';
import { DiagnosticsService } from './diagnostics/diagnostics-service.js';

const BUNDLE_DIR = path.join(PACKAGE_ROOT, 'node_modules', '.cache', `riglease-crash-test-${process.pid}`);
let script: string;
const homes: string[] = [];

async function newHome(): Promise<string> {
  const h = await mkdtemp(path.join(os.tmpdir(), 'riglease-crash-'));
  homes.push(h);
  return h;
}

async function reports(home: string): Promise<{ file: string; text: string; report: CrashReport }[]> {
  const dir = crashReportsDir(home);
  const names = (await readdir(dir).catch(() => [] as string[])).filter((n) => n.endsWith('.json')).sort();
  return Promise.all(
    names.map(async (n) => {
      const text = await readFile(path.join(dir, n), 'utf8');
      return { file: path.join(dir, n), text, report: CrashReport.parse(JSON.parse(text)) };
    }),
  );
}

beforeAll(async () => {
  script = await bundleCrashFixture(BUNDLE_DIR);
});

afterAll(async () => {
  await rm(BUNDLE_DIR, { recursive: true, force: true });
  for (const h of homes) await rm(h, { recursive: true, force: true });
});

describe('crash reports', () => {
  it('an uncaught exception writes a report (0600) and the process still exits non-zero', async () => {
    const home = await newHome();
    const r = await runCrashFixture(script, 'throw', { ...process.env, RIGLEASE_HOME: home, CRASH_MESSAGE: 'lease 42 could not be read: unexpected end of input' });
    expect(r.code).toBe(CRASH_EXIT_CODE);
    const [one, ...more] = await reports(home);
    expect(more).toHaveLength(0);
    expect(one!.report).toMatchObject({ kind: 'riglease.crash-report', version: '0.0.0-crash-test', host: 'headless', origin: 'uncaughtException', pid: expect.any(Number) as number });
    expect(one!.report.error).toMatchObject({ name: 'WalletCrash', message: 'lease 42 could not be read: unexpected end of input' });
    expect(one!.report.error.stack).toContain('crash.js');
    expect(one!.report.logTail.some((l) => l.includes('about to crash'))).toBe(true);
    expect((await stat(one!.file)).mode & 0o777).toBe(0o600);
    expect(r.stderr).toContain('RigLease stopped unexpectedly (WalletCrash: lease 42 could not be read');
    expect(r.stderr).toContain(one!.file);
  }, 30_000);

  it('an unhandled rejection too', async () => {
    const home = await newHome();
    const r = await runCrashFixture(script, 'reject', { ...process.env, RIGLEASE_HOME: home, CRASH_MESSAGE: 'market snapshot rejected' });
    expect(r.code).toBe(CRASH_EXIT_CODE);
    const [one] = await reports(home);
    expect(one!.report).toMatchObject({ origin: 'unhandledRejection', error: { name: 'WalletCrash', message: 'market snapshot rejected' } });
  }, 30_000);

  it('phrase, hex key, PEM key and the passphrase in the message and stack are redacted; the rest of the message stays', async () => {
    const home = await newHome();
    const mnemonic = generateMnemonic();
    const hexKey = 'a3'.repeat(32);
    const pem = generateProviderCertificate('akash1qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqq', ['provider.x.example.com']).privateKey;
    const passphrase = 'correct pony 4 staple';
    const r = await runCrashFixture(script, 'throw', {
      ...process.env,
      RIGLEASE_HOME: home,
      RIGLEASE_PASSPHRASE: passphrase,
      CRASH_MESSAGE: `signing failed for provider akash1xyz with ${mnemonic} / key ${hexKey} / pass ${passphrase}\n${pem}`,
      CRASH_STACK_EXTRA: `${mnemonic} ${hexKey} ${passphrase}`,
    });
    expect(r.code).toBe(CRASH_EXIT_CODE);
    const [one] = await reports(home);
    expect(one!.report.error.message).toContain('signing failed for provider akash1xyz ');
    const keyLine = pem.split('\n')[1]!;
    for (const needle of [mnemonic, mnemonic.split(' ').slice(0, 4).join(' '), hexKey, passphrase, keyLine]) {
      expect(one!.text.includes(needle), `report holds ${needle.slice(0, 12)}…`).toBe(false);
      expect(r.stderr.includes(needle), `stderr holds ${needle.slice(0, 12)}…`).toBe(false);
    }
  }, 30_000);

  it(`keeps the newest ${MAX_CRASH_REPORTS}; the Diagnostics check warns with the latest reason, the bundle carries the reports`, async () => {
    const home = await newHome();
    const dir = crashReportsDir(home);
    await mkdir(dir, { recursive: true });
    const old = (i: number) => ({ kind: 'riglease.crash-report', time: new Date(Date.UTC(2025, 0, 1 + i)).toISOString(), version: '0.0.1', host: 'cli', platform: 'linux', arch: 'x64', node: '20', pid: 1, origin: 'uncaughtException', error: { name: 'Error', message: `old crash ${i}`, stack: null, code: null }, logTail: [] });
    for (let i = 0; i < 25; i++) await writeFile(path.join(dir, `crash-2025-01-${String(i + 1).padStart(2, '0')}T00-00-00-000Z-1.json`), JSON.stringify(old(i)));
    const check = crashDiagnosticSource(home);
    const before = (await check.run(new AbortController().signal))[0]!;
    expect(before).toMatchObject({ id: 'app.crashes', status: 'ok', why: 'No crash in the last 7 days (25 older crash reports kept).' });

    const r = await runCrashFixture(script, 'throw', { ...process.env, RIGLEASE_HOME: home, CRASH_MESSAGE: 'ENOSPC: no space left on device, write\nsecond line' });
    expect(r.code).toBe(CRASH_EXIT_CODE);
    const all = await reports(home);
    expect(all).toHaveLength(MAX_CRASH_REPORTS);
    expect(all.some((x) => x.report.error.message.startsWith('ENOSPC'))).toBe(true);
    expect(all.some((x) => x.report.error.message === 'old crash 0')).toBe(false);
    expect((await listCrashReports(home))[0]!.reason).toBe('WalletCrash: ENOSPC: no space left on device, write');

    const after = (await check.run(new AbortController().signal))[0]!;
    expect(after.status).toBe('warn');
    expect(after.why).toMatch(/^RigLease stopped unexpectedly once in the last 7 days; the latest, \d{4}-\d\d-\d\d \d\d:\d\d UTC: WalletCrash: ENOSPC: no space left on device, write$/);

    const service = new DiagnosticsService({ paths: pathsUnder(home), platform: 'linux', env: {}, version: 't', host: 'cli', logger: silentLogger, scan: () => Promise.reject(new Error('no scan')), lastReport: () => null, loadSettings: async () => ({}) });
    const bundle = await service.export(path.join(home, 'bundle.zip'));
    expect(bundle.files.filter((f) => f.startsWith(`${path.basename(dir)}/crash-`))).toHaveLength(MAX_CRASH_REPORTS);
  }, 60_000);
});

