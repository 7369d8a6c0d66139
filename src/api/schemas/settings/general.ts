import { z } from 'zod';

export const GeneralSettings = z
  .object({
    /** Which Akash network the app works against. */
    network: z.enum(['mainnet', 'sandbox']).default('mainnet'),
    theme: z.enum(['system', 'light', 'dark']).default('system'),
    launchAtLogin: z.boolean().default(false),
  })
  .strict();
