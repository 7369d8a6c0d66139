import { randomBytes } from 'node:crypto';
import { link, lstat, mkdir, open, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { RigError } from '../../api/errors.js';
import type { DiagnosticsExportResult, DiagnosticsReport } from '../../api/schemas/diagnostics.js';
import type { HardwareReport } from '../../api/schemas/hardware.js';
import type { Paths } from '../../store/paths.js';
import { isNotFound } from '../../store/json-file.js';
import { fsErrorReason } from '../../util/fs-error-reason.js';
import { isSecretKey, redactText, rememberSecretValue } from '../../util/redact.js';
import { redactFileText, redactJsonValue } from './export-redaction.js';
import { buildZip, type ZipEntry } from './zip-writer.js';
import { crashReportsDir } from '../crash-reports.js';

export interface ExportInputs {
  paths: Paths;
  /** Absolute path of the zip to write; it must not exist yet. */
  target: string;
  version: string;
  host: string;
  platform: NodeJS.Platform;
  env: NodeJS.ProcessEnv;
  hardwareReport: HardwareReport | null;
  checks: DiagnosticsReport | null;
  now?: Date;
}

/** Folder under the data folder where exports go by default; never itself exported. */
export const EXPORT_DIR = 'diagnostics';
/** Only the newest part of a large log goes in; the agent's own log rotates at 5 MiB. */
const MAX_FILE_BYTES = 4 * 1024 * 1024;
const MAX_FILES = 400;
const MAX_DEPTH = 4;

/** Names that are secret stores whatever folder they sit in: never opened, never included. */
const SECRET_STORE_NAME = /\.secret$|\.passphrase-check$|\.key$|\.pem$|\.p12$|\.pfx$|keyring|mnemonic|wallet\.enc|\.kdbx$/i;

export function defaultExportPath(paths: Paths, now: Date): string {
  return path.join(paths.home, EXPORT_DIR, `riglease-diagnostics-${now.toISOString().replace(/[:.]/g, '-')}.zip`);
}

interface Candidate {
  abs: string;
  name: string;
}

/**
 * Writes the diagnostics zip: settings, logs, state and history from the data folder and the
 * last hardware report, each redacted. Secret stores (the secrets folder, `*.secret`, anything
 * that looks like an encrypted secret) are left out and listed by name only.
 */
export async function exportDiagnostics(inputs: ExportInputs): Promise<DiagnosticsExportResult> {
  const now = inputs.now ?? new Date();
  const target = inputs.target;
  if (!path.isAbsolute(target)) throw new RigError('invalid_input', `The export path must be absolute: ${target}.`);
  if (!target.toLowerCase().endsWith('.zip')) throw new RigError('invalid_input', `The export path must end in .zip: ${target}.`, 'Choose a file name such as riglease-diagnostics.zip.');
  if (await exists(target)) throw new RigError('conflict', `${target} already exists; RigLease does not overwrite files.`, 'Choose another file name, or move the old file away.');
  // Secret values from the environment (RIGLEASE_PASSPHRASE…) are removed wherever they show up.
  for (const [k, v] of Object.entries(inputs.env)) if (v && isSecretKey(k)) rememberSecretValue(v);

  const leftOut: DiagnosticsExportResult['leftOut'] = [];
  const candidates = await collect(inputs.paths, leftOut);
  const entries: ZipEntry[] = [];
  for (const c of candidates) {
    const content = await readCandidate(c, leftOut);
    if (content === null) continue;
    entries.push({ name: c.name, data: Buffer.from(redactFileText(c.name, content.text), 'utf8'), modified: content.mtime });
  }
  const generated: [string, unknown][] = [
    ['hardware-report.json', inputs.hardwareReport ?? { note: 'No hardware scan has run yet.' }],
    ['diagnostic-checks.json', inputs.checks ?? { note: 'The checks could not be run.' }],
  ];
  for (const [name, value] of generated) entries.push({ name, data: json(redactJsonValue(value)), modified: now });
  const files = entries.map((e) => e.name);
  entries.unshift({
    name: 'README.txt',
    data: Buffer.from(readme(inputs, now, files, leftOut), 'utf8'),
    modified: now,
  });

  const zip = buildZip(entries);
  await writeNew(target, zip);
  return { path: target, bytes: zip.length, files: ['README.txt', ...files], leftOut };
}

async function collect(paths: Paths, leftOut: DiagnosticsExportResult['leftOut']): Promise<Candidate[]> {
  const out: Candidate[] = [];
  const home = path.resolve(paths.home);
  const nameFor = (abs: string) => {
    const rel = path.relative(home, abs);
    return (rel.startsWith('..') || path.isAbsolute(rel) ? path.join('outside-home', path.basename(abs)) : rel).split(path.sep).join('/');
  };
  const secretsDir = path.resolve(paths.secretsDir);
  const exportDir = path.join(home, EXPORT_DIR);

  const consider = async (abs: string, depth: number): Promise<void> => {
    if (out.length >= MAX_FILES) return;
    const name = nameFor(abs);
    if (isInside(abs, secretsDir)) {
      leftOut.push({ file: name, reason: 'secret store: never included' });
      return;
    }
    if (isInside(abs, exportDir)) return;
    const s = await lstat(abs).catch(() => null);
    if (!s) return;
    if (s.isSymbolicLink()) {
      leftOut.push({ file: name, reason: 'symbolic link: not followed' });
      return;
    }
    if (s.isDirectory()) {
      if (depth >= MAX_DEPTH) return;
      const children = (await readdir(abs).catch(() => [] as string[])).sort();
      for (const child of children) await consider(path.join(abs, child), depth + 1);
      return;
    }
    if (!s.isFile()) return;
    if (SECRET_STORE_NAME.test(path.basename(abs))) {
      leftOut.push({ file: name, reason: 'secret store: never included' });
      return;
    }
    if (abs.endsWith('.tmp')) return;
    out.push({ abs, name });
  };

  // The settings file and any damaged copies set aside beside it.
  const settingsDir = path.dirname(paths.settingsFile);
  const base = path.basename(paths.settingsFile);
  for (const n of (await readdir(settingsDir).catch(() => [] as string[])).sort()) {
    if (n === base || n.startsWith(`${base}.corrupt-`)) await consider(path.join(settingsDir, n), MAX_DEPTH);
  }
  for (const dir of [paths.logsDir, paths.stateDir, paths.historyDir, crashReportsDir(paths.home)]) await consider(path.resolve(dir), 0);
  if (await exists(secretsDir)) leftOut.unshift({ file: nameFor(secretsDir), reason: 'secret store: never included' });
  return out;
}

async function readCandidate(c: Candidate, leftOut: DiagnosticsExportResult['leftOut']): Promise<{ text: string; mtime: Date } | null> {
  const s = await stat(c.abs);
  let buf: Buffer;
  if (s.size > MAX_FILE_BYTES) {
    const handle = await open(c.abs, 'r');
    try {
      buf = Buffer.alloc(MAX_FILE_BYTES);
      await handle.read(buf, 0, MAX_FILE_BYTES, s.size - MAX_FILE_BYTES);
    } finally {
      await handle.close();
    }
    // Start at a whole line.
    const nl = buf.indexOf(0x0a);
    buf = buf.subarray(nl + 1);
  } else {
    buf = await readFile(c.abs);
  }
  if (buf.includes(0) || !isUtf8(buf)) {
    leftOut.push({ file: c.name, reason: 'binary file: cannot be checked for secrets' });
    return null;
  }
  const text = buf.toString('utf8');
  if (looksEncrypted(text)) {
    leftOut.push({ file: c.name, reason: 'encrypted secret: never included' });
    return null;
  }
  const note = s.size > MAX_FILE_BYTES ? `[only the last ${MAX_FILE_BYTES / 1024 / 1024} MiB of ${Math.round(s.size / 1024 / 1024)} MiB]\n` : '';
  return { text: note + text, mtime: s.mtime };
}

/** The passphrase store's and Electron's secret files: scrypt/AES-GCM fields or a raw ciphertext. */
function looksEncrypted(text: string): boolean {
  if (!text.trimStart().startsWith('{')) return false;
  try {
    const o = JSON.parse(text) as Record<string, unknown>;
    return typeof o === 'object' && o !== null && (('kdf' in o && 'iv' in o) || 'ciphertext' in o || 'crypto' in o);
  } catch {
    return false;
  }
}

function isUtf8(buf: Buffer): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(buf);
    return true;
  } catch {
    return false;
  }
}

