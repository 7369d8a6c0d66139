import type { FleetGpu } from '../../api/schemas/farm.js';
import type { HardwareReport } from '../../api/schemas/hardware.js';
import { buildAttributes, type Attribute, type ProviderProfile } from '../../provider/chain/attributes.js';
import { gpuAttributes } from '../../provider/stack/gpu-labels.js';

/**
 * The provider's on-chain attributes for a whole farm: the controller's own (host, region, CPU,
 * memory… from its scan and profile) with the GPU keys of every machine's GPUs, so a farm with an
 * RTX 3090 here and an RTX 4090 there announces both models.
 */
export function farmAttributes(controllerReport: HardwareReport | null, profile: ProviderProfile, farmGpus: FleetGpu[]): { attributes: Attribute[]; warnings: string[] } {
  const own = buildAttributes(controllerReport, profile);
  const gpu = gpuAttributes(farmGpus.map((g) => ({ uuid: g.uuid, name: g.name, pciSubSystemId: g.pciSubSystemId, akash: g.akash })));
  const userKeys = new Set(Object.keys(profile.extraAttributes));
  const attributes = [...own.attributes.filter((a) => !a.key.startsWith('capabilities/gpu') || userKeys.has(a.key)), ...gpu.filter((a) => !userKeys.has(a.key))].sort((a, b) => a.key.localeCompare(b.key));
  const warnings = own.warnings.filter((w) => !w.startsWith('Akash expects one GPU model per node'));
  for (const g of farmGpus) if (!g.akash) warnings.push(`${g.name} has no Akash model name; it is left out of the attributes.`);
  return { attributes, warnings };
}

/** A scanned GPU as the fleet shows it, with the latest telemetry sample for it when there is one. */
export function fleetGpuOf(g: HardwareReport['gpus'][number], sample: { utilizationPct: number | null; temperatureC: number | null; powerDrawW: number | null; memoryUsedMiB: number | null } | undefined): FleetGpu {
  return {
    index: g.index,
    uuid: g.uuid,
    name: g.name,
    vramMiB: g.vramMiB,
    pciSubSystemId: g.pciSubSystemId,
    akash: g.akash,
    utilizationPct: sample?.utilizationPct ?? g.utilizationPct,
    temperatureC: sample?.temperatureC ?? g.temperatureC,
    powerDrawW: sample?.powerDrawW ?? g.powerDrawW,
    memoryUsedMiB: sample?.memoryUsedMiB ?? g.memoryUsedMiB,
    powerLimitW: g.powerLimitW,
    powerMaxLimitW: g.powerMaxLimitW,
  };
}
