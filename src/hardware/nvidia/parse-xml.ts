import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { GpuInfo, type GpuProcess } from '../../api/schemas/hardware.js';
import { akashIdentity } from './akash-identity.js';
import { list, numberOrNull, rec, textOrNull } from './values.js';

export interface ParsedNvidiaLog {
  driverVersion: string | null;
  cudaVersion: string | null;
  /** `attached_gpus`: may exceed gpus.length when the output was filtered with `-i`. */
  attachedGpus: number | null;
  gpus: GpuInfo[];
}

/** Output that is not a complete nvidia_smi_log: the caller reports it as `garbage`. */
export class NvidiaXmlError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NvidiaXmlError';
  }
}

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  // Keep every value a string: "0x1234" or "010" must not be turned into numbers behind our back.
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  // Entities from an inline DTD are not needed, and expanding them is an attack surface.
  processEntities: false,
  isArray: (name) => name === 'gpu' || name === 'process_info' || name === 'mig_device',
});

/**
 * Parses `nvidia-smi -q -x` output (DTD v7 to v13: both power layouts, with or without
 * cuda_version, processes present or absent, WDDM, vGPU, MIG) into validated GpuInfo records.
 */
export function parseNvidiaSmiXml(xml: string): ParsedNvidiaLog {
  const trimmed = xml.trim();
  if (!trimmed.includes('<nvidia_smi_log')) throw new NvidiaXmlError('The output is not an nvidia-smi XML report.');
  const valid = XMLValidator.validate(trimmed);
  if (valid !== true) {
    throw new NvidiaXmlError(`The nvidia-smi XML report is cut off or malformed (line ${valid.err.line}: ${valid.err.msg}).`);
  }
  const doc = rec(parser.parse(trimmed) as unknown);
  const root = rec(doc['nvidia_smi_log']);
  const driverVersion = textOrNull(root['driver_version']);
  const cudaVersion = textOrNull(root['cuda_version']);
  const gpus = list(root['gpu']).map((g, i) => parseGpu(rec(g), i, driverVersion, cudaVersion));
  return { driverVersion, cudaVersion, attachedGpus: numberOrNull(root['attached_gpus']), gpus };
}

function parseGpu(g: Record<string, unknown>, index: number, driverVersion: string | null, cudaVersion: string | null): GpuInfo {
  const pci = rec(g['pci']);
  const fb = rec(g['fb_memory_usage']);
  const power = powerReadings(g);
  const name = textOrNull(g['product_name']) ?? 'Unknown NVIDIA GPU';
  const vramMiB = numberOrNull(fb['total']);
  const mig = textOrNull(rec(g['mig_mode'])['current_mig']);
  const virtMode = textOrNull(rec(g['gpu_virtualization_mode'])['virtualization_mode']);
  const info = {
    index,
    uuid: textOrNull(g['uuid']),
    name,
    brand: textOrNull(g['product_brand']),
    architecture: textOrNull(g['product_architecture']),
    vramMiB,
    driverVersion,
    cudaVersion,
    pciBusId: textOrNull(pci['pci_bus_id']) ?? textOrNull(g['@_id']),
    pciDeviceId: textOrNull(pci['pci_device_id']),
    pciSubSystemId: textOrNull(pci['pci_sub_system_id']),
    temperatureC: numberOrNull(rec(g['temperature'])['gpu_temp']),
    powerDrawW: power.draw,
    powerLimitW: power.limit,
    powerMaxLimitW: power.maxLimit,
    utilizationPct: numberOrNull(rec(g['utilization'])['gpu_util']),
    memoryUsedMiB: numberOrNull(fb['used']),
    fanPct: numberOrNull(g['fan_speed']),
    migEnabled: mig === null ? null : mig.toLowerCase() === 'enabled',
    driverModel: textOrNull(rec(g['driver_model'])['current_dm']),
    // A vGPU guest sees a slice of a card; pass-through hands the VM the whole card, so it is not "virtual".
    virtualized: virtMode !== null && /vgpu/i.test(virtMode),
    processes: list(rec(g['processes'])['process_info']).map((p) => parseProcess(rec(p))),
    akash: akashIdentity(name, vramMiB),
  };
  return GpuInfo.parse(info);
}

/**
 * Drivers up to ~530 write `<power_readings>` (power_draw, power_limit); 535+ write
 * `<gpu_power_readings>` (power_draw, later instant/average_power_draw, current_power_limit)
 * plus `<module_power_readings>` for the whole module (Grace-Hopper boards).
 */
function powerReadings(g: Record<string, unknown>): { draw: number | null; limit: number | null; maxLimit: number | null } {
  const pick = (r: Record<string, unknown>, keys: string[]) => {
    for (const k of keys) {
      const v = numberOrNull(r[k]);
      if (v !== null) return v;
    }
    return null;
  };
  const sources = [rec(g['power_readings']), rec(g['gpu_power_readings']), rec(g['module_power_readings'])];
  const first = (keys: string[]) => {
    for (const r of sources) {
      const v = pick(r, keys);
      if (v !== null) return v;
    }
    return null;
  };
  return {
    draw: first(['power_draw', 'instant_power_draw', 'average_power_draw']),
    limit: first(['power_limit', 'current_power_limit', 'enforced_power_limit']),
    maxLimit: first(['max_power_limit']),
  };
}

function parseProcess(p: Record<string, unknown>): GpuProcess {
  return {
    pid: numberOrNull(p['pid']) ?? -1,
    // WDDM and vGPU guests often leave the name empty.
    name: typeof p['process_name'] === 'string' ? p['process_name'] : '',
    usedMiB: numberOrNull(p['used_memory']),
    type: textOrNull(p['type']),
  };
}
