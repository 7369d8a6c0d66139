import { open, readdir, readFile, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { pathsUnder } from '../store/paths.js';
import { writeFileAtomic } from '../util/atomic-write.js';
import { isSecretKey, rememberSecretValue } from '../util/redact.js';
import { redactFileText, redactJsonValue } from './diagnostics/export-redaction.js';

/** Folder under the data folder (RIGLEASE_HOME / Electron's userData). */
export const CRASH_DIR = 'crash-reports';
/** Only the newest reports are kept. */
export const MAX_CRASH_REPORTS = 20;
/** The end of the agent's log, for what led up to the crash. */
export const CRASH_LOG_LINES = 50;
/** A crash report must not hold the process up: after this it exits anyway. */
const WRITE_BUDGET_MS = 3_000;
const LOG_TAIL_BYTES = 64 * 1024;

export const CrashReport = z.object({
  kind: z.literal('riglease.crash-report'),
  time: z.string(),
  version: z.string(),
  host: z.string(),
  platform: z.string(),
  arch: z.string(),
  node: z.string(),
  pid: z.number().int(),
  origin: z.enum(['uncaughtException', 'unhandledRejection']),
  error: z.object({ name: z.string(), message: z.string(), stack: z.string().nullable(), code: z.string().nullable() }),
  logTail: z.array(z.string()),
});
export type CrashReport = z.infer<typeof CrashReport>;

export function crashReportsDir(home: string): string {
  return path.join(home, CRASH_DIR);
}

export interface CrashContext {
  home: string;
  version: string;
  host: string;
  env: NodeJS.ProcessEnv;
  platform?: NodeJS.Platform;
}

/**
 * Writes one crash report (redacted exactly like the diagnostics bundle: export-redaction.ts,
 * strict hex, secret-named keys, phrases, PEM keys, and the secret values of the environment
 * such as RIGLEASE_PASSPHRASE) and keeps only the newest MAX_CRASH_REPORTS. Returns its path.
 */
export async function writeCrashReport(ctx: CrashContext, origin: CrashReport['origin'], thrown: unknown, now = new Date()): Promise<string> {
  for (const [k, v] of Object.entries(ctx.env)) if (v && isSecretKey(k)) rememberSecretValue(v);
  const report: CrashReport = {
    kind: 'riglease.crash-report',
    time: now.toISOString(),
    version: ctx.version,
    host: ctx.host,
    platform: ctx.platform ?? process.platform,
    arch: process.arch,
    node: process.versions.node,
    pid: process.pid,
    origin,
    error: describeThrown(thrown),
    logTail: await logTail(pathsUnder(ctx.home).logsDir),
  };
  // `redactJsonValue` keeps the shape: every field a string the schema still accepts.
  const safe = CrashReport.parse(redactJsonValue(report));
  const dir = crashReportsDir(ctx.home);
  const file = path.join(dir, `crash-${now.toISOString().replace(/[:.]/g, '-')}-${process.pid}.json`);
  await writeFileAtomic(file, `${JSON.stringify(safe, null, 2)}\n`, { mode: 0o600, dirMode: 0o700 });
  await prune(dir);
  return file;
}

function describeThrown(thrown: unknown): CrashReport['error'] {
  if (thrown instanceof Error) {
    const code = (thrown as { code?: unknown }).code;
    return { name: thrown.name, message: thrown.message, stack: thrown.stack ?? null, code: typeof code === 'string' ? code : null };
  }
  let text: string;
  try {
    text = typeof thrown === 'string' ? thrown : (JSON.stringify(thrown) ?? String(thrown));
  } catch {
    text = String(thrown);
  }
  return { name: 'NonError', message: text, stack: null, code: null };
}

async function logTail(logsDir: string): Promise<string[]> {
  const file = path.join(logsDir, 'agent.log');
  try {
    const size = (await stat(file)).size;
    const start = Math.max(0, size - LOG_TAIL_BYTES);
    const handle = await open(file, 'r');
    try {
      const buf = Buffer.alloc(size - start);
      await handle.read(buf, 0, buf.length, start);
      const lines = buf.toString('utf8').split('\n').filter((l) => l.trim() !== '');
      if (start > 0) lines.shift(); // a partial first line
      // Each line redacted as the bundle does for a log file (the log is already redacted when written; this is strict).
      return lines.slice(-CRASH_LOG_LINES).map((l) => redactFileText('agent.log', l));
    } finally {
      await handle.close();
    }
  } catch {
    return [];
  }
}

async function prune(dir: string): Promise<void> {
  const names = (await readdir(dir).catch(() => [] as string[])).filter((n) => /^crash-.*\.json$/.test(n)).sort();
  for (const old of names.slice(0, Math.max(0, names.length - MAX_CRASH_REPORTS))) await rm(path.join(dir, old), { force: true });
}

export interface CrashSummary {
  file: string;
  time: string;
  /** One line: `TypeError: x is not a function`. */
  reason: string;
}

/** The reports on disk, newest first; unreadable ones are skipped. */
export async function listCrashReports(home: string): Promise<CrashSummary[]> {
  const dir = crashReportsDir(home);
  const names = (await readdir(dir).catch(() => [] as string[])).filter((n) => /^crash-.*\.json$/.test(n)).sort().reverse();
  const out: CrashSummary[] = [];
  for (const name of names) {
    try {
      const r = CrashReport.parse(JSON.parse(await readFile(path.join(dir, name), 'utf8')));
      const first = r.error.message.split('\n')[0] ?? '';
      out.push({ file: path.join(dir, name), time: r.time, reason: `${r.error.name}: ${first.length > 200 ? `${first.slice(0, 200)}…` : first}` });
    } catch {
      // A damaged report says nothing reliable; it still goes into the diagnostics bundle as a file.
    }
  }
  return out;
}

export interface CrashHandlerOptions extends CrashContext {
  /** How the process ends: `process.exit` (CLI, daemon) or Electron's `app.exit`. */
  exit: (code: number) => void;
  /** Where the one line for a person goes (stderr). */
  print?: (line: string) => void;
}

/** Node's own exit code for an uncaught exception. */
export const CRASH_EXIT_CODE = 1;

/**
 * On an uncaught exception or unhandled rejection: write a crash report, say where it is, and
 * exit non-zero — a crash is never swallowed. A second crash while writing exits at once; a
 * write that hangs is given WRITE_BUDGET_MS. Returns a function that removes the handlers.
 */
export function installCrashHandlers(opts: CrashHandlerOptions): () => void {
  const print = opts.print ?? ((line: string) => process.stderr.write(`${line}\n`));
  let crashing = false;
  const handle = (origin: CrashReport['origin'], thrown: unknown) => {
    if (crashing) {
      opts.exit(CRASH_EXIT_CODE);
      return;
    }
    crashing = true;
    const timer = setTimeout(() => opts.exit(CRASH_EXIT_CODE), WRITE_BUDGET_MS);
    void writeCrashReport(opts, origin, thrown)
      .then(async (file) => {
        const r = CrashReport.parse(JSON.parse(await readFile(file, 'utf8')));
        print(`RigLease stopped unexpectedly (${r.error.name}: ${r.error.message.split('\n')[0] ?? ''}).`);
        if (r.error.stack) print(r.error.stack);
        print(`A crash report was written to ${file}; "Export diagnostics" includes it.`);
      })
      .catch((err: unknown) => print(`RigLease stopped unexpectedly; the crash report could not be written (${err instanceof Error ? err.message : String(err)}).`))
      .finally(() => {
        clearTimeout(timer);
        opts.exit(CRASH_EXIT_CODE);
      });
  };
  const onException = (err: unknown) => handle('uncaughtException', err);
  const onRejection = (reason: unknown) => handle('unhandledRejection', reason);
  process.on('uncaughtException', onException);
  process.on('unhandledRejection', onRejection);
  return () => {
    process.off('uncaughtException', onException);
    process.off('unhandledRejection', onRejection);
  };
}
