import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The fake executable; point `RIGLEASE_NVIDIA_SMI` at it (or put its folder first on PATH). */
export const FAKE_NVIDIA_SMI = fileURLToPath(new URL('./nvidia-smi', import.meta.url));
export const FAKE_NVIDIA_SMI_DIR = path.dirname(FAKE_NVIDIA_SMI);

/** The real captures (read-only, never edited): shared/fixtures/nvidia-smi next to the work tree. */
export const NVIDIA_FIXTURES_DIR =
  process.env['RIGLEASE_NVIDIA_FIXTURES'] ?? path.resolve(FAKE_NVIDIA_SMI_DIR, '../../../shared/fixtures/nvidia-smi');

export function nvidiaFixture(name: string): string {
  return path.join(NVIDIA_FIXTURES_DIR, name);
}

/**
 * The GPU UUIDs a `-q -x` capture lists, in its order, read from the file itself rather than
 * through RigLease's parser: what a test expects the product to ask Docker for.
 */
export function capturedGpuUuids(name: string): string[] {
  const xml = readFileSync(path.isAbsolute(name) ? name : nvidiaFixture(name), 'utf8');
  return [...xml.matchAll(/<uuid>([^<]+)<\/uuid>/g)].map((m) => m[1]!.trim());
}

/** Every capture of a kind, sorted, so data-driven tests cover new files without edits. */
export function nvidiaFixtures(kind: 'xml' | 'csv' | 'error'): string[] {
  const files = readdirSync(NVIDIA_FIXTURES_DIR).sort();
  if (kind === 'error') return files.filter((f) => f.startsWith('error_') && f.endsWith('.txt'));
  return files.filter((f) => f.endsWith(`.${kind}`));
}

export interface FakeNvidiaSmiOptions {
  /** A `-q -x` capture file name (or absolute path). */
  xml?: string;
  /** A `--query-gpu` capture file name (or absolute path) for telemetry values. */
  csv?: string;
  /** An `error_*.txt` file name (or absolute path): print it and exit with nvidia-smi's code. */
  error?: string;
  hang?: boolean;
  garbage?: 'truncate';
}

/**
 * Environment that makes RigLease use the fake with the given capture. Merge it into the
 * agent's env (or a child process's env); the variable names are the fake's interface.
 */
export function fakeNvidiaSmiEnv(opts: FakeNvidiaSmiOptions, base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...base, RIGLEASE_NVIDIA_SMI: FAKE_NVIDIA_SMI };
  for (const k of ['FAKE_NVIDIA_SMI_XML', 'FAKE_NVIDIA_SMI_CSV', 'FAKE_NVIDIA_SMI_ERROR', 'FAKE_NVIDIA_SMI_HANG', 'FAKE_NVIDIA_SMI_GARBAGE']) {
    delete env[k];
  }
  const abs = (f: string) => (path.isAbsolute(f) ? f : nvidiaFixture(f));
  if (opts.xml) env['FAKE_NVIDIA_SMI_XML'] = abs(opts.xml);
  if (opts.csv) env['FAKE_NVIDIA_SMI_CSV'] = abs(opts.csv);
  if (opts.error) env['FAKE_NVIDIA_SMI_ERROR'] = abs(opts.error);
  if (opts.hang) env['FAKE_NVIDIA_SMI_HANG'] = '1';
  if (opts.garbage) env['FAKE_NVIDIA_SMI_GARBAGE'] = opts.garbage;
  return env;
}
