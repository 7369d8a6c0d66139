import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fioArgs, runDiskBenchmark, summarizeFio } from './disk-bench.js';
import { parseFioJson } from './fio-parse.js';

const fresh = () => mkdtempSync(path.join(tmpdir(), 'riglease-disk-'));
/** A machine without fio (and no fio image): the built-in measurement runs, as it does for most users. */
const NO_FIO = '/nonexistent/fio';

describe('disk benchmark', () => {
  it('built-in fallback gives positive figures on a small file and removes it', async () => {
    const dir = fresh();
    const steps: number[] = [];
    const r = await runDiskBenchmark({ candidates: [dir], sizeMiB: 8, signal: new AbortController().signal, fioImage: null, docker: null, runId: 't', fioPath: NO_FIO, onProgress: (p) => steps.push(p) });
    expect(r.method).toBe('builtin');
    expect(r.path).toBe(dir);
    // Saying how it was measured, without a note about fio failing: it is simply not there.
    expect(r.notes).toEqual([expect.stringMatching(/fio is not installed/)]);
    for (const v of [r.seqWriteMBps, r.seqReadMBps, r.randReadIops, r.randReadLatencyUs]) {
      expect(v).toBeGreaterThan(0);
      expect(Number.isFinite(v)).toBe(true);
    }
    expect(r.randWriteIops).toBeNull();
    expect(steps.at(-1)).toBe(100);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('skips a folder it cannot write (Docker Desktop data root) and says which one it measured', async () => {
    const dir = fresh();
    const r = await runDiskBenchmark({ candidates: ['/nonexistent/docker', dir], sizeMiB: 2, signal: new AbortController().signal, fioImage: null, docker: null, runId: 't', fioPath: NO_FIO });
    expect(r.path).toBe(dir);
    expect(r.notes.join(' ')).toMatch(/\/nonexistent\/docker is not writable/);
  });

  it('cancel stops the run and leaves no test file', async () => {
    const dir = fresh();
    const ac = new AbortController();
    const run = runDiskBenchmark({ candidates: [dir], sizeMiB: 64, signal: ac.signal, fioImage: null, docker: null, runId: 't', fioPath: NO_FIO, onProgress: (p) => p > 5 && ac.abort() });
    await expect(run).rejects.toMatchObject({ code: 'cancelled' });
    expect(readdirSync(dir)).toEqual([]);
  });

  it('without fio on the host and no fio image, falls back to the built-in measurement', async () => {
    const dir = fresh();
    const r = await runDiskBenchmark({ candidates: [dir], sizeMiB: 2, signal: new AbortController().signal, fioPath: '/nonexistent/fio', fioImage: null, docker: null, runId: 't' });
    expect(r.method).toBe('builtin');
  });

  it('fio runs four stonewalled jobs on one file with O_DIRECT', () => {
    const args = fioArgs('/data', 256);
    expect(args.filter((a) => a.startsWith('--name='))).toEqual(['--name=seqwrite', '--name=seqread', '--name=randread', '--name=randwrite']);
    expect(args).toContain('--filename=/data/riglease-fio.tmp');
    expect(args).toContain('--direct=1');
    expect(args.filter((a) => a === '--stonewall')).toHaveLength(4);
  });

  it('summarizes only jobs it recognises; a real report with other job names gives nulls, not zeros', () => {
    const report = parseFioJson(readFileSyncFixture('fio/fio-3.20_randread-randwrite_4k_kubestr.json'));
    expect(summarizeFio(report)).toEqual({ seqWriteMBps: null, seqReadMBps: null, randReadIops: null, randReadLatencyUs: null, randWriteIops: null });
    const renamed = { ...report, jobs: report.jobs.map((j) => ({ ...j, name: j.rw === 'randread' ? 'randread' : 'randwrite' })) };
    expect(summarizeFio(renamed)).toMatchObject({ randReadIops: 982.05078, randWriteIops: 390.525218, randReadLatencyUs: null });
  });
});

function readFileSyncFixture(p: string): string {
  return readFileSync(new URL(`../../../test/bench-fixtures/${p}`, import.meta.url), 'utf8');
}
