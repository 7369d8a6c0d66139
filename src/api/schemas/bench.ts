import { z } from 'zod';
import { ApiErrorShape } from '../errors.js';

/** A figure the hardware or the tool could not give is `null`, never 0. */
const n = z.number().nullable();

export const BenchKind = z.enum(['gpu', 'disk', 'network', 'ports', 'stability', 'all']);
export type BenchKind = z.infer<typeof BenchKind>;
export const BenchSection = z.enum(['gpu', 'disk', 'network', 'ports', 'stability']);
export type BenchSection = z.infer<typeof BenchSection>;

/** CUDA n-body sample in benchmark mode (`nbody -benchmark`), as it printed it. */
export const GpuBench = z.object({
  gpuUuid: z.string().nullable(),
  /** The device name nbody printed (`> Compute 7.5 CUDA device: [...]`). */
  device: z.string().nullable(),
  computeCapability: z.string().nullable(),
  bodies: z.number().int().positive(),
  iterations: z.number().int().positive(),
  totalTimeMs: z.number().nonnegative(),
  interactionsPerSecondBillion: z.number().nonnegative(),
  gflops: z.number().nonnegative(),
  precision: z.enum(['single', 'double']),
  image: z.string(),
  durationMs: z.number().nonnegative(),
});
export type GpuBench = z.infer<typeof GpuBench>;

export const DiskBench = z.object({
  method: z.enum(['fio', 'fio-container', 'builtin']),
  /** The folder the test file was written in (Docker's data root when known, else home). */
  path: z.string(),
  testMiB: z.number().positive(),
  seqWriteMBps: n,
  seqReadMBps: n,
  randReadIops: n,
  /** Mean completion latency of the random reads, microseconds. */
  randReadLatencyUs: n,
  randWriteIops: n,
  notes: z.array(z.string()),
});
export type DiskBench = z.infer<typeof DiskBench>;

export const AddressKind = z.enum(['public', 'private', 'cgnat', 'loopback', 'link_local', 'unknown']);

export const NatPmpOutcome = z.object({
  state: z.enum(['ok', 'no_response', 'refused', 'error', 'no_gateway']),
  gateway: z.string().nullable(),
  externalAddress: z.string().nullable(),
  message: z.string(),
});
export type NatPmpOutcome = z.infer<typeof NatPmpOutcome>;

export const NetworkBench = z.object({
  interfaceName: z.string().nullable(),
  localAddress: z.string().nullable(),
  localKind: AddressKind,
  gateway: z.string().nullable(),
  publicAddress: z.string().nullable(),
  /** true: private address on the default interface (a router does NAT); null: could not tell. */
  behindNat: z.boolean().nullable(),
  /** Carrier-grade NAT: the router's outside address is itself shared; port forwarding cannot work. */
  carrierNat: z.boolean(),
  natPmp: NatPmpOutcome.nullable(),
  downloadMbps: n,
  uploadMbps: n,
  latencyMs: n,
  /** What each figure means and what to do, in plain words. */
  explanation: z.array(z.string()),
  notTested: z.array(z.string()),
});
export type NetworkBench = z.infer<typeof NetworkBench>;

/** open: reachable from outside; closed: not reachable (refused or dropped, see `probe`); not_tested: no probe answered. */
export const PortState = z.enum(['open', 'closed', 'not_tested']);
export const PortsBench = z.object({
  probeUrl: z.string().nullable(),
  tested: z.boolean(),
  reason: z.string(),
  ports: z.array(
    z.object({
      port: z.number().int(),
      purpose: z.string(),
      state: PortState,
      detail: z.string(),
      /** What the outside probe saw: connected (open), refused (closed: RST) or no answer (filtered: dropped). */
      probe: z.enum(['open', 'closed', 'filtered']).nullable().optional(),
      /** How long the outside probe's connection attempt took (to succeed, be refused or give up). */
      ms: z.number().nonnegative().nullable().optional(),
    }),
  ),
  advice: z.array(z.string()),
});
export type PortsBench = z.infer<typeof PortsBench>;

export const StabilityGpu = z.object({
  index: z.number().int().nonnegative(),
  uuid: z.string().nullable(),
  name: z.string().nullable(),
  samples: z.number().int().nonnegative(),
  maxTemperatureC: n,
  avgTemperatureC: n,
  maxPowerW: n,
  avgPowerW: n,
  powerLimitW: n,
  minSmClockMHz: n,
  maxSmClockMHz: n,
  /** Share of samples in which a slowdown reason other than "idle" was active. */
  throttledPct: z.number().min(0).max(100),
  /** Every reason seen, by name (`sw_power_cap`, `hw_thermal_slowdown`…). */
  reasonsSeen: z.array(z.string()),
});
export const StabilityFlag = z.object({ severity: z.enum(['info', 'warn', 'block']), message: z.string() });
export const StabilityBench = z.object({
  minutes: z.number().positive(),
  loadImage: z.string().nullable(),
  /** False when no load could be put on the GPU (the figures are then idle figures). */
  loadRan: z.boolean(),
  gpus: z.array(StabilityGpu),
  flags: z.array(StabilityFlag),
});
export type StabilityBench = z.infer<typeof StabilityBench>;

