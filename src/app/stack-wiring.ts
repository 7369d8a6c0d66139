import path from 'node:path';
import type { HardwareReport } from '../api/schemas/hardware.js';
import type { StackSettings } from '../api/schemas/settings/stack.js';
import type { PlanGpu } from '../provider/stack/gpu-labels.js';
import type { PricingPassthrough } from '../provider/stack/manifests.js';
import { pinnedK3sSource } from '../provider/stack/k3s-image.js';
import { StackService, type WalletSource } from '../provider/stack/stack-service.js';
import type { FarmExposure } from '../provider/stack/container-spec.js';
import type { NodeFileSpec } from '../provider/stack/converge.js';
import type { Settings } from '../api/schemas/settings.js';
import type { DockerConnection } from '../core/docker-connection.js';
import type { TaskRegistry } from '../core/task-registry.js';
import type { HardwareService } from '../hardware/index.js';
import type { Logger } from '../util/logger.js';
import { firstPrivateIPv4 } from './farm/farm-controller.js';
import { FarmStateStore } from './farm/farm-state.js';
import { shippedResourcesDir } from './stack-resources.js';

/**
 * What the stack takes from the chain and pricing sides. The Agent owns one of these; the chain
 * wiring sets `wallet` (public address + key export for the provider chart), the pricing wiring
 * sets `pricing` (bid script + its env). Until they do, the stack plans without the Akash
 * provider chart (no wallet) and with scale pricing, and `stack plan` says so in its notes.
 */
export interface StackSeams {
  wallet: WalletSource;
  pricing: () => Promise<PricingPassthrough>;
  /** The chain wiring makes the provider chart's chain values agree with the registration (chain-stack-settings.ts). */
  align: (stack: StackSettings) => Promise<StackSettings>;
  /** Files for the provider's /config volume written during `up` (the chain wiring's provider certificate, src/app/provider-cert). */
  nodeFiles?: () => Promise<NodeFileSpec[]>;
}

export function defaultStackSeams(): StackSeams {
  return {
    wallet: { address: async () => null, keyExport: async () => null },
    pricing: async () => ({ script: null, env: {} }),
    align: async (stack) => stack,
  };
}

/** A scan a minute old is fresh enough to plan from; status polls must not spawn nvidia-smi each time. */
const SCAN_MAX_AGE_MS = 60_000;

export function planGpus(report: HardwareReport): PlanGpu[] {
  return report.gpus.map((g) => ({ uuid: g.uuid, name: g.name, pciSubSystemId: g.pciSubSystemId, pciBusId: g.pciBusId, akash: g.akash }));
}

/** What the stack room needs from the rest of the agent, and nothing more. */
export interface StackRoomDeps {
  docker: Pick<DockerConnection, 'client'>;
  settings: { all(): Promise<Settings> };
  hardware: Pick<HardwareService, 'scan'>;
  home: string;
  stateDir: string;
  env: NodeJS.ProcessEnv;
  tasks: TaskRegistry;
  logger: Logger;
}

/**
 * Builds the StackService for the Agent. Nothing here touches Docker: the client is made on the
 * first stack call, so starting the app never starts, inspects or creates anything.
 */
export function createStackService(deps: StackRoomDeps, seams: StackSeams): StackService {
  return new StackService({
    docker: () => deps.docker.client(),
    settings: async () => seams.align((await deps.settings.all()).stack),
    hardware: async () => ({ gpus: planGpus(await deps.hardware.scan({ maxAgeMs: SCAN_MAX_AGE_MS })) }),
    // Read through the seams at call time, so wiring that sets them after construction counts.
    wallet: {
      address: () => seams.wallet.address(),
      keyExport: () => seams.wallet.keyExport(),
      keyPresent: () => (seams.wallet.keyPresent ? seams.wallet.keyPresent() : seams.wallet.keyExport().then((k) => k !== null)),
    },
    pricing: () => seams.pricing(),
    farm: () => farmExposure(deps),
    nodeFiles: async () => (seams.nodeFiles ? seams.nodeFiles() : []),
    // Where no published k3s image can be pulled, `up` builds it from the recipe shipped with the app.
    k3sImage: async () => {
      const resources = await shippedResourcesDir();
      return resources ? pinnedK3sSource(resources) : null;
    },
    // The CRDs no chart ships: downloaded once into the data folder, then read from there (a
    // second `up` needs no network); RIGLEASE_ARTIFACT_MIRROR points the downloads at a mirror.
    remoteManifests: { cacheDir: path.join(deps.home, 'cache', 'remote-manifests'), mirror: deps.env['RIGLEASE_ARTIFACT_MIRROR'] },
    tasks: deps.tasks,
    logger: deps.logger,
  });
}

/**
 * While this machine is a farm's controller (farm.json role, set by `farm token`), its k3s server
 * is published for the agents of the other machines, at the address the join code names
 * (farm.advertiseAddress, else the first private IPv4). Read at every plan, so status shows
 * "not up to date" as soon as the machine becomes a controller and the next up replaces only the
 * container.
 */
export async function farmExposure(deps: Pick<StackRoomDeps, 'stateDir' | 'settings'>): Promise<FarmExposure | null> {
  const state = await new FarmStateStore(deps.stateDir).read();
  if (state.role !== 'controller') return null;
  const f = (await deps.settings.all()).farm;
  // Members' GPUs need the device plugin even on a controller without GPUs of its own.
  const memberGpus = (state.controller?.members ?? []).reduce((n, m) => n + m.gpus.length, 0);
  return { address: f.advertiseAddress || firstPrivateIPv4(), apiPort: f.k3sPort, kubeletPort: f.kubeletPort, vxlanPort: f.vxlanPort, wireguardPort: f.wireguardPort, memberGpus };
}
