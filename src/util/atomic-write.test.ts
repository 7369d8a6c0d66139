import { mkdtemp, readdir, readFile, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeFileAtomic } from './atomic-write.js';

describe('writeFileAtomic', () => {
  it('creates missing folders, writes with the given mode and leaves no temp file', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'riglease-atomic-'));
    const file = path.join(dir, 'a', 'b', 'state.json');
    await writeFileAtomic(file, 'one', { mode: 0o640 });
    expect(await readFile(file, 'utf8')).toBe('one');
    expect((await stat(file)).mode & 0o777).toBe(0o640);
    expect(await readdir(path.dirname(file))).toEqual(['state.json']);
  });

  it('many writers at once: the file holds exactly one of them, whole', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'riglease-atomic-'));
    const file = path.join(dir, 'state.json');
    const bodies = Array.from({ length: 20 }, (_, i) => `${i}:`.padEnd(64 * 1024, String(i % 10)));
    await Promise.all(bodies.map((b) => writeFileAtomic(file, b)));
    expect(bodies).toContain(await readFile(file, 'utf8'));
    expect(await readdir(dir)).toEqual(['state.json']);
  });
});
