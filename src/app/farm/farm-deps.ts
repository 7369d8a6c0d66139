import type Docker from 'dockerode';
import type { AvailabilityStatus } from '../../api/methods/availability.js';
import type { FleetBench, FleetGpu } from '../../api/schemas/farm.js';
import type { HardwareReport } from '../../api/schemas/hardware.js';
import type { Settings } from '../../api/schemas/settings.js';
import type { StackPlan } from '../../api/schemas/stack.js';
import type { TaskRef } from '../../api/schemas/task.js';
import type { SecretStore } from '../../store/secret-store.js';
import type { Logger } from '../../util/logger.js';
import type { FarmStateStore } from './farm-state.js';
import type { LeaseEarning } from '../../provider/farm/lease-nodes.js';

/** What the farm needs from the Agent; tests pass their own. */
export interface FarmDeps {
  store: FarmStateStore;
  secrets: SecretStore;
  settings: () => Promise<Settings>;
  docker: () => Docker;
  scan: (maxAgeMs: number) => Promise<HardwareReport>;
  lastReport: () => HardwareReport | null;
  /** This machine's GPUs with the latest telemetry sample (from the one nvidia-smi stream). */
  liveGpus: () => Promise<FleetGpu[]>;
  availability: () => Promise<AvailabilityStatus | null>;
  /**
   * A fresh availability decision that looks at the GPU now (the availability service's own
   * check, which tells the farm through its usual hook when bidding changes). The last decision
   * may be stale: background checks skip the GPU while no provider holds the table, and run every
   * `checkIntervalSeconds`. Absent in tests without an availability service.
   */
  checkAvailability?: () => Promise<AvailabilityStatus | null>;
  /** This machine's latest GPU benchmark, if it ran one. */
  latestBench: () => Promise<FleetBench | null>;
  /** The provider's active leases with what each accrued (from the chain); absent in tests that do not need them. */
  leases?: () => Promise<LeaseEarning[]>;
  /**
   * Brings the provider stack up (`stack.up` as a task): `farm token` re-creates the k3s container
   * with the farm's ports through it. Absent where no stack can be touched (some tests).
   */
  stackUp?: () => TaskRef;
  /** The provider stack's plan as `up` would make it now (it reads the members' GPUs from farm.json). Absent where no stack is planned. */
  stackPlan?: () => Promise<StackPlan>;
  /** Whether a provider wallet exists here (local files only): without one no lease can run. */
  walletExists?: () => Promise<boolean>;
  /**
   * Writes the provider's bid table's paused flag (the pricing's `setBidding`): the whole farm's
   * pause, and the table following the farm's membership. Absent in tests that do not bid.
   */
  bidTable?: (t: { paused: boolean; reason: string }) => Promise<void>;
  hostname: () => string;
  version: string;
  logger: Logger;
  now: () => number;
}

export function machineNameOf(settings: Settings, hostname: string): string {
  return settings.farm.machineName || hostname;
}
