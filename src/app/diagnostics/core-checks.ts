import { constants } from 'node:fs';
import { access, mkdir, readFile, readdir, stat, statfs } from 'node:fs/promises';
import path from 'node:path';
import type { DiagnosticCheck } from '../../api/schemas/diagnostics.js';
import type { HardwareReport } from '../../api/schemas/hardware.js';
import { Settings } from '../../api/schemas/settings.js';
import { formatZodError } from '../../api/errors.js';
import type { Paths } from '../../store/paths.js';
import { isNotFound } from '../../store/json-file.js';
import { singleCheck, type CheckOutcome, type DiagnosticSource } from './check-registry.js';
import { SETTINGS_MIGRATIONS, SETTINGS_VERSION } from '../../store/settings-migrations.js';

export interface CoreCheckDeps {
  paths: Paths;
  platform: NodeJS.Platform;
  /** The hardware scan (shared with the readiness screen; a young report is reused). */
  scan(maxAgeMs: number): Promise<HardwareReport>;
  /** Reads the settings the way the agent does (a damaged file is set aside there, first). */
  loadSettings(): Promise<unknown>;
}

const HARDWARE_DOCS = 'https://akash.network/docs/providers/getting-started/hardware-requirements';
/** The data folder holds logs, state and history; below these it cannot be trusted to write them. */
const DISK_FAIL_MIB = 512;
const DISK_WARN_MIB = 5 * 1024;
/** Reports up to this old are good enough: the scan is ~1.5 s and the readiness screen just ran one. */
const SCAN_MAX_AGE_MS = 10_000;

/** The checks the agent knows from its own parts; other domains add theirs to the same registry. */
export function coreDiagnosticSources(deps: CoreCheckDeps): DiagnosticSource[] {
  return [hardwareSource(deps), settingsCheck(deps), logFolderCheck(deps), diskCheck(deps), stateFilesCheck(deps), secretsFolderCheck(deps)];
}

/** Every readiness check of a hardware scan (GPUs, driver, system, Docker reachability…), one each. */
function hardwareSource(deps: CoreCheckDeps): DiagnosticSource {
  return {
    id: 'hardware.scan',
    area: 'hardware',
    what: 'Hardware and Docker readiness scan',
    run: async () => {
      const report = await deps.scan(SCAN_MAX_AGE_MS);
      return report.checks.map(
        (c): DiagnosticCheck => ({
          id: `hardware.${c.id}`,
          area: c.id.startsWith('docker.') ? 'docker' : 'hardware',
          what: c.title,
          status: c.status === 'block' ? 'fail' : c.status,
          why: c.detail,
          fix: c.fix,
          docsUrl: c.link,
        }),
      );
    },
  };
}

function settingsCheck(deps: CoreCheckDeps): DiagnosticSource {
  const file = deps.paths.settingsFile;
  return singleCheck({
    id: 'files.settings',
    area: 'files',
    what: 'Settings file',
    run: async (): Promise<CheckOutcome> => {
      try {
        await deps.loadSettings();
      } catch (err) {
        const e = err as { message?: string; fix?: string };
        return { status: 'fail', why: e.message ?? String(err), fix: e.fix ?? `Move ${file} away to start from defaults.` };
      }
      const asideNote = await keptAside(file);
      let text: string;
      try {
        text = await readFile(file, 'utf8');
      } catch (err) {
        if (!isNotFound(err)) return { status: 'fail', why: `${file} cannot be read: ${(err as Error).message}.`, fix: `Give your user read and write access to ${path.dirname(file)}.` };
        return asideNote ?? { status: 'ok', why: 'No settings saved yet: every setting has its default.' };
      }
      const problem = settingsProblem(text);
      if (problem) {
        return {
          status: 'fail',
          why: `${file} is not valid (${problem}). RigLease will set it aside and start from defaults.`,
          fix: 'Restart RigLease, then enter your settings again; the damaged file stays beside it for reference.',
        };
      }
      return asideNote ?? { status: 'ok', why: `${file} is valid.` };
    },
  });
}

function settingsProblem(text: string): string | null {
  let stored: unknown;
  try {
    stored = JSON.parse(text);
  } catch (err) {
    return `not JSON: ${(err as Error).message}`;
  }
  if (typeof stored !== 'object' || stored === null || typeof (stored as { version?: unknown }).version !== 'number') return 'it has no version field';
  const { version } = stored as { version: number; data: unknown };
  if (version > SETTINGS_VERSION) return `written by a newer RigLease (format ${version})`;
  // An older format is migrated on load, as the settings store does, before it is judged.
  let data = (stored as { data: unknown }).data;
  for (let v = version; v < SETTINGS_VERSION; v++) data = SETTINGS_MIGRATIONS[v - 1]?.(data) ?? data;
  const parsed = Settings.safeParse(data);
  return parsed.success ? null : formatZodError(parsed.error);
}

/** A `<file>.corrupt-<time>` beside the file means it was once damaged and replaced by defaults. */
async function keptAside(file: string): Promise<CheckOutcome | null> {
  const names = await readdir(path.dirname(file)).catch(() => [] as string[]);
  const aside = names.filter((n) => n.startsWith(`${path.basename(file)}.corrupt-`)).sort();
  if (aside.length === 0) return null;
  return {
    status: 'warn',
    why: `A damaged settings file was set aside (${aside[aside.length - 1]}), so some settings went back to their defaults.`,
    fix: `Check your settings; when they are right, delete ${path.join(path.dirname(file), aside[aside.length - 1]!)}.`,
  };
}

