import { z } from 'zod';
import { method } from '../method.js';
import { DiagnosticsExportInput, DiagnosticsExportResult, DiagnosticsReport } from '../schemas/diagnostics.js';

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
} as const;
