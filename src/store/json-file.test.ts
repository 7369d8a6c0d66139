import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { VersionedJsonFile } from './json-file.js';

const Schema = z.object({ name: z.string(), count: z.number().int() });
const fallback = () => ({ name: 'default', count: 0 });

async function scratch(): Promise<string> {
  return mkdtemp(path.join(os.tmpdir(), 'riglease-json-file-'));
}

describe('VersionedJsonFile', () => {
  it('keeps a damaged file aside once, even when several readers find it at the same time', async () => {
    const dir = await scratch();
    const file = path.join(dir, 'state.json');
    await writeFile(file, '{"version": 1, "data": {"name": ');
    const reports: string[] = [];
    const store = () => new VersionedJsonFile({ file, schema: Schema, version: 1, onCorrupt: (_f, keptAs) => reports.push(keptAs) });
    const results = await Promise.all([store().read(fallback), store().read(fallback), store().read(fallback)]);
    expect(results).toEqual([fallback(), fallback(), fallback()]);
    const kept = (await readdir(dir)).filter((f) => f.includes('.corrupt-'));
    expect(kept).toHaveLength(1);
    expect(reports).toEqual([path.join(dir, kept[0]!)]);
    // The damaged bytes are kept for the user, not lost.
    expect(await readFile(path.join(dir, kept[0]!), 'utf8')).toBe('{"version": 1, "data": {"name": ');
  });

  it('migrates an older format and writes it back in the new one', async () => {
    const dir = await scratch();
    const file = path.join(dir, 'state.json');
    await writeFile(file, JSON.stringify({ version: 1, data: { label: 'rig', n: 3 } }));
    const f = new VersionedJsonFile({ file, schema: Schema, version: 2, migrations: [(d) => ({ name: (d as { label: string }).label, count: (d as { n: number }).n })] });
    expect(await f.read(fallback)).toEqual({ name: 'rig', count: 3 });
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual({ version: 2, data: { name: 'rig', count: 3 } });
  });

  it('refuses a file from a newer RigLease instead of dropping its fields', async () => {
    const dir = await scratch();
    const file = path.join(dir, 'state.json');
    await writeFile(file, JSON.stringify({ version: 9, data: { name: 'x', count: 1, extra: true } }));
    await expect(new VersionedJsonFile({ file, schema: Schema, version: 1 }).read(fallback)).rejects.toThrow(/newer RigLease/);
    expect((await readdir(dir)).filter((f) => f.includes('.corrupt-'))).toEqual([]);
  });
});
