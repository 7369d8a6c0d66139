import { z } from 'zod';

/** A number the hardware could not tell us is `null`, never "N/A" and never a string with units. */
const n = z.number().nullable();

export const GpuProcess = z.object({
  pid: z.number().int(),
  name: z.string(),
  /** MiB of GPU memory the process holds; null where the driver will not say (WDDM, vGPU). */
  usedMiB: n,
  type: z.string().nullable(),
});
export type GpuProcess = z.infer<typeof GpuProcess>;

export const AkashGpuIdentity = z.object({
  /** Lower-case model as Akash's provider-configs gpus.json names it, e.g. `rtx4090`, `a100`. */
  model: z.string(),
  /** VRAM as Akash writes it in attributes, e.g. `24Gi`. */
  ram: z.string(),
  interface: z.enum(['pcie', 'sxm', 'mig']),
});
export type AkashGpuIdentity = z.infer<typeof AkashGpuIdentity>;

export const GpuInfo = z.object({
  index: z.number().int().nonnegative(),
  uuid: z.string().nullable(),
  name: z.string(),
  brand: z.string().nullable(),
  architecture: z.string().nullable(),
  vramMiB: n,
  driverVersion: z.string().nullable(),
  cudaVersion: z.string().nullable(),
  pciBusId: z.string().nullable(),
  /** PCI device and sub-system ids: board-partner cards are the ones Akash's inventory misses. */
  pciDeviceId: z.string().nullable(),
  pciSubSystemId: z.string().nullable(),
  temperatureC: n,
  powerDrawW: n,
  powerLimitW: n,
  /** The most the board may be set to draw; the power floor uses it when there is no draw reading. */
  powerMaxLimitW: n,
  utilizationPct: n,
  memoryUsedMiB: n,
  fanPct: n,
  migEnabled: z.boolean().nullable(),
  /** WDDM on Windows, TCC/none elsewhere: WDDM hides per-process memory. */
  driverModel: z.string().nullable(),
  virtualized: z.boolean(),
  processes: z.array(GpuProcess),
  akash: AkashGpuIdentity.nullable(),
});
export type GpuInfo = z.infer<typeof GpuInfo>;

export const NvidiaState = z.enum([
  'ok',
  'absent',
  'driver_not_loaded',
  'library_missing',
  'no_devices',
  'version_mismatch',
  'permission_denied',
  'timeout',
  'garbage',
  'failed',
]);
export type NvidiaState = z.infer<typeof NvidiaState>;

export const NvidiaStatus = z.object({
  state: NvidiaState,
  /** The executable that ran (or was looked for). */
  path: z.string().nullable(),
  message: z.string(),
  driverVersion: z.string().nullable(),
  cudaVersion: z.string().nullable(),
  durationMs: z.number().nonnegative(),
});
export type NvidiaStatus = z.infer<typeof NvidiaStatus>;

export const OsKind = z.enum(['linux', 'wsl2', 'windows', 'macos', 'other']);
export type OsKind = z.infer<typeof OsKind>;

export const SystemInfo = z.object({
  hostname: z.string(),
  os: z.object({
    kind: OsKind,
    platform: z.string(),
    distro: z.string().nullable(),
    release: z.string().nullable(),
    kernel: z.string().nullable(),
  }),
  arch: z.string(),
  cpu: z.object({
    model: z.string(),
    vendor: z.string().nullable(),
    cores: z.number().int().nullable(),
    threads: z.number().int().nullable(),
    /** Hardware virtualization (VT-x/AMD-V) as the OS reports it; null when it cannot tell. */
    virtualization: z.boolean().nullable(),
  }),
  memory: z.object({ totalMiB: z.number(), availableMiB: z.number() }),
  disk: z
    .object({
      /** The folder measured: Docker's data root when Docker answered, else the home folder. */
      path: z.string(),
      mount: z.string().nullable(),
      totalMiB: z.number(),
      freeMiB: z.number(),
    })
    .nullable(),
});
export type SystemInfo = z.infer<typeof SystemInfo>;

export const DockerProblem = z.enum(['absent', 'not_running', 'permission_denied', 'timeout', 'error']);

export const DockerStatus = z.object({
  /** The endpoint we tried: `unix:///var/run/docker.sock`, `npipe:////./pipe/docker_engine`, `tcp://…`. */
  endpoint: z.string(),
  found: z.boolean(),
  reachable: z.boolean(),
  problem: DockerProblem.nullable(),
  message: z.string(),
  version: z.string().nullable(),
  apiVersion: z.string().nullable(),
  os: z.string().nullable(),
  /** "Docker Desktop" or the engine's OperatingSystem string. */
  operatingSystem: z.string().nullable(),
  rootDir: z.string().nullable(),
  runtimes: z.array(z.string()),
  defaultRuntime: z.string().nullable(),
  cdiSpecDirs: z.array(z.string()),
  /** True when the engine can hand GPUs to a container: an `nvidia` runtime or CDI devices. */
  gpuCapable: z.boolean(),
  nvidiaToolkit: z.object({ present: z.boolean(), how: z.string().nullable() }),
});
export type DockerStatus = z.infer<typeof DockerStatus>;

export const CheckStatus = z.enum(['ok', 'warn', 'block']);
export type CheckStatus = z.infer<typeof CheckStatus>;

export const Check = z.object({
  id: z.string(),
  status: CheckStatus,
  title: z.string(),
  /** One sentence: why. */
  detail: z.string(),
  /** The concrete fix: a command, a setting or a link. Null when nothing is to be done. */
  fix: z.string().nullable(),
  link: z.string().nullable(),
});
export type Check = z.infer<typeof Check>;

export const Verdict = z.enum(['ready', 'needs_attention', 'blocked']);

/**
 * Blocking checks that make providing impossible whatever the person says: no Docker engine to
 * run the stack in, a system or processor Akash does not support, no NVIDIA GPU or driver at all.
 * Every other block (fewer CPU threads or less disk than Akash asks, no GPU runtime in Docker,
 * which leaves a CPU-only provider) can be accepted knowingly. Here, in the contract, because the
 * wizard, the rig's state and the Set up screen must agree on which blocks can be skipped.
 */
export const HARD_BLOCK_IDS: readonly string[] = ['os', 'arch', 'docker.engine', 'docker.version', 'gpu.present', 'gpu.driver'];

export const HardwareReport = z.object({
  scannedAt: z.string(),
  durationMs: z.number().nonnegative(),
  verdict: Verdict,
  gpus: z.array(GpuInfo),
  nvidia: NvidiaStatus,
  system: SystemInfo,
  docker: DockerStatus,
  checks: z.array(Check),
});
export type HardwareReport = z.infer<typeof HardwareReport>;

export const TelemetrySample = z.object({
  index: z.number().int().nonnegative(),
  uuid: z.string().nullable(),
  utilizationPct: n,
  memoryUsedMiB: n,
  memoryTotalMiB: n,
  temperatureC: n,
  powerDrawW: n,
  powerLimitW: n,
  fanPct: n,
  smClockMHz: n,
});
export type TelemetrySample = z.infer<typeof TelemetrySample>;

export const TelemetryEvent = z.object({
  at: z.number(),
  samples: z.array(TelemetrySample),
  /** Set when the stream is down; samples is then empty. */
  error: z.string().nullable(),
});
export type TelemetryEvent = z.infer<typeof TelemetryEvent>;