function isInside(abs: string, dir: string): boolean {
  const rel = path.relative(dir, abs);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

function json(value: unknown): Buffer {
  return Buffer.from(`${JSON.stringify(value, null, 2)}\n`, 'utf8');
}

function readme(inputs: ExportInputs, now: Date, files: string[], leftOut: DiagnosticsExportResult['leftOut']): string {
  return redactText(
    [
      'RigLease diagnostics',
      `created: ${now.toISOString()}`,
      `version: ${inputs.version} (${inputs.host}, ${inputs.platform})`,
      '',
      'Every file here was redacted: recovery phrases, private keys, tokens, passwords and k3s',
      'join tokens are replaced by [redacted]. Secret stores (the encrypted wallet and other',
      'secret files) are never included.',
      '',
      'Files:',
      ...files.map((f) => `  ${f}`),
      '',
      'Left out:',
      ...(leftOut.length ? leftOut.map((l) => `  ${l.file}: ${l.reason}`) : ['  (nothing)']),
      '',
    ].join('\n'),
    { strictHex: true },
  );
}

/** Temp file + hard link: atomic, and never replaces a file that appeared in the meantime. */
async function writeNew(target: string, data: Buffer): Promise<void> {
  try {
    await mkdir(path.dirname(target), { recursive: true });
  } catch (err) {
    throw new RigError('unavailable', `Cannot write ${target}: cannot create the folder ${path.dirname(target)}: ${fsErrorReason(err)}.`, 'Choose a folder you can write to.');
  }
  const tmp = `${target}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    const handle = await open(tmp, 'wx', 0o600);
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch (err) {
    await rm(tmp, { force: true }).catch(() => undefined);
    // The person chose this path: name it and the system's reason, not a log that says nothing more.
    throw new RigError('unavailable', `Cannot write ${target}: ${fsErrorReason(err)}.`, 'Choose a folder you can write to, with free space.');
  }
  try {
    await link(tmp, target);
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    if (code === 'EEXIST') throw new RigError('conflict', `${target} already exists; RigLease does not overwrite files.`, 'Choose another file name.');
    // File systems without hard links (FAT, some network shares): rename, after one more look.
    if ((code === 'EPERM' || code === 'ENOTSUP' || code === 'ENOSYS') && !(await exists(target))) {
      await rename(tmp, target);
      return;
    }
    throw new RigError('unavailable', `Cannot write ${target}: ${(err as Error).message}.`, 'Choose a folder you can write to.');
  } finally {
    await rm(tmp, { force: true });
  }
}

async function exists(file: string): Promise<boolean> {
  try {
    await lstat(file);
    return true;
  } catch (err) {
    // ENOTDIR: a parent is a file, so nothing can be there (mkdir then says why it cannot be written).
    if (isNotFound(err) || (err as { code?: unknown }).code === 'ENOTDIR') return false;
    throw err;
  }
}
