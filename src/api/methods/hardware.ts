import { z } from 'zod';
import { method } from '../method.js';
import { HardwareReport } from '../schemas/hardware.js';

export const hardwareMethods = {
  'hardware.scan': method({
    input: z
      .object({
        /** Reuse the last report when it is younger than this (ms); 0 forces a new scan. */
        maxAgeMs: z.number().int().min(0).max(3_600_000).default(0),
      })
      .strict(),
    output: HardwareReport,
    summary: 'Scan GPUs, system and Docker and say whether this machine can be an Akash GPU provider',
  }),
} as const;
