import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SettingsStore } from './settings-store.js';

function tempFile() {
  const dir = mkdtempSync(path.join(tmpdir(), 'riglease-settings-'));
  return { dir, file: path.join(dir, 'settings.json') };
}

describe('SettingsStore', () => {
  it('gives defaults on a fresh machine and persists a change across restarts', async () => {
    const { file } = tempFile();
    const store = new SettingsStore(file);
    expect((await store.all()).hardware.telemetryIntervalMs).toBe(1000);
    await store.set('hardware.telemetryIntervalMs', 2000);
    const reopened = new SettingsStore(file);
    expect(await reopened.get('hardware.telemetryIntervalMs')).toBe(2000);
    expect(JSON.parse(readFileSync(file, 'utf8')).version).toBe(2);
  });

  it('migrates a settings file that chose ingress-nginx to the Gateway API path, keeping the rest', async () => {
    const { file } = tempFile();
    const v1 = { version: 1, data: { stack: { ingress: 'ingress-nginx', clusterStorage: ['default', 'ram'], domain: 'rig.example.com', images: { k3s: 'mirror.local/k3s:1', ingressController: '' } } } };
    writeFileSync(file, JSON.stringify(v1));
    const stack = (await new SettingsStore(file).all()).stack;
    expect(stack.ingress).toBe('gateway-api');
    expect(stack.domain).toBe('rig.example.com');
    expect(stack.images.k3s).toBe('mirror.local/k3s:1');
    expect(stack).not.toHaveProperty('clusterStorage');
    expect(stack.images).not.toHaveProperty('ingressController');
    // Written back in the new format, not set aside as corrupt.
    const stored = JSON.parse(readFileSync(file, 'utf8')) as { version: number; data: { stack: { ingress: string } } };
    expect(stored.version).toBe(2);
    expect(stored.data.stack.ingress).toBe('gateway-api');
    expect(readdirSync(path.dirname(file)).filter((f) => f.includes('corrupt'))).toEqual([]);
  });

  it('refuses a bad value with the field named, and writes nothing', async () => {
    const { file } = tempFile();
    const store = new SettingsStore(file);
    await store.set('general.theme', 'dark');
    const before = readFileSync(file, 'utf8');
    await expect(store.set('hardware.telemetryIntervalMs', 5)).rejects.toThrow(/hardware\.telemetryIntervalMs/);
    await expect(store.set('general.theme', 'purple')).rejects.toThrow(/general\.theme/);
    expect(readFileSync(file, 'utf8')).toBe(before);
    expect((await store.all()).general.theme).toBe('dark');
  });

  it('refuses an unknown key instead of silently adding it', async () => {
    const store = new SettingsStore(tempFile().file);
    await expect(store.set('hardware.nvidiaSmiPth', '/x')).rejects.toThrow(/no setting called hardware\.nvidiaSmiPth/);
    await expect(store.get('nope')).rejects.toThrow(/no setting/);
  });

  it('keeps a corrupt file aside, reports it, and starts from defaults', async () => {
    const { dir, file } = tempFile();
    writeFileSync(file, '{"version":1,"data":{"hardware":{"telemetryIntervalMs":"fast"}}}');
    const reports: string[] = [];
    const store = new SettingsStore(file, (_f, keptAs) => reports.push(keptAs));
    expect((await store.all()).hardware.telemetryIntervalMs).toBe(1000);
    expect(reports).toHaveLength(1);
    const kept = readdirSync(dir).filter((f) => f.includes('.corrupt-'));
    expect(kept).toHaveLength(1);
    expect(readFileSync(path.join(dir, kept[0]!), 'utf8')).toContain('"fast"');
  });

  it('refuses a file written by a newer RigLease rather than losing its fields', async () => {
    const { file } = tempFile();
    writeFileSync(file, '{"version":99,"data":{}}');
    await expect(new SettingsStore(file).all()).rejects.toThrow(/newer RigLease/);
    expect(readFileSync(file, 'utf8')).toContain('99');
  });

  it('several changes land together in one write, in order, or none does', async () => {
    const { file } = tempFile();
    const heard: string[] = [];
    const store = new SettingsStore(file, undefined, (next) => heard.push(next.stack.domain));
    await store.set('general.theme', 'dark');
    const before = readFileSync(file, 'utf8');
    // The last change is refused: the first two are not written either.
    await expect(
      store.setMany([
        { key: 'stack.domain', value: 'rig.example.com' },
        { key: 'general.theme', value: 'light' },
        { key: 'hardware.telemetryIntervalMs', value: 5 },
      ]),
    ).rejects.toThrow(/hardware\.telemetryIntervalMs/);
    expect(readFileSync(file, 'utf8')).toBe(before);
    expect((await new SettingsStore(file).all()).stack.domain).not.toBe('rig.example.com');
    // A change below a section that an earlier change replaced is refused by name, not crashed on.
    await expect(store.setMany([{ key: 'general', value: 7 }, { key: 'general.theme', value: 'light' }])).rejects.toThrow(/no setting called general\.theme/);

    const heardBefore = heard.length;
    const next = await store.setMany([
      { key: 'stack.domain', value: 'rig.example.com' },
      { key: 'general.theme', value: 'system' },
      { key: 'general.theme', value: 'light' },
    ]);
    expect([next.stack.domain, next.general.theme]).toEqual(['rig.example.com', 'light']);
    expect(heard.length - heardBefore).toBe(1);
    const reopened = await new SettingsStore(file).all();
    expect([reopened.stack.domain, reopened.general.theme]).toEqual(['rig.example.com', 'light']);
  });

  it('serializes concurrent writes so none is lost', async () => {
    const { file } = tempFile();
    const store = new SettingsStore(file);
    await Promise.all([store.set('general.theme', 'light'), store.set('hardware.telemetryIntervalMs', 3000), store.set('general.launchAtLogin', true)]);
    const s = await new SettingsStore(file).all();
    expect([s.general.theme, s.hardware.telemetryIntervalMs, s.general.launchAtLogin]).toEqual(['light', 3000, true]);
  });
  it('concurrent first reads of a damaged file all get defaults and set it aside once', async () => {
    const { dir, file } = tempFile();
    writeFileSync(file, '{"version": 1, "data": {"general": 42}}');
    const store = new SettingsStore(file);
    const all = await Promise.all([store.all(), store.all(), store.all()]);
    for (const s of all) expect(s.hardware.telemetryIntervalMs).toBe(1000);
    expect(readdirSync(dir).filter((n) => n.startsWith('settings.json.corrupt-'))).toHaveLength(1);
  });
});
