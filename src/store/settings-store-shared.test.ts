import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SettingsStore } from './settings-store.js';

function tempFile() {
  const dir = mkdtempSync(path.join(tmpdir(), 'riglease-settings-shared-'));
  return { dir, file: path.join(dir, 'settings.json') };
}

describe('SettingsStore shared by several processes, and damaged fields', () => {
  it('one bad field falls back to its default alone, is named with what was wrong, and the file is kept aside as it was', async () => {
    const { dir, file } = tempFile();
    const text = JSON.stringify({ version: 1, data: { general: { theme: 'dark' }, hardware: { telemetryIntervalMs: 'fast', scanTimeoutMs: 20000 } } });
    writeFileSync(file, text);
    const reports: string[] = [];
    const store = new SettingsStore(file, (_f, _k, reason) => reports.push(reason));
    const s = await store.all();
    expect(s.general.theme).toBe('dark');
    expect(s.hardware.scanTimeoutMs).toBe(20000);
    expect(s.hardware.telemetryIntervalMs).toBe(1000);
    expect(reports).toHaveLength(1);
    expect(reports[0]).toMatch(/hardware\.telemetryIntervalMs: .*number.*reset to its default/i);
    expect(store.problems()[0]).toMatch(/kept as .*settings\.json\.corrupt-/);
    const kept = readdirSync(dir).filter((f) => f.includes('.corrupt-'));
    expect(kept).toHaveLength(1);
    expect(readFileSync(path.join(dir, kept[0]!), 'utf8')).toBe(text);
    // The repaired file keeps the good fields on disk too.
    expect((await new SettingsStore(file).all()).general.theme).toBe('dark');
  });

  it('a change made by another process (another store on the same file) is seen, and never undone by the next write here', async () => {
    const { file } = tempFile();
    const server = new SettingsStore(file);
    expect((await server.all()).general.theme).not.toBe('dark');
    await new SettingsStore(file).set('general.theme', 'dark'); // the CLI, in its own process
    expect((await server.all()).general.theme).toBe('dark');
    await server.set('hardware.telemetryIntervalMs', 2000);
    const s = await new SettingsStore(file).all();
    expect([s.general.theme, s.hardware.telemetryIntervalMs]).toEqual(['dark', 2000]);
  });

  it('writers in parallel through separate stores lose nothing', async () => {
    const { file } = tempFile();
    const a = new SettingsStore(file);
    const b = new SettingsStore(file);
    await a.all();
    await b.all();
    await Promise.all([a.set('general.theme', 'light'), b.set('hardware.telemetryIntervalMs', 3000), a.set('general.launchAtLogin', true), b.set('hardware.scanTimeoutMs', 25000)]);
    const s = await new SettingsStore(file).all();
    expect([s.general.theme, s.hardware.telemetryIntervalMs, s.general.launchAtLogin, s.hardware.scanTimeoutMs]).toEqual(['light', 3000, true, 25000]);
  });
});
