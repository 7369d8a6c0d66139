import type { GpuPricesResponse } from '../../api/schemas/pricing.js';
import { splitGpuKey } from './gpu-key.js';

const INTERFACES = new Set(['pcie', 'sxm', 'mig']);

export interface KeyParts {
  model: string;
  ram: string | null;
  iface: string | null;
}

/** `rtx4090.24Gi.pcie` → parts; a lone second part is an interface when it names one. */
export function keyParts(key: string): KeyParts {
  const { model, rest } = splitGpuKey(key);
  let ram: string | null = null;
  let iface: string | null = null;
  for (const part of rest) {
    if (INTERFACES.has(part.toLowerCase()) && iface === null) iface = part.toLowerCase();
    else if (ram === null) ram = part;
  }
  return { model: model.toLowerCase(), ram, iface };
}

function median(values: number[]): number | null {
  const sorted = values.filter((v) => Number.isFinite(v) && v > 0).sort((a, b) => a - b);
  if (sorted.length === 0) return null;
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/**
 * The market median USD/GPU-hour for a key: the exact model+ram+interface entry, else the
 * median of the model+ram entries, else of all entries of the model. Only NVIDIA entries count.
 * The API spells interfaces in either case (`PCIe`, `pcie`), so compare lower-case.
 */
export function marketMedian(prices: GpuPricesResponse | null, key: string): number | null {
  if (!prices) return null;
  const want = keyParts(key);
  const models = prices.models.filter((m) => m.vendor.toLowerCase() === 'nvidia' && m.model.toLowerCase() === want.model && m.price);
  const meds = (list: typeof models) => median(list.map((m) => m.price!.med));
  const levels: Array<(m: (typeof models)[number]) => boolean> = [];
  if (want.ram !== null && want.iface !== null) levels.push((m) => m.ram === want.ram && m.interface.toLowerCase() === want.iface);
  if (want.ram !== null) levels.push((m) => m.ram === want.ram);
  if (want.iface !== null && want.ram === null) levels.push((m) => m.interface.toLowerCase() === want.iface);
  levels.push(() => true);
  for (const level of levels) {
    const found = meds(models.filter(level));
    if (found !== null) return found;
  }
  return null;
}
