import { z } from 'zod';

/**
 * The field test's data: what each step says about itself and what the report holds. Schemas
 * (not bare types) because the report is a file a person attaches to a bug, and tests and
 * tools read it back.
 */

export const FieldStepStatus = z.enum(['passed', 'failed', 'not_run']);
export type FieldStepStatus = z.infer<typeof FieldStepStatus>;

/** The exact thing that failed, so a bug report can be reproduced by pasting `command`. */
export const FieldFailure = z.object({
  command: z.string(),
  /** The command's exit code; null when it did not run to an exit (a refused connection, a timeout). */
  exitCode: z.number().int().nullable(),
  /** The last lines of its output (stderr first, then stdout), redacted. */
  output: z.array(z.string()),
});
export type FieldFailure = z.infer<typeof FieldFailure>;

/** What a step's check returns: passed or failed, in plain words, with the evidence. */
export interface StepOutcome {
  ok: boolean;
  summary: string;
  /** One line per thing checked (a GPU, a pod, a CRD), for the report. */
  details?: string[];
  failure?: FieldFailure;
  fix?: string;
}

export const FieldStepResult = z.object({
  n: z.number().int().positive(),
  id: z.string(),
  title: z.string(),
  status: FieldStepStatus,
  summary: z.string(),
  details: z.array(z.string()),
  failure: FieldFailure.nullable(),
  fix: z.string().nullable(),
  durationMs: z.number().int().nonnegative(),
});
export type FieldStepResult = z.infer<typeof FieldStepResult>;

export const MachineFacts = z.object({
  os: z.string().nullable(),
  kernel: z.string().nullable(),
  arch: z.string(),
  docker: z.string().nullable(),
  driver: z.string().nullable(),
  gpus: z.array(z.string()),
  riglease: z.string(),
  node: z.string(),
  /** Every pinned image and chart (images.ts), plus the images this run actually used. */
  pins: z.record(z.string(), z.string()),
  images: z.record(z.string(), z.string()),
});
export type MachineFacts = z.infer<typeof MachineFacts>;

export const FieldTestReport = z.object({
  kind: z.literal('riglease-field-test'),
  version: z.literal(1),
  startedAt: z.string(),
  endedAt: z.string(),
  passed: z.boolean(),
  cancelled: z.boolean(),
  /** What happened to the stack after the test (kept running, stopped again, …). */
  afterwards: z.string(),
  machine: MachineFacts,
  steps: z.array(FieldStepResult),
});
export type FieldTestReport = z.infer<typeof FieldTestReport>;

/** The last `n` non-empty lines of a command's output, stderr first (that is where tools say why). */
export function lastLines(stderr: string, stdout: string, n = 20): string[] {
  const lines = `${stderr}\n${stdout}`.split('\n').map((l) => l.trimEnd()).filter((l) => l.trim() !== '');
  return lines.slice(-n).map((l) => (l.length > 400 ? `${l.slice(0, 400)}…` : l));
}
