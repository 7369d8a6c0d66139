import type { HardwareReport } from '../api/schemas/hardware.js';
import type { Settings } from '../api/schemas/settings.js';
import type { EventHub } from '../core/event-hub.js';
import type { DockerConnection } from '../core/docker-connection.js';
import type { Logger } from '../util/logger.js';
import type { NvidiaSmiRunner } from './nvidia/nvidia-smi-runner.js';

export interface HardwareServiceOptions {
  env: NodeJS.ProcessEnv;
  platform: NodeJS.Platform;
  homeDir: string;
  settings: () => Promise<Settings['hardware']>;
  /** Telemetry registers on-demand with the hub: the stream runs only while someone listens to `gpu.telemetry`. */
  hub: EventHub;
  logger: Logger;
  /** How nvidia-smi is run (scan and telemetry); default: spawned. Demo mode replays a capture in-process. */
  nvidiaSmi?: NvidiaSmiRunner;
  /** The agent's one Docker connection; default: a connection of its own from env/platform/homeDir. */
  docker?: Pick<DockerConnection, 'resolve'>;
}

export interface HardwareService {
  /** One scan = one `nvidia-smi -q -x` + systeminformation + Docker info/version. */
  scan(opts?: { maxAgeMs?: number }): Promise<HardwareReport>;
  /** The last report, if any scan has run. */
  last(): HardwareReport | null;
  /** The live telemetry child, for diagnostics and tests (additive to the original interface). */
  telemetryStatus(): TelemetryStatus;
  stop(): Promise<void>;
}

export interface TelemetryStatus {
  /** An nvidia-smi -lms process is alive right now. */
  running: boolean;
  pid: number | undefined;
  /** How many times the stream's nvidia-smi was spawned since it last started (restarts included). */
  spawnCount: number;
}

// Implemented by the hardware helper; see src/hardware/README.md.
export { createHardwareService } from './hardware-service.js';
