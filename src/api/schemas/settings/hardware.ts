import { z } from 'zod';

export const HardwareSettings = z
  .object({
    /** Full path of nvidia-smi when it is not on PATH; `RIGLEASE_NVIDIA_SMI` wins over this. */
    nvidiaSmiPath: z.string().min(1).nullable().default(null),
    /** How long one `nvidia-smi -q -x` may take before it is killed. */
    scanTimeoutMs: z.number().int().min(1000).max(120_000).default(8000),
    /** GPU telemetry period while a screen shows it. */
    telemetryIntervalMs: z.number().int().min(250).max(60_000).default(1000),
  })
  .strict();
