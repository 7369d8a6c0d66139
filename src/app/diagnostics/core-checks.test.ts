import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SettingsStore } from '../../store/settings-store.js';
import { pathsUnder, type Paths } from '../../store/paths.js';
import { DiagnosticsRegistry } from './check-registry.js';
import { coreDiagnosticSources } from './core-checks.js';

let home: string;
let paths: Paths;
beforeEach(async () => {
  home = await mkdtemp(path.join(os.tmpdir(), 'riglease-core-checks-'));
  paths = pathsUnder(home);
});
afterEach(async () => {
  await rm(home, { recursive: true, force: true });
});

async function run(): Promise<Record<string, { status: string; why: string; fix: string | null }>> {
  const store = new SettingsStore(paths.settingsFile);
  const registry = new DiagnosticsRegistry();
  for (const s of coreDiagnosticSources({ paths, platform: 'linux', scan: () => Promise.reject(new Error('nvidia-smi hung')), loadSettings: () => store.all() })) registry.add(s);
  const report = await registry.run();
  return Object.fromEntries(report.checks.map((c) => [c.id, c]));
}

describe('core diagnostic checks', () => {
  it('on a fresh data folder everything but the (failing) scan is fine', async () => {
    const c = await run();
    expect(c['hardware.scan']).toMatchObject({ status: 'fail', why: 'This check could not run: nvidia-smi hung' });
    for (const id of ['files.settings', 'files.logs', 'files.disk', 'files.state', 'files.secrets-permissions']) expect(c[id]?.status, id).toBe('ok');
  });

  it.each<{ name: string; seed: () => Promise<void>; id: string; status: string; why: RegExp }>([
    {
      name: 'settings written by a newer RigLease fail with a fix',
      seed: () => writeFile(paths.settingsFile, JSON.stringify({ version: 9, data: {} })),
      id: 'files.settings',
      status: 'fail',
      why: /newer RigLease/,
    },
    {
      name: 'a damaged settings file is set aside and reported',
      seed: () => writeFile(paths.settingsFile, 'not json'),
      id: 'files.settings',
      status: 'warn',
      why: /set aside/,
    },
    {
      name: 'a damaged state file fails',
      seed: async () => {
        await mkdir(paths.stateDir, { recursive: true });
        await writeFile(path.join(paths.stateDir, 'wallet.json'), '{"trunc');
      },
      id: 'files.state',
      status: 'fail',
      why: /wallet\.json/,
    },
    {
      name: 'a secrets folder other users can read warns',
      seed: async () => {
        await mkdir(paths.secretsDir, { recursive: true });
        await chmod(paths.secretsDir, 0o755);
      },
      id: 'files.secrets-permissions',
      status: 'warn',
      why: /other users/,
    },
  ])('$name', async ({ seed, id, status, why }) => {
    await seed();
    const c = await run();
    expect(c[id]?.status).toBe(status);
    expect(c[id]?.why).toMatch(why);
    expect(c[id]?.fix).toBeTruthy();
  });
});
