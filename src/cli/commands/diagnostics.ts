import path from 'node:path';
import type { DiagnosticsExportResult, DiagnosticsReport } from '../../api/schemas/diagnostics.js';
import { parseCommandArgs, type CliCommand } from '../command.js';
import { UsageError } from '../errors.js';
import { callAndPrint } from '../run-method.js';

const MARK: Record<DiagnosticsReport['overall'], string> = { ok: 'ok  ', warn: 'WARN', fail: 'FAIL' };
const RANK: Record<DiagnosticsReport['overall'], number> = { fail: 0, warn: 1, ok: 2 };

export function formatDiagnostics(r: DiagnosticsReport): string {
  const lines = [`Diagnostics: ${r.overall === 'ok' ? 'everything looks fine' : r.overall === 'warn' ? 'some things need attention' : 'something is broken'} (${r.checks.length} checks, ${r.durationMs} ms)`, ''];
  for (const c of [...r.checks].sort((a, b) => RANK[a.status] - RANK[b.status])) {
    lines.push(`${MARK[c.status]}  ${c.what}: ${c.why}`);
    if (c.status !== 'ok' && c.fix) lines.push(`      fix: ${c.fix}`);
    if (c.status !== 'ok' && c.docsUrl) lines.push(`      see: ${c.docsUrl}`);
  }
  return lines.join('\n');
}

export function formatExport(r: DiagnosticsExportResult): string {
  return [
    `Wrote ${r.path} (${Math.ceil(r.bytes / 1024)} KiB, ${r.files.length} files, secrets redacted).`,
    ...r.leftOut.map((l) => `  left out ${l.file}: ${l.reason}`),
    'Attach it to your bug report; look inside first if you like, it is a plain zip.',
  ].join('\n');
}

export const diagnosticsCommand: CliCommand = {
  name: 'diagnostics',
  summary: 'Run every diagnostic check, or export a zip of logs and state with secrets removed',
  help: () => `Usage: riglease diagnostics [--export PATH] [--json]

Without --export: runs the independent checks (hardware readiness, Docker, settings file,
log folder, disk space, state files) and prints each with why and how to fix it.
Exits 0 even when a check fails (the report says so).

With --export PATH: writes a zip (PATH must end in .zip and must not exist) with the logs,
settings, state and the last hardware report, every secret replaced by [redacted]. The
encrypted wallet and other secret files are never included.

Options:
  --export PATH   write the diagnostics zip there (relative paths are from the current folder)
  --json          print the API answer as one JSON object`,
  run: async (args, ctx) => {
    const { values } = parseCommandArgs('diagnostics', args, { json: { type: 'boolean', default: false }, export: { type: 'string' } });
    if (values.export !== undefined) {
      if (values.export.trim() === '') throw new UsageError('--export needs a file name.', 'For example: riglease diagnostics --export riglease-diagnostics.zip');
      return callAndPrint(ctx, 'diagnostics.export', { path: path.resolve(values.export) }, { json: values.json, human: formatExport });
    }
    return callAndPrint(ctx, 'diagnostics.checks', {}, { json: values.json, human: formatDiagnostics });
  },
};