/** A published figure for the same GPU model, with where it was read. */
export const ReferenceFigure = z.object({ gpuName: z.string(), gflops: z.number(), source: z.string(), ratio: z.number() });

/** One run of one or more sections, as stored in history (append-only JSON lines). */
export const BenchRun = z.object({
  id: z.string(),
  at: z.string(),
  kinds: z.array(BenchSection),
  driverVersion: z.string().nullable(),
  gpus: z.array(z.object({ uuid: z.string().nullable(), name: z.string() })),
  gpu: GpuBench.nullable(),
  disk: DiskBench.nullable(),
  network: NetworkBench.nullable(),
  ports: PortsBench.nullable(),
  stability: StabilityBench.nullable(),
  reference: ReferenceFigure.nullable(),
  /** Sections that could not finish, with the reason a person can act on. */
  errors: z.array(z.object({ section: BenchSection, error: ApiErrorShape })),
});
export type BenchRun = z.infer<typeof BenchRun>;

export const BenchRunInput = z
  .object({
    kind: BenchKind.default('all'),
    /** GPU to benchmark (uuid from the hardware scan); default the first GPU. */
    gpuUuid: z.string().min(1).optional(),
    /** Stability run length; only used by kind `stability`. */
    minutes: z.number().min(0.1).max(240).default(5),
  })
  .strict();

export const RungId = z.enum(['driver', 'docker', 'kubernetes', 'bid_engine']);
export type RungId = z.infer<typeof RungId>;
export const RungState = z.enum(['green', 'red', 'unknown', 'skipped']);
export type RungState = z.infer<typeof RungState>;
export const LadderRung = z.object({
  id: RungId,
  title: z.string(),
  state: RungState,
  reason: z.string(),
  fix: z.string().nullable(),
  durationMs: z.number().nonnegative(),
});
export type LadderRung = z.infer<typeof LadderRung>;
export const Ladder = z.object({
  checkedAt: z.string(),
  rungs: z.array(LadderRung),
  /** The first rung that is not green, or null when all are. */
  stopsAt: RungId.nullable(),
});
export type Ladder = z.infer<typeof Ladder>;

export const BenchHistory = z.object({
  runs: z.array(BenchRun),
  rerun: z.object({ suggested: z.boolean(), reasons: z.array(z.string()) }),
});
export type BenchHistory = z.infer<typeof BenchHistory>;

/** Asking the router (NAT-PMP, RFC 6886, then UPnP IGD) to forward the provider ports to this machine. */
export const PortMapInput = z
  .object({
    /** How long the router keeps each mapping; RigLease asks again at half-time while it runs. */
    lifetimeSec: z.number().int().min(60).max(86_400).default(7200),
    /** true: remove the mappings RigLease made (and stop renewing them) instead of making them. */
    remove: z.boolean().default(false),
  })
  .strict();
export const PortMapMethod = z.enum(['nat-pmp', 'upnp']);
export const PortMapResult = z.object({
  gateway: z.string().nullable(),
  /** Which protocol the router answered; null when neither worked (then `advice` says what to forward by hand). */
  method: PortMapMethod.nullable(),
  /** The router's outside address as the router reports it, when it does. */
  externalAddress: z.string().nullable(),
  /** What was tried, in order, and what came of it (e.g. "NAT-PMP: no answer", "UPnP: D-Link Router, WANIPConnection:1"). */
  attempts: z.array(z.string()),
  /** When RigLease asks the router again (ISO time); null when nothing is mapped or the mappings are permanent. */
  renewsAt: z.string().nullable(),
  mappings: z.array(
    z.object({
      /** The port tenants use from outside (80, 443, 8443, 8444). */
      port: z.number().int(),
      /** The port on this machine the stack publishes it on (stack.ports). */
      internalPort: z.number().int(),
      ok: z.boolean(),
      /** The outside port the router chose; it may differ from the one asked for. */
      externalPort: z.number().int().nullable(),
      lifetimeSec: z.number().int().nullable(),
      message: z.string(),
    }),
  ),
  advice: z.array(z.string()),
});
export type PortMapResult = z.infer<typeof PortMapResult>;

/** `bench.portsStatus`: what is known without asking anyone (no router, no probe). */
export const PortsStatus = z.object({
  local: z.object({ interfaceName: z.string().nullable(), localAddress: z.string().nullable(), localKind: AddressKind, gateway: z.string().nullable() }),
  /** The router mappings RigLease holds (remembered across restarts), or null. */
  held: z
    .object({
      method: PortMapMethod,
      gateway: z.string(),
      /** When the router granted them. */
      at: z.string(),
      /** True while this process renews them at half their lifetime. */
      renewing: z.boolean(),
      mappings: z.array(
        z.object({
          port: z.number().int(),
          internalPort: z.number().int(),
          externalPort: z.number().int(),
          lifetimeSec: z.number().int(),
          /** null: permanent. */
          expiresAt: z.string().nullable(),
          expired: z.boolean(),
        }),
      ),
    })
    .nullable(),
  /** The latest stored outside check (`riglease bench ports`), or null. */
  lastCheck: z.object({ at: z.string(), ports: PortsBench }).nullable(),
  advice: z.array(z.string()),
});
export type PortsStatus = z.infer<typeof PortsStatus>;
