import { isLocationRegion } from '../../api/regions/location-regions.js';
import type { HardwareReport } from '../../api/schemas/hardware.js';
import type { ProviderProfileSettings } from '../../api/schemas/settings/chain.js';
import type { z } from 'zod';

export type ProviderProfile = z.infer<typeof ProviderProfileSettings>;
export interface Attribute {
  key: string;
  value: string;
}

/**
 * On-chain provider attributes (AKASH.md §4) from the hardware report and the user's profile.
 * GPU keys use the Akash identity the hardware scan resolved (provider-configs gpus.json names);
 * a GPU without one is left out and reported, because tenants could not match it anyway.
 */
export function buildAttributes(report: HardwareReport | null, profile: ProviderProfile): { attributes: Attribute[]; warnings: string[] } {
  const out = new Map<string, string>();
  const warnings: string[] = [];
  out.set('host', 'akash');
  out.set('tier', 'community');
  if (profile.locationRegion) {
    out.set('location-region', profile.locationRegion);
    if (!isLocationRegion(profile.locationRegion)) warnings.push(`location-region "${profile.locationRegion}" is not one of Akash's region codes (the Console's list, e.g. eu-central, na-us-west): tenants who filter by region will not find this provider.`);
  } else warnings.push('location-region is required by Akash: set chain.provider.locationRegion (e.g. eu-central, na-us-west).');
  if (profile.country) out.set('country', profile.country);
  if (profile.city) out.set('city', profile.city);
  out.set('location-type', profile.locationType);
  if (profile.organization) out.set('organization', profile.organization);

  if (report) {
    const vendor = cpuVendor(report.system.cpu.vendor ?? report.system.cpu.model, report.system.arch);
    if (vendor) out.set('capabilities/cpu', vendor);
    else warnings.push(`The CPU vendor "${report.system.cpu.vendor ?? report.system.cpu.model}" is not one Akash names (intel, amd, arm).`);
    const arch = cpuArch(report.system.arch);
    if (arch) out.set('capabilities/cpu/arch', arch);
    const ids = new Map<string, { model: string; ram: string; iface: string }>();
    for (const gpu of report.gpus) {
      if (!gpu.akash) {
        warnings.push(`GPU ${gpu.index} (${gpu.name}) has no Akash model name; it is left out of the attributes.`);
        continue;
      }
      ids.set(`${gpu.akash.model}/${gpu.akash.ram}/${gpu.akash.interface}`, { model: gpu.akash.model, ram: gpu.akash.ram, iface: gpu.akash.interface });
    }
    if (ids.size > 0) out.set('capabilities/gpu', 'nvidia');
    if (ids.size > 1) warnings.push('Akash expects one GPU model per node; several models are announced.');
    for (const { model, ram, iface } of ids.values()) {
      const base = `capabilities/gpu/vendor/nvidia/model/${model}`;
      out.set(base, 'true');
      out.set(`${base}/ram/${ram}`, 'true');
      out.set(`${base}/interface/${iface}`, 'true');
      out.set(`${base}/ram/${ram}/interface/${iface}`, 'true');
    }
    if (ids.size > 0) {
      // Shared memory (`ram`) for GPU workloads, advertised like Akash's playbook does on GPU hosts
      // (provider-playbooks templates/provider.yaml.j2); the stack plans the same (stack/storage.ts).
      out.set('capabilities/storage/2/class', 'ram');
      out.set('capabilities/storage/2/persistent', 'false');
    }
    const cuda = report.gpus.find((g) => g.cudaVersion)?.cudaVersion ?? report.nvidia.cudaVersion;
    if (cuda) out.set('cuda', cuda.split('.').slice(0, 2).join('.'));
  } else {
    warnings.push('No hardware scan yet: CPU and GPU capabilities are missing.');
  }
  if (profile.memoryType) out.set('capabilities/memory', profile.memoryType);
  else warnings.push('capabilities/memory is required by Akash: set the RAM type in chain.provider.memoryType (ddr4, ddr5, …).');
  if (profile.persistentStorageClass) {
    out.set('feat-persistent-storage', 'true');
    out.set('capabilities/storage/1/class', profile.persistentStorageClass);
    out.set('capabilities/storage/1/persistent', 'true');
  }
  for (const [k, v] of Object.entries(profile.extraAttributes)) out.set(k, v);
  return { attributes: [...out].map(([key, value]) => ({ key, value })).sort((a, b) => a.key.localeCompare(b.key)), warnings };
}

function cpuVendor(vendor: string, arch: string): 'intel' | 'amd' | 'arm' | null {
  if (/intel/i.test(vendor)) return 'intel';
  if (/amd/i.test(vendor)) return 'amd';
  if (/arm|apple|ampere|qualcomm/i.test(vendor) || /arm|aarch/i.test(arch)) return 'arm';
  return null;
}

function cpuArch(arch: string): string | null {
  if (/^(x64|x86_64|amd64)$/i.test(arch)) return 'x86-64';
  if (/^(arm64|aarch64)$/i.test(arch)) return 'arm64';
  return null;
}

/** Human-readable differences between two attribute lists (for the review screen). */
export function diffAttributes(before: Attribute[], after: Attribute[]): string[] {
  const a = new Map(before.map((x) => [x.key, x.value]));
  const b = new Map(after.map((x) => [x.key, x.value]));
  const out: string[] = [];
  for (const [k, v] of b) if (!a.has(k)) out.push(`add ${k}=${v}`);
  else if (a.get(k) !== v) out.push(`change ${k}: ${a.get(k)} → ${v}`);
  for (const k of a.keys()) if (!b.has(k)) out.push(`remove ${k}`);
  return out;
}
