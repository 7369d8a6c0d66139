import { randomBytes } from 'node:crypto';
import { chmod, mkdir, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { isSecretKey, rememberSecretValue } from '../../util/redact.js';
import { redactFileText, redactJsonValue } from './export-redaction.js';
import { FieldTestReport, type FieldStepResult } from './field-test-model.js';

/** Under the data folder, beside the diagnostics exports. */
export const REPORTS_DIR = 'reports';

export function defaultReportPath(home: string, now: Date): string {
  return path.join(home, REPORTS_DIR, `field-test-${now.toISOString().replace(/[:.]/g, '-')}.json`);
}

/** The readable summary goes beside the JSON: `x.json` → `x.txt` (any other name gets `.txt` added). */
export function textPathFor(jsonPath: string): string {
  return jsonPath.toLowerCase().endsWith('.json') ? `${jsonPath.slice(0, -5)}.txt` : `${jsonPath}.txt`;
}

/**
 * The report with every secret removed by the diagnostics bundle's rules (phrases, keys,
 * tokens, PEM keys, secret-named environment values such as RIGLEASE_PASSPHRASE). The field test
 * never reads the wallet Secret, but command output could carry anything.
 */
export function redactReport(report: FieldTestReport, env: NodeJS.ProcessEnv): FieldTestReport {
  for (const [k, v] of Object.entries(env)) if (v && isSecretKey(k)) rememberSecretValue(v);
  return FieldTestReport.parse(redactJsonValue(report));
}

const MARK: Record<FieldStepResult['status'], string> = { passed: 'PASS', failed: 'FAIL', not_run: 'SKIP' };

export function formatReport(r: FieldTestReport): string {
  const passed = r.steps.filter((s) => s.status === 'passed').length;
  const lines = [
    `RigLease field test: ${r.passed ? 'every step passed' : r.cancelled ? 'cancelled' : `${passed} of ${r.steps.length} steps passed`}`,
    `${r.startedAt} → ${r.endedAt}`,
    '',
  ];
  for (const s of r.steps) {
    lines.push(`${MARK[s.status]}  ${s.n}. ${s.title}: ${s.summary}${s.durationMs >= 1000 ? ` (${Math.round(s.durationMs / 1000)} s)` : ''}`);
    for (const d of s.details) lines.push(`        ${d}`);
    if (s.failure) {
      lines.push(`      command: ${s.failure.command}`);
      lines.push(`      exit code: ${s.failure.exitCode ?? 'none (it did not run to an exit)'}`);
      if (s.failure.output.length) lines.push('      output (last lines):', ...s.failure.output.map((l) => `        | ${l}`));
    }
    if (s.fix) lines.push(`      what to do: ${s.fix}`);
  }
  const m = r.machine;
  lines.push(
    '',
    `Afterwards: ${r.afterwards}`,
    '',
    'This machine:',
    `  OS ${m.os ?? 'unknown'}, kernel ${m.kernel ?? 'unknown'}, ${m.arch}`,
    `  Docker ${m.docker ?? 'unknown'}`,
    `  NVIDIA driver ${m.driver ?? 'not found'}`,
    `  GPUs: ${m.gpus.join('; ') || 'none found'}`,
    `  RigLease ${m.riglease}, Node.js ${m.node}`,
    `  images used: ${Object.entries(m.images).map(([k, v]) => `${k}=${v}`).join(', ') || 'unknown'}`,
    `  pins: ${Object.entries(m.pins).map(([k, v]) => `${k}=${v}`).join(', ')}`,
  );
  return `${lines.join('\n')}\n`;
}

/**
 * Writes the redacted JSON and its text summary, each 0600 (it describes the machine, so only its
 * user reads it), through a temp file + rename so a reader never sees half a report.
 */
export async function writeReport(jsonPath: string, redacted: FieldTestReport): Promise<{ json: string; text: string }> {
  const dir = path.dirname(jsonPath);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const text = textPathFor(jsonPath);
  await atomicWrite(jsonPath, `${JSON.stringify(redacted, null, 2)}\n`);
  await atomicWrite(text, redactFileText('field-test.txt', formatReport(redacted)));
  return { json: jsonPath, text };
}

async function atomicWrite(file: string, body: string): Promise<void> {
  const tmp = `${file}.${randomBytes(4).toString('hex')}.tmp`;
  await writeFile(tmp, body, { mode: 0o600 });
  // The mode given to writeFile is reduced by the umask; 0600 is the point, so set it outright.
  await chmod(tmp, 0o600);
  await rename(tmp, file);
}
