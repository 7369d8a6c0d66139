import { z } from 'zod';
import { method } from '../method.js';
import { DashboardSummary, RigStatusReport } from '../schemas/dashboard.js';

/** The dashboard in one call (issue 7): status line, GPUs, leases, earnings series, benchmarks, alerts. */
export const dashboardMethods = {
  'dashboard.summary': method({
    input: z.object({}).strict(),
    output: DashboardSummary,
    summary: 'The rig in one answer: status in plain words (with why it is not earning), GPUs, active leases, earnings 24 h / 7 d / 30 d, latest benchmark, alerts',
  }),
  'rig.status': method({
    input: z.object({}).strict(),
    output: RigStatusReport,
    summary: 'The rig\'s one state in plain words (not ready, not set up, online, paused, gaming, offline, a fault), the first thing to fix and where, and every alert',
  }),
} as const;
