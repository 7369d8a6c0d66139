import { z } from 'zod';
import { method } from '../method.js';

export const AppInfo = z.object({
  name: z.literal('RigLease'),
  version: z.string(),
  host: z.enum(['electron', 'headless', 'cli']),
  platform: z.string(),
  home: z.string(),
  demo: z.boolean(),
});
export type AppInfo = z.infer<typeof AppInfo>;

export const appMethods = {
  'app.info': method({ input: z.object({}).strict(), output: AppInfo, summary: 'Version, host kind and data folder of this agent' }),
} as const;
