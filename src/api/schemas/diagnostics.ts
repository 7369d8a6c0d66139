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

/** The graduated repair actions, mildest first. */
export const RepairAction = z.enum(['restart-stack', 'reset-k3s', 'factory-reset']);
export type RepairAction = z.infer<typeof RepairAction>;

export const RepairPreviewInput = z
  .object({
    action: RepairAction,
    /** Factory reset only: also erase the wallet (recovery phrase, provider key and certificate key). */
    wipeWallet: z.boolean().default(false),
  })
  .strict();

/** What an action would do, said before it runs; `confirmToken` lets exactly this action run once. */
export const RepairPreview = z.object({
  action: RepairAction,
  title: z.string(),
  /** Everything it deletes, one item a line, by name. Empty for a restart. */
  deletes: z.array(z.string()),
  /** What it keeps, by name. */
  keeps: z.array(z.string()),
  /** What the user will notice (leases, restart needed…). */
  consequences: z.string(),
  wipeWallet: z.boolean(),
  confirmToken: z.string(),
  expiresAt: z.string(),
});
export type RepairPreview = z.infer<typeof RepairPreview>;

export const RepairRunInput = z
  .object({
    action: RepairAction,
    wipeWallet: z.boolean().default(false),
    /** From `diagnostics.repairPreview` for the same action and wipeWallet; single use, 10 minutes. */
    confirmToken: z.string().min(1).max(200),
  })
  .strict();
