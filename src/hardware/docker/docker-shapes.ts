import { z } from 'zod';

/**
 * The parts of the Engine API's `GET /info` and `GET /version` replies we read. Loose on
 * purpose (`.loose()`): engines from 20.10 to 28 add fields; every field we use is optional
 * because older engines lack CDISpecDirs (API 1.45+) and DiscoveredDevices (API 1.50+).
 */
export const DockerInfoShape = z
  .object({
    ServerVersion: z.string().optional(),
    OSType: z.string().optional(),
    OperatingSystem: z.string().optional(),
    DockerRootDir: z.string().optional(),
    DefaultRuntime: z.string().optional(),
    Runtimes: z.record(z.string(), z.unknown()).nullish(),
    CDISpecDirs: z.array(z.string()).nullish(),
    DiscoveredDevices: z.array(z.object({ Source: z.string().optional(), ID: z.string().optional() }).loose()).nullish(),
  })
  .loose();

export const DockerVersionShape = z
  .object({
    Version: z.string().optional(),
    ApiVersion: z.string().optional(),
    Os: z.string().optional(),
  })
  .loose();
