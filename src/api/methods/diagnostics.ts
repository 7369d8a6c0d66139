import { z } from 'zod';
import { method } from '../method.js';
import { DiagnosticsExportInput, DiagnosticsExportResult, DiagnosticsReport, RepairPreview, RepairPreviewInput, RepairRunInput } from '../schemas/diagnostics.js';
import { TaskRef } from '../schemas/task.js';

export const diagnosticsMethods = {
  'diagnostics.checks': method({
    input: z.object({}).strict(),
    output: DiagnosticsReport,
    summary: 'Run every diagnostic check (hardware, Docker, settings, logs, disk) and say what to fix',
  }),
  'diagnostics.export': method({
    input: DiagnosticsExportInput,
    output: DiagnosticsExportResult,
    summary: 'Write a zip of logs, settings and state with every secret removed, for a bug report',
  }),
  'diagnostics.repairPreview': method({
    input: RepairPreviewInput,
    output: RepairPreview,
    summary: 'Say what a repair action (restart stack, reset k3s, factory reset) deletes and keeps, with a token to confirm it',
  }),
  'diagnostics.repair': method({
    input: RepairRunInput,
    output: TaskRef,
    summary: 'Run a previewed repair action as a task (needs the confirm token from diagnostics.repairPreview)',
  }),
} as const;
