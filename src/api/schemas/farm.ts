import { z } from 'zod';
import { AkashGpuIdentity } from './hardware.js';
import { TaskRef } from './task.js';

/** One GPU of a farm machine: what the scan found plus its latest telemetry from heartbeats. */
export const FleetGpu = z.object({
  index: z.number().int().nonnegative(),
  uuid: z.string().nullable(),
  name: z.string(),
  vramMiB: z.number().nullable(),
  pciSubSystemId: z.string().nullable(),
  akash: AkashGpuIdentity.nullable(),
  utilizationPct: z.number().nullable(),
  temperatureC: z.number().nullable(),
  powerDrawW: z.number().nullable(),
  memoryUsedMiB: z.number().nullable(),
  /** Power limits from the machine's scan, for the pricing's power floor (absent from older members). */
  powerLimitW: z.number().nullable().optional(),
  powerMaxLimitW: z.number().nullable().optional(),
});
export type FleetGpu = z.infer<typeof FleetGpu>;

/** The machine's latest GPU benchmark (CUDA n-body), as its own bench history says. */
export const FleetBench = z.object({ gflops: z.number().nonnegative(), at: z.string(), device: z.string().nullable() });
export type FleetBench = z.infer<typeof FleetBench>;

/** A lease of the farm's provider with what it has earned so far (chain: escrow withdrawn + balance). */
export const FleetLease = z.object({ key: z.string(), state: z.string(), denom: z.string(), accruedMicro: z.number().nullable() });

/** The leases running on one machine's node and its share of the farm's earnings. */
export const FleetMachineLeases = z.object({
  /** False when the cluster did not say where leases run: `leases` is then empty, not "none". */
  known: z.boolean(),
  leases: z.array(FleetLease),
  accruedMicro: z.number(),
  sharePct: z.number().nullable(),
});

export const FarmRole = z.enum(['none', 'controller', 'member']);

/** A machine is answered for by its heartbeats; the controller itself is always `self`. */
export const FleetReachability = z.enum(['self', 'online', 'unreachable']);

/** The most machines one `farm.status` page returns. */
export const FLEET_PAGE_MAX = 200;

export const FleetMachine = z.object({
  machineId: z.string(),
  hostname: z.string(),
  role: z.enum(['controller', 'agent']),
  nodeName: z.string(),
  reachability: FleetReachability,
  /** ISO time of the last heartbeat (the controller: now). */
  lastSeen: z.string().nullable(),
  joinedAt: z.string(),
  /** What the node should be: schedulable, or cordoned because the machine is paused. */
  node: z.object({
    intent: z.enum(['schedulable', 'cordoned']),
    /** Where the intent came from: the fleet view, or the machine's own availability (pause, gaming). */
    reason: z.string().nullable(),
    /** The kubectl command that carries the intent out, and whether it ran. */
    command: z.array(z.string()),
    applied: z.boolean(),
    /** Why it did not run (k3s not answering…), when it did not. */
    note: z.string().nullable(),
  }),
  /** The machine's own availability (online, paused, gaming…) as its last heartbeat said. */
  availability: z.string().nullable(),
  agentContainer: z.enum(['running', 'stopped', 'missing', 'not-applicable', 'unknown']),
  k3sVersion: z.string(),
  gpus: z.array(FleetGpu),
  bench: FleetBench.nullable(),
  /** Controller's view: the leases on this machine's node and its share of the earnings. */
  leases: FleetMachineLeases.optional(),
  /**
   * The LAN address the machine's k3s advertises (`--node-external-ip`: where the other machines
   * reach its kubelet and pod network) and the address its requests to the controller come from.
   * `warning` when they differ: a NAT or the wrong network interface, said in plain words.
   */
  address: z.object({ advertised: z.string().nullable(), seenFrom: z.string().nullable(), warning: z.string().nullable() }).optional(),
});
export type FleetMachine = z.infer<typeof FleetMachine>;

export const FarmStatus = z.object({
  role: FarmRole,
  /** Member: the controller it belongs to. */
  controller: z.object({ hostname: z.string(), api: z.string() }).nullable(),
  machines: z.array(FleetMachine),
  /** Which machines `machines` holds of `totals.machines` (asked with a `limit`). */
  page: z.object({ offset: z.number().int(), limit: z.number().int(), total: z.number().int() }).optional(),
  totals: z.object({ machines: z.number().int(), reachable: z.number().int(), gpus: z.number().int() }),
  /** The provider's on-chain attributes as the whole farm's GPUs make them (controller only). */
  attributes: z.array(z.object({ key: z.string(), value: z.string() })),
  notes: z.array(z.string()),
  /** Controller: the join codes still open (not used, not expired, not revoked), to revoke one from the Fleet screen. */
  codes: z.array(z.object({ id: z.string(), expiresAt: z.string() })).optional(),
  /** Controller: whether the whole farm is paused (the bid table: no bid for any machine), as opposed to one machine's cordon. */
  bidding: z.object({ paused: z.boolean(), reason: z.string().nullable(), since: z.string().nullable() }).optional(),
  /** Controller: how leases were placed on machines (the kubectl query and its outcome) and the leases with no known node. */
  leases: z
    .object({
      query: z.object({ command: z.array(z.string()), applied: z.boolean(), note: z.string().nullable() }),
      /** From the chain; null when the chain could not be asked (no wallet, unreachable), with the reason. */
      chainNote: z.string().nullable(),
      total: z.number().int(),
      unplaced: z.array(FleetLease),
    })
    .optional(),
});
export type FarmStatus = z.infer<typeof FarmStatus>;

