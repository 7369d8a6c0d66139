import { z } from 'zod';

/**
 * What the rig is doing, in one word; the status line says it in plain words. not_ready: the
 * machine cannot provide yet (Docker, GPU, system); setup: not set up yet (wallet, stack);
 * not_bidding: a fault stops bids; gaming: paused by a game.
 */
export const RigState = z.enum(['earning', 'bidding', 'not_bidding', 'paused', 'gaming', 'offline', 'setup', 'not_ready', 'unknown']);
export type RigState = z.infer<typeof RigState>;
export const StatusLevel = z.enum(['ok', 'warn', 'block', 'info']);
export type StatusLevel = z.infer<typeof StatusLevel>;

export const RigStatus = z.object({
  state: RigState,
  level: StatusLevel,
  /** "Not bidding: price above market for RTX 4090" — the reason is in the text when not earning. */
  text: z.string(),
  /** What to do about it; null when nothing needs doing. */
  fix: z.string().nullable(),
  /** Which screen fixes it (a route such as `/pricing`), when one does. */
  route: z.string().nullable(),
});
export type RigStatus = z.infer<typeof RigStatus>;

export const DashboardAlert = z.object({
  id: z.string(),
  level: StatusLevel,
  text: z.string(),
  fix: z.string().nullable(),
  route: z.string().nullable(),
});
export type DashboardAlert = z.infer<typeof DashboardAlert>;

export const DashboardGpu = z.object({
  index: z.number().int().nonnegative(),
  uuid: z.string().nullable(),
  name: z.string(),
  memoryTotalMiB: z.number().nullable(),
  powerLimitW: z.number().nullable(),
});

export const DashboardLease = z.object({
  id: z.string(),
  tenant: z.string(),
  /** "rtx4090 24Gi"; null when the lease's group is not known. */
  gpu: z.string().nullable(),
  resources: z.string().nullable(),
  denom: z.string(),
  pricePerBlock: z.number(),
  usdPerHour: z.number().nullable(),
  sinceBlock: z.number().int(),
  /** Estimated from the block height and the average block time. */
  sinceAt: z.string(),
  /** Accrued at the lease price since it started, micro units of `denom`. */
  earnedMicro: z.number(),
  earnedUsd: z.number().nullable(),
  /** AEP-82: unix seconds the notice given on this lease ends (it runs until then); absent/null when no notice was given. */
  noticeDeadline: z.number().int().nullable().optional(),
});
export type DashboardLease = z.infer<typeof DashboardLease>;

export const EarningsRange = z.enum(['24h', '7d', '30d']);
export type EarningsRange = z.infer<typeof EarningsRange>;

export const EarningsPoint = z.object({
  /** Start of the bucket (ISO). */
  at: z.string(),
  grossUsd: z.number(),
  powerUsd: z.number(),
  netUsd: z.number(),
  grossAkt: z.number(),
});
export type EarningsPoint = z.infer<typeof EarningsPoint>;

export const EarningsSeries = z.object({
  range: EarningsRange,
  bucketMinutes: z.number().int().positive(),
  points: z.array(EarningsPoint),
  totals: z.object({ grossUsd: z.number(), powerUsd: z.number(), netUsd: z.number(), grossAkt: z.number() }),
});
export type EarningsSeries = z.infer<typeof EarningsSeries>;

export const DashboardBench = z.object({
  at: z.string(),
  gpuName: z.string().nullable(),
  gflops: z.number().nullable(),
  referenceRatio: z.number().nullable(),
  diskSeqReadMBps: z.number().nullable(),
  downMbps: z.number().nullable(),
  portsOpen: z.array(z.number().int()),
  portsClosed: z.array(z.number().int()),
});

/** A piece the dashboard could not read; the rest of the answer is still right. */
export const DashboardGap = z.object({ part: z.string(), message: z.string() });
export type DashboardGap = z.infer<typeof DashboardGap>;

export const DashboardSummary = z.object({
  checkedAt: z.string(),
  demo: z.boolean(),
  status: RigStatus,
  gpus: z.array(DashboardGpu),
  leases: z.array(DashboardLease),
  earnings: z.object({
    usdPerAkt: z.number().nullable(),
    /** Power cost per leased GPU-hour that "net" subtracts (from the pricing power settings). */
    powerUsdPerGpuHour: z.number().nullable(),
    series: z.array(EarningsSeries),
  }),
  bench: DashboardBench.nullable(),
  alerts: z.array(DashboardAlert),
  gaps: z.array(DashboardGap),
});
export type DashboardSummary = z.infer<typeof DashboardSummary>;

/** The rig's one state, derived once in the agent: the top bar, the tray and `riglease status` show it. */
export const RigStatusReport = z.object({
  checkedAt: z.string(),
  demo: z.boolean(),
  status: RigStatus,
  alerts: z.array(DashboardAlert),
  gaps: z.array(DashboardGap),
});
export type RigStatusReport = z.infer<typeof RigStatusReport>;
