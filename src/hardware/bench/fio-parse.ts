import { z } from 'zod';
import { RigError } from '../../api/errors.js';

/** One direction (read or write) of one fio job, in units a person reads. */
export interface FioDirection {
  ioBytes: number;
  /** Bytes per second. fio ≥ 3 gives `bw_bytes`; older versions only `bw` in KiB/s. */
  bwBytes: number;
  iops: number;
  /** Mean completion latency in µs; null when fio did not measure it (gtod_reduce, no I/O). */
  clatMeanUs: number | null;
}

export interface FioJob {
  name: string;
  rw: string | null;
  read: FioDirection | null;
  write: FioDirection | null;
  error: number;
}

export interface FioReport {
  version: string | null;
  jobs: FioJob[];
}

const Stat = z.object({ mean: z.number(), N: z.number().optional() }).partial().loose();
const Direction = z
  .object({
    io_bytes: z.number(),
    bw_bytes: z.number().optional(),
    bw: z.number(),
    iops: z.number(),
    total_ios: z.number().optional(),
    clat_ns: Stat.optional(),
    clat: Stat.optional(),
  })
  .loose();
const Job = z
  .object({
    jobname: z.string(),
    error: z.number().default(0),
    'job options': z.record(z.string(), z.unknown()).optional(),
    read: Direction.optional(),
    write: Direction.optional(),
  })
  .loose();
const Report = z
  .object({
    'fio version': z.string().optional(),
    'global options': z.record(z.string(), z.unknown()).optional(),
    jobs: z.array(Job),
  })
  .loose();

/**
 * Parses `fio --output-format=json`. fio may print progress or "Starting N processes" lines
 * before the JSON and the normal report after it, so the first top-level JSON object is cut
 * out of the text. Handles the 2.x layout (`bw` KiB/s, `clat` µs) and the 3.x one
 * (`bw_bytes`, `clat_ns`).
 */
export function parseFioJson(text: string): FioReport {
  const json = extractJsonObject(text);
  if (json === null) throw new RigError('unavailable', 'fio did not print a JSON report.', 'Run fio with --output-format=json.');
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch (err) {
    throw new RigError('unavailable', `fio printed a report that is not valid JSON: ${(err as Error).message}`);
  }
  const parsed = Report.safeParse(raw);
  if (!parsed.success) throw new RigError('unavailable', 'fio printed JSON without the expected "jobs" list.');
  const globalRw = stringOf(parsed.data['global options']?.['rw']);
  return {
    version: parsed.data['fio version'] ?? null,
    jobs: parsed.data.jobs.map((job) => ({
      name: job.jobname,
      rw: stringOf(job['job options']?.['rw']) ?? globalRw,
      read: direction(job.read),
      write: direction(job.write),
      error: job.error,
    })),
  };
}

function direction(d: z.infer<typeof Direction> | undefined): FioDirection | null {
  if (!d || d.io_bytes <= 0) return null;
  let clat: number | null = null;
  if (d.clat_ns && (d.clat_ns.N ?? 1) > 0 && (d.clat_ns.mean ?? 0) > 0) clat = (d.clat_ns.mean ?? 0) / 1000;
  else if (d.clat && (d.clat.mean ?? 0) > 0) clat = d.clat.mean ?? null;
  return { ioBytes: d.io_bytes, bwBytes: d.bw_bytes ?? d.bw * 1024, iops: d.iops, clatMeanUs: clat };
}

function stringOf(v: unknown): string | null {
  return typeof v === 'string' ? v : null;
}

/** The first balanced `{…}` that starts a line, skipping braces inside JSON strings. */
export function extractJsonObject(text: string): string | null {
  const start = text.search(/^\{/m);
  if (start < 0) return null;
  let depth = 0;
  let inString = false;
  for (let i = start; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
      continue;
    }
    if (c === '"') inString = true;
    else if (c === '{') depth++;
    else if (c === '}') {
      depth--;
      if (depth === 0) return text.slice(start, i + 1);
    }
  }
  return null;
}