/**
 * One page of the fleet: `offset` machines skipped, at most `limit` returned, in a stable order
 * (the controller first, then members by when they joined). Without `limit`, every machine.
 */
export const FarmStatusInput = z
  .object({
    offset: z.number().int().min(0).max(1_000_000).default(0),
    limit: z.number().int().min(1).max(FLEET_PAGE_MAX).optional(),
  })
  .strict();

/**
 * The fleet changed on the controller (a heartbeat, a join or leave, a node's intent, a machine
 * that stopped answering): a window showing a page of it asks for that page again. At most one
 * per second; carries no rows, so a farm of any size costs the same to announce.
 */
export const FarmChanged = z.object({
  /** Counts up in this process; a gap means changes were folded together. */
  revision: z.number().int().min(1),
  at: z.string(),
  /** `state`: farm.json was written (here or by another process); `reachability`: a machine crossed `farm.unreachableAfterSec`. */
  reason: z.enum(['state', 'reachability']),
});
export type FarmChanged = z.infer<typeof FarmChanged>;

export const FarmToken = z.object({
  /** The join code: a secret (it holds the code's own k3s bootstrap token and the pairing secret). */
  code: z.string(),
  /** The code's id, to revoke it (`riglease farm token revoke ID`); not a secret. */
  tokenId: z.string().optional(),
  expiresAt: z.string(),
  k3sUrl: z.string(),
  api: z.string(),
  notes: z.array(z.string()),
  /**
   * Whether the provider stack already accepts machines (k3s published with the farm's ports and
   * address). A stack set up before this machine was a controller is re-created as a task when no
   * lease runs, or when asked to (`recreate: true`); with leases running it is not, and the leases
   * that would restart are listed.
   */
  stack: z
    .object({
      action: z.enum(['ready', 'recreating', 'needs-confirmation', 'not-possible']),
      message: z.string(),
      /** The leases a re-creation restarts (lease keys); `leasesKnown` false when they could not be read. */
      leases: z.array(z.string()),
      leasesKnown: z.boolean(),
      /** The `stack.up` task that re-creates it (`recreating`). */
      task: TaskRef.nullable(),
    })
    .optional(),
});
export type FarmToken = z.infer<typeof FarmToken>;

export const FarmTokenInput = z
  .object({
    validMinutes: z.number().int().min(5).max(7 * 24 * 60).default(60),
    /** Re-create the provider stack for the farm even though leases run (they restart). CLI: --recreate --yes. */
    recreate: z.boolean().default(false),
  })
  .strict();

export const FarmJoinResult = z.object({
  machineId: z.string(),
  nodeName: z.string(),
  controller: z.string(),
  /** False when this machine was already joined with the same spec: nothing was changed. */
  changed: z.boolean(),
  container: z.object({ name: z.string(), id: z.string(), started: z.boolean(), specHash: z.string() }),
  gpus: z.array(FleetGpu),
  /** The ContainerCreate body as planned, with the GPUs (an engine without the GPU runtime gets it without them). */
  plannedSpec: z.record(z.string(), z.unknown()),
  notes: z.array(z.string()),
});
export type FarmJoinResult = z.infer<typeof FarmJoinResult>;

export const FarmMachineInput = z.object({ machine: z.string().min(1).max(253) }).strict();
/** The whole farm's pause (the provider's bid table: no bid for any machine), as opposed to one machine's cordon. */
export const FarmPauseAllInput = z.object({ reason: z.string().max(200).optional() }).strict();
export const FarmBidding = z.object({
  /** The whole farm is paused from the fleet view (or `riglease farm pause --all`). */
  paused: z.boolean(),
  reason: z.string().nullable(),
  since: z.string().nullable(),
  /** What the provider's bid table says now (it also pauses for the controller's own pause when the farm has no member). */
  tablePaused: z.boolean(),
  message: z.string(),
});
export type FarmBidding = z.infer<typeof FarmBidding>;
export const FarmRemoveInput = z.object({ machine: z.string().min(1).max(253), confirm: z.boolean().default(false) }).strict();

export const FarmActionResult = z.object({
  machine: z.string(),
  nodeName: z.string(),
  /** Each kubectl command and whether it ran. */
  commands: z.array(z.object({ command: z.array(z.string()), applied: z.boolean(), note: z.string().nullable() })),
  message: z.string(),
});
export type FarmActionResult = z.infer<typeof FarmActionResult>;

export const FarmRevokeResult = z.object({ id: z.string(), message: z.string() });

/** A member leaving its farm on its own decision: what was removed from this computer. */
export const FarmLeaveResult = z.object({ removed: z.array(z.string()), message: z.string() });

/**
 * A farm member's own node as its controller last answered (member only): what the member's
 * availability made of it (cordoned while paused, gaming…; drained when offline), whether
 * kubectl ran, and whether the controller has heard the latest switch yet.
 */
export const FarmMemberNode = z.object({
  controller: z.string(),
  nodeName: z.string(),
  intent: z.enum(['schedulable', 'cordoned']),
  reason: z.string().nullable(),
  /** kubectl carried the intent out on the controller. */
  applied: z.boolean(),
  /** The controller has heard this machine's current availability. */
  told: z.boolean(),
  lastContact: z.string().nullable(),
  /** Why the controller could not be told (unreachable…), when it could not. */
  error: z.string().nullable(),
});
export type FarmMemberNode = z.infer<typeof FarmMemberNode>;
