import { constants } from 'node:fs';
import { access, rm } from 'node:fs/promises';
import path from 'node:path';
import type Docker from 'dockerode';
import type { DiskBench } from '../../api/schemas/bench.js';
import { RigError } from '../../api/errors.js';
import { spawnWithTimeout, SpawnError } from '../../util/spawn-with-timeout.js';
import { builtinDiskBench } from './disk-builtin.js';
import { runBenchContainer } from './container-run.js';
import { parseFioJson, type FioReport } from './fio-parse.js';

export const FIO_FILE = 'riglease-fio.tmp';

/**
 * fio's command line: four jobs on one test file, one after another (`--stonewall`):
 * sequential write (with a final fsync), sequential read, random 4 KiB read and write.
 * O_DIRECT keeps the page cache out of the figures.
 */
export function fioArgs(dir: string, sizeMiB: number, randomSeconds = 10): string[] {
  const file = path.posix.join(dir.replace(/\\/g, '/'), FIO_FILE);
  return [
    '--output-format=json',
    `--filename=${file}`,
    `--size=${sizeMiB}M`,
    '--direct=1',
    '--ioengine=psync',
    '--name=seqwrite', '--rw=write', '--bs=1M', '--end_fsync=1', '--stonewall',
    '--name=seqread', '--rw=read', '--bs=1M', '--stonewall',
    '--name=randread', '--rw=randread', '--bs=4k', `--runtime=${randomSeconds}`, '--time_based', '--stonewall',
    '--name=randwrite', '--rw=randwrite', '--bs=4k', `--runtime=${randomSeconds}`, '--time_based', '--stonewall',
  ];
}

/** The four figures out of our own fio jobs (by name). */
export function summarizeFio(report: FioReport): Pick<DiskBench, 'seqWriteMBps' | 'seqReadMBps' | 'randReadIops' | 'randReadLatencyUs' | 'randWriteIops'> {
  const job = (name: string) => report.jobs.find((j) => j.name === name);
  const mbps = (b: number | undefined) => (b === undefined ? null : b / 1_000_000);
  return {
    seqWriteMBps: mbps(job('seqwrite')?.write?.bwBytes),
    seqReadMBps: mbps(job('seqread')?.read?.bwBytes),
    randReadIops: job('randread')?.read?.iops ?? null,
    randReadLatencyUs: job('randread')?.read?.clatMeanUs ?? null,
    randWriteIops: job('randwrite')?.write?.iops ?? null,
  };
}

export interface DiskBenchOptions {
  /** Candidate folders, best first: Docker's data root (where tenant containers write), then home. */
  candidates: string[];
  sizeMiB: number;
  signal: AbortSignal;
  /** `fio` on the host; null = look on PATH as `fio`. */
  fioPath?: string;
  fioImage: string | null;
  docker: Docker | null;
  runId: string;
  onProgress?: (pct: number, what: string) => void;
}

export async function runDiskBenchmark(opts: DiskBenchOptions): Promise<DiskBench> {
  const dir = await firstWritable(opts.candidates);
  const notes: string[] = [];
  if (dir !== opts.candidates[0]) notes.push(`${opts.candidates[0] ?? 'Docker\u2019s data folder'} is not writable from here (Docker Desktop keeps it inside its VM), so ${dir} was measured instead.`);
  const host = await tryHostFio(dir, opts, notes);
  if (host) return { method: 'fio', path: dir, testMiB: opts.sizeMiB, ...summarizeFio(host), notes };
  if (opts.fioImage && opts.docker) {
    const inContainer = await tryContainerFio(dir, opts, notes);
    if (inContainer) return { method: 'fio-container', path: dir, testMiB: opts.sizeMiB, ...summarizeFio(inContainer), notes };
  }
  const f = await builtinDiskBench(dir, opts.sizeMiB, opts.signal, opts.onProgress);
  notes.push('Measured by RigLease itself (fio is not installed): writes include an fsync; reads may be helped by the OS cache.');
  return { method: 'builtin', path: dir, testMiB: opts.sizeMiB, seqWriteMBps: f.seqWriteMBps, seqReadMBps: f.seqReadMBps, randReadIops: f.randReadIops, randReadLatencyUs: f.randReadLatencyUs, randWriteIops: null, notes };
}

async function tryHostFio(dir: string, opts: DiskBenchOptions, notes: string[]): Promise<FioReport | null> {
  const fio = opts.fioPath ?? 'fio';
  try {
    opts.onProgress?.(5, 'Running fio');
    const r = await spawnWithTimeout(fio, fioArgs(dir, opts.sizeMiB), { timeoutMs: 10 * 60_000, signal: opts.signal });
    if (r.code !== 0) {
      notes.push(`fio failed (${r.stderr.trim().split('\n').pop() ?? `exit ${r.code}`}); the built-in measurement was used.`);
      return null;
    }
    return parseFioJson(r.stdout);
  } catch (err) {
    if (err instanceof SpawnError && err.kind === 'aborted') throw new RigError('cancelled', 'Cancelled.');
    if (!(err instanceof SpawnError && err.kind === 'absent')) notes.push(`fio could not run: ${(err as Error).message}`);
    return null;
  } finally {
    await rm(path.join(dir, FIO_FILE), { force: true });
  }
}

async function tryContainerFio(dir: string, opts: DiskBenchOptions, notes: string[]): Promise<FioReport | null> {
  try {
    opts.onProgress?.(5, 'Running fio in a container');
    const r = await runBenchContainer(
      opts.docker!,
      { image: opts.fioImage!, cmd: ['fio', ...fioArgs('/bench', opts.sizeMiB)], gpus: null, binds: [`${dir}:/bench`], timeoutMs: 10 * 60_000, signal: opts.signal },
      opts.runId,
    );
    if (r.exitCode !== 0) {
      notes.push(`fio in ${opts.fioImage} failed (exit ${r.exitCode}); the built-in measurement was used.`);
      return null;
    }
    return parseFioJson(r.output);
  } catch (err) {
    if (err instanceof RigError && err.code === 'cancelled') throw err;
    notes.push(`fio in ${opts.fioImage} could not run: ${(err as Error).message}`);
    return null;
  } finally {
    await rm(path.join(dir, FIO_FILE), { force: true });
  }
}

async function firstWritable(candidates: string[]): Promise<string> {
  for (const c of candidates) {
    try {
      await access(c, constants.W_OK);
      return c;
    } catch {
      // next
    }
  }
  throw new RigError('unavailable', `None of these folders can be written to: ${candidates.join(', ')}.`);
}