function logFolderCheck(deps: CoreCheckDeps): DiagnosticSource {
  const dir = deps.paths.logsDir;
  return singleCheck({
    id: 'files.logs',
    area: 'files',
    what: 'Log folder',
    run: async (): Promise<CheckOutcome> => {
      try {
        await mkdir(dir, { recursive: true });
        await access(dir, constants.W_OK);
      } catch (err) {
        return { status: 'fail', why: `${dir} cannot be written (${(err as Error).message}), so nothing the agent does is logged.`, fix: `Give your user write access to ${dir}.` };
      }
      const files = (await readdir(dir).catch(() => [] as string[])).filter((n) => n.endsWith('.log') || /\.log\.\d+$/.test(n));
      let bytes = 0;
      for (const f of files) bytes += (await stat(path.join(dir, f)).catch(() => null))?.size ?? 0;
      return { status: 'ok', why: `${dir} is writable; ${files.length} log file(s), ${mib(bytes)} MiB.` };
    },
  });
}

function diskCheck(deps: CoreCheckDeps): DiagnosticSource {
  return singleCheck({
    id: 'files.disk',
    area: 'files',
    what: 'Free space for the data folder',
    docsUrl: HARDWARE_DOCS,
    run: async (): Promise<CheckOutcome> => {
      const dir = await nearestExisting(deps.paths.home);
      const s = await statfs(dir);
      const freeMiB = (s.bavail * s.bsize) / 1024 / 1024;
      const where = `${deps.paths.home} (${Math.round(freeMiB).toLocaleString('en-US')} MiB free)`;
      if (freeMiB < DISK_FAIL_MIB) return { status: 'fail', why: `Almost no space left for ${where}: logs and state can no longer be saved.`, fix: 'Free some disk space, or set RIGLEASE_HOME to a folder on a bigger disk.' };
      if (freeMiB < DISK_WARN_MIB) return { status: 'warn', why: `Little space left for ${where}.`, fix: 'Free some disk space soon; history and logs keep growing up to their limits.' };
      return { status: 'ok', why: `Enough space for ${where}.` };
    },
  });
}

function stateFilesCheck(deps: CoreCheckDeps): DiagnosticSource {
  const dir = deps.paths.stateDir;
  return singleCheck({
    id: 'files.state',
    area: 'files',
    what: 'State files',
    run: async (): Promise<CheckOutcome> => {
      const names = await readdir(dir).catch((err: unknown) => (isNotFound(err) ? [] : Promise.reject(err as Error)));
      const damaged: string[] = [];
      for (const name of names.filter((n) => n.endsWith('.json'))) {
        try {
          const parsed = JSON.parse(await readFile(path.join(dir, name), 'utf8')) as { version?: unknown };
          if (typeof parsed.version !== 'number') damaged.push(name);
        } catch {
          damaged.push(name);
        }
      }
      const aside = names.filter((n) => n.includes('.corrupt-'));
      if (damaged.length > 0) return { status: 'fail', why: `Damaged state file(s): ${damaged.join(', ')}. RigLease sets a damaged file aside when it next reads it.`, fix: 'Restart RigLease; if the problem comes back, export diagnostics and report it.' };
      if (aside.length > 0) return { status: 'warn', why: `Damaged state file(s) were set aside earlier: ${aside.join(', ')}.`, fix: `Once everything works, you may delete them from ${dir}.` };
      const count = names.filter((n) => n.endsWith('.json')).length;
      return { status: 'ok', why: count === 0 ? 'No state saved yet.' : `${count} state file(s), all readable.` };
    },
  });
}

/** On Linux and macOS the secrets folder must be closed to other users, even though its files are encrypted. */
function secretsFolderCheck(deps: CoreCheckDeps): DiagnosticSource {
  const dir = deps.paths.secretsDir;
  return singleCheck({
    id: 'files.secrets-permissions',
    area: 'files',
    what: 'Secrets folder is private',
    run: async (): Promise<CheckOutcome> => {
      if (deps.platform === 'win32') return { status: 'ok', why: 'On Windows the folder is protected by your user profile.' };
      const s = await stat(dir).catch((err: unknown) => (isNotFound(err) ? null : Promise.reject(err as Error)));
      if (!s) return { status: 'ok', why: 'No secrets stored yet.' };
      if ((s.mode & 0o077) !== 0) {
        return { status: 'warn', why: `${dir} can be read by other users (mode ${(s.mode & 0o777).toString(8)}).`, fix: `Run: chmod 700 "${dir}"` };
      }
      return { status: 'ok', why: `${dir} is readable by your user only.` };
    },
  });
}

async function nearestExisting(dir: string): Promise<string> {
  let current = path.resolve(dir);
  for (;;) {
    try {
      await stat(current);
      return current;
    } catch {
      const up = path.dirname(current);
      if (up === current) return current;
      current = up;
    }
  }
}

function mib(bytes: number): string {
  return (bytes / 1024 / 1024).toFixed(1);
}
