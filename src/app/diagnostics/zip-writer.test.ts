import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { buildZip, crc32, type ZipEntry } from './zip-writer.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'riglease-zip-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('zip writer', () => {
  it('computes the same CRC-32 as zlib', () => {
    for (const data of [Buffer.alloc(0), Buffer.from('123456789'), randomBytes(10_000)]) {
      expect(crc32(data)).toBe(zlib.crc32(data));
    }
    // The check value every CRC-32 implementation publishes.
    expect(crc32(Buffer.from('123456789')).toString(16)).toBe('cbf43926');
  });

  it('writes an archive that python3 zipfile tests, lists and extracts byte for byte', () => {
    const entries: ZipEntry[] = [
      { name: 'logs/agent.log', data: Buffer.from('{"level":"info","msg":"hello"}\n'.repeat(500)) },
      { name: 'empty.txt', data: Buffer.alloc(0) },
      { name: 'random.bin', data: randomBytes(4096) },
      { name: 'state/ünïcode name.json', data: Buffer.from('{"a":1}') },
    ];
    const zip = buildZip(entries);
    const file = path.join(dir, 'a.zip');
    writeFileSync(file, zip);
    // -t reads every member and checks its CRC; it prints "Done testing" only when all pass.
    expect(execFileSync('python3', ['-m', 'zipfile', '-t', file], { encoding: 'utf8' })).toContain('Done testing');
    const out = path.join(dir, 'out');
    execFileSync('python3', ['-m', 'zipfile', '-e', file, out]);
    for (const e of entries) expect(readFileSync(path.join(out, e.name)).equals(e.data)).toBe(true);
    // Compressible text is deflated, incompressible data is stored.
    expect(zip.length).toBeLessThan(entries.reduce((n, e) => n + e.data.length, 0));
  });

  it.each(['../evil', '/abs', 'a//b', 'a\\b', ''])('refuses the unsafe name %j', (name) => {
    expect(() => buildZip([{ name, data: Buffer.from('x') }])).toThrow(/not a safe zip entry name/);
  });
});
