import { appendFileSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { BenchRun } from '../../api/schemas/bench.js';
import { BenchHistoryFile, rerunAdvice } from './history.js';
import { referenceFor } from './references.js';

function run(id: string, over: Partial<BenchRun> = {}): BenchRun {
  return { id, at: '2026-11-25T12:00:00.000Z', kinds: ['disk'], driverVersion: '590.44.01', gpus: [{ uuid: 'GPU-a', name: 'NVIDIA GeForce RTX 3090' }], gpu: null, disk: null, network: null, ports: null, stability: null, reference: null, errors: [], ...over };
}

describe('benchmark history file', () => {
  it('appends runs and reads them back newest first', async () => {
    const h = new BenchHistoryFile(mkdtempSync(path.join(tmpdir(), 'riglease-hist-')));
    await h.append(run('r1'));
    await h.append(run('r2'));
    expect((await h.read(10)).map((r) => r.id)).toEqual(['r2', 'r1']);
    expect((await h.read(1)).map((r) => r.id)).toEqual(['r2']);
  });

  it('rotates past its size limit and still reads across the rotated files', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'riglease-hist-'));
    const h = new BenchHistoryFile(dir, 600);
    for (let i = 0; i < 12; i++) await h.append(run(`r${i}`));
    expect(readdirSync(dir).sort()).toEqual(['bench.1.jsonl', 'bench.2.jsonl', 'bench.3.jsonl', 'bench.jsonl']);
    const ids = (await h.read(100)).map((r) => r.id);
    expect(ids[0]).toBe('r11');
    expect(ids.length).toBeLessThan(12); // the oldest were dropped with the fourth rotation
  });

  it('skips a damaged line instead of losing the whole history', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'riglease-hist-'));
    const h = new BenchHistoryFile(dir);
    await h.append(run('r1'));
    appendFileSync(path.join(dir, 'bench.jsonl'), '{"id":"half-writ\n');
    await h.append(run('r2'));
    expect((await h.read(10)).map((r) => r.id)).toEqual(['r2', 'r1']);
    expect(h.skipped).toBe(1);
  });

  it('serializes concurrent appends', async () => {
    const h = new BenchHistoryFile(mkdtempSync(path.join(tmpdir(), 'riglease-hist-')));
    await Promise.all(['a', 'b', 'c', 'd'].map((id) => h.append(run(id))));
    expect((await h.read(10)).map((r) => r.id).sort()).toEqual(['a', 'b', 'c', 'd']);
  });
});

describe('re-run advice', () => {
  const now = { driverVersion: '590.44.01', gpus: [{ uuid: 'GPU-a', name: 'NVIDIA GeForce RTX 3090' }] };
  it('suggests a first run', () => expect(rerunAdvice(null, now)).toMatchObject({ suggested: true }));
  it('is quiet when nothing changed', () => expect(rerunAdvice(run('r'), now)).toEqual({ suggested: false, reasons: [] }));
  it('names a driver change', () => {
    expect(rerunAdvice(run('r', { driverVersion: '570.124.04' }), now).reasons).toEqual(['The NVIDIA driver changed from 570.124.04 to 590.44.01 since the last benchmark.']);
  });
  it('names added and removed GPUs', () => {
    const r = rerunAdvice(run('r'), { driverVersion: '590.44.01', gpus: [{ uuid: 'GPU-b', name: 'NVIDIA GeForce RTX 4090' }] });
    expect(r.reasons).toEqual(['GPU added since the last benchmark: NVIDIA GeForce RTX 4090.', 'GPU no longer present since the last benchmark: NVIDIA GeForce RTX 3090.']);
  });
});

describe('reference figures', () => {
  it('compares with a cited figure for the same model, whatever the driver\u2019s "NVIDIA " prefix', () => {
    const ref = referenceFor('NVIDIA GeForce RTX 2060 with Max-Q Design', 2724.379 / 2);
    expect(ref).toMatchObject({ ratio: 0.5 });
    expect(ref?.source).toMatch(/docker\/docs/);
  });
  it('gives nothing for a model without a cited figure', () => expect(referenceFor('NVIDIA GeForce RTX 4070', 20000)).toBeNull());
  it('a gaming card from a real capture: the RTX 4090 figure, with its body count in the source', () => {
    const ref = referenceFor('NVIDIA GeForce RTX 4090', 44453.425);
    expect(ref).toMatchObject({ gpuName: 'NVIDIA GeForce RTX 4090', ratio: 1 });
    expect(ref?.source).toMatch(/131072 bodies/);
  });
});
