import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { dispatch } from '../../api/dispatch.js';
import type { Handlers } from '../../api/dispatch.js';
import { SettingsStore } from '../../store/settings-store.js';
import { settingsHandlers } from './settings-handlers.js';

const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

async function withFile(text: string | null): Promise<{ handlers: Handlers; dir: string }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'riglease-settings-handlers-'));
  dirs.push(dir);
  const file = path.join(dir, 'settings.json');
  if (text !== null) await writeFile(file, text);
  // Only the settings methods are bound: dispatch answers unknown_method for the rest.
  return { handlers: settingsHandlers(new SettingsStore(file)) as unknown as Handlers, dir };
}

describe('settings.problems', () => {
  it('names the damaged field once the file was read, and the rest of the file still counts', async () => {
    const { handlers, dir } = await withFile(JSON.stringify({ version: 1, data: { general: { theme: 'dark' }, hardware: { telemetryIntervalMs: -5 } } }));
    expect(await dispatch(handlers, 'settings.get', { key: 'general.theme' }, { via: 'cli' })).toMatchObject({ ok: true, value: { value: 'dark' } });
    const answer = await dispatch(handlers, 'settings.problems', {}, { via: 'cli' });
    expect(answer).toMatchObject({ ok: true });
    const problems = (answer as { value: { problems: string[] } }).value.problems;
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/hardware\.telemetryIntervalMs: .*reset to its default/);
    expect(problems[0]).toContain((await readdir(dir)).find((f) => f.startsWith('settings.json.corrupt-')));
  });

  it('is empty for a sound file and for none at all', async () => {
    for (const text of [JSON.stringify({ version: 1, data: { general: { theme: 'dark' } } }), null]) {
      const { handlers } = await withFile(text);
      await dispatch(handlers, 'settings.all', {}, { via: 'cli' });
      expect(await dispatch(handlers, 'settings.problems', {}, { via: 'cli' })).toEqual({ ok: true, value: { problems: [] } });
    }
  });
});

describe('settings.setMany', () => {
  it('answers each value as stored, and a hole in the egress fence still needs the person’s yes: without it nothing is written', async () => {
    const { handlers } = await withFile(null);
    const changes = [
      { key: 'stack.domain', value: 'rig.example.com' },
      { key: 'stack.allowPrivateEgress', value: ['192.0.2.0/24'] },
    ];
    const refused = await dispatch(handlers, 'settings.setMany', { changes }, { via: 'cli' });
    expect(refused.ok).toBe(false);
    expect(await dispatch(handlers, 'settings.get', { key: 'stack.domain' }, { via: 'cli' })).toMatchObject({ ok: true, value: { value: '' } });

    const done = await dispatch(handlers, 'settings.setMany', { changes, confirm: true }, { via: 'cli' });
    expect(done).toEqual({ ok: true, value: { changes } });
    expect(await dispatch(handlers, 'settings.get', { key: 'stack.allowPrivateEgress' }, { via: 'cli' })).toMatchObject({ ok: true, value: { value: ['192.0.2.0/24'] } });
  });

  it('refuses an empty list and an unknown key before touching anything', async () => {
    const { handlers } = await withFile(null);
    expect(await dispatch(handlers, 'settings.setMany', { changes: [] }, { via: 'cli' })).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    const unknown = await dispatch(handlers, 'settings.setMany', { changes: [{ key: 'general.theme', value: 'dark' }, { key: 'general.colour', value: 1 }] }, { via: 'cli' });
    expect(unknown.ok).toBe(false);
    expect(await dispatch(handlers, 'settings.get', { key: 'general.theme' }, { via: 'cli' })).toMatchObject({ ok: true, value: { value: 'system' } });
  });
});
