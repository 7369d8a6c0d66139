import { z } from 'zod';

export const DiagnosticStatus = z.enum(['ok', 'warn', 'fail']);
export type DiagnosticStatus = z.infer<typeof DiagnosticStatus>;

/** One independent check: what was looked at, how it went, why, and what to do. */
export const DiagnosticCheck = z.object({
  id: z.string(),
  /** What is checked, as a person would say it: "Docker engine answers". */
  what: z.string(),
  status: DiagnosticStatus,
  /** One sentence: why this status. */
  why: z.string(),
  /** The concrete fix; null when nothing is to be done. */
  fix: z.string().nullable(),
  docsUrl: z.string().nullable(),
  /** Which part of the agent the check belongs to: hardware, docker, files… */
  area: z.string(),
});
export type DiagnosticCheck = z.infer<typeof DiagnosticCheck>;

export const DiagnosticsReport = z.object({
  checkedAt: z.string(),
  durationMs: z.number().nonnegative(),
  /** The worst status of all checks. */
  overall: DiagnosticStatus,
  checks: z.array(DiagnosticCheck),
});
export type DiagnosticsReport = z.infer<typeof DiagnosticsReport>;

export const DiagnosticsExportInput = z
  .object({
    /**
     * Where to write the zip (must end in .zip and must not exist yet). Default: a new file in
     * the data folder's `diagnostics/` folder.
     */
    path: z.string().min(1).max(4096).optional(),
  })
  .strict();

export const DiagnosticsExportResult = z.object({
  path: z.string(),
  bytes: z.number().int().nonnegative(),
  /** Files in the zip (paths inside it). */
  files: z.array(z.string()),
  /** Files of the data folder left out, and why (secret stores are never included). */
  leftOut: z.array(z.object({ file: z.string(), reason: z.string() })),
});
export type DiagnosticsExportResult = z.infer<typeof DiagnosticsExportResult>;
