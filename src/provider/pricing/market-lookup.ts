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

/** What the Console API says about one model: its providers' cheapest recent bids, USD per GPU-hour. */
export interface MarketBand {
  min: number;
  max: number;
  med: number;
  /** Console entries (model × ram × interface) the figures come from. */
  entries: number;
}

type Model = GpuPricesResponse['models'][number] & { price: NonNullable<GpuPricesResponse['models'][number]['price']> };

/**
 * The Console entries a key covers, most specific level first: the exact model+ram+interface
 * entry, else the model+ram entries, else all entries of the model. Only NVIDIA entries with a
 * price count. The API spells interfaces in either case (`PCIe`, `pcie`), so compare lower-case.
 */
function coveredEntries(prices: GpuPricesResponse | null, key: string): Model[] {
  if (!prices) return [];
  const want = keyParts(key);
  const models = prices.models.filter((m): m is Model => m.vendor.toLowerCase() === 'nvidia' && m.model.toLowerCase() === want.model && m.price !== null);
  const levels: Array<(m: Model) => boolean> = [];
  if (want.ram !== null && want.iface !== null) levels.push((m) => m.ram === want.ram && m.interface.toLowerCase() === want.iface);
  if (want.ram !== null) levels.push((m) => m.ram === want.ram);
  if (want.iface !== null && want.ram === null) levels.push((m) => m.interface.toLowerCase() === want.iface);
  levels.push(() => true);
  for (const level of levels) {
    const found = models.filter(level).filter((m) => median([m.price.med]) !== null);
    if (found.length > 0) return found;
  }
  return [];
}

/** The market median USD/GPU-hour for a key (the median of the covered entries' medians). */
export function marketMedian(prices: GpuPricesResponse | null, key: string): number | null {
  return median(coveredEntries(prices, key).map((m) => m.price.med));
}

/**
 * The spread of the market for a key: the cheapest and dearest provider bid and the median, over
 * the same entries as marketMedian. Each figure is what Console computes over one best bid per
 * provider (README "Market data").
 */
export function marketBand(prices: GpuPricesResponse | null, key: string): MarketBand | null {
  const entries = coveredEntries(prices, key);
  const med = median(entries.map((m) => m.price.med));
  if (med === null) return null;
  const mins = entries.map((m) => m.price.min).filter((v) => Number.isFinite(v) && v > 0);
  const maxes = entries.map((m) => m.price.max).filter((v) => Number.isFinite(v) && v > 0);
  return { min: Math.min(med, ...mins), max: Math.max(med, ...maxes), med, entries: entries.length };
}
