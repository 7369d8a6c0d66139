import type { PricingSettings } from '../../api/schemas/settings/pricing.js';

/** What the floor needs to know about one of this machine's GPUs (a slice of the hardware report). */
export interface LocalGpu {
  name: string;
  akash: { model: string; ram: string; interface: string } | null;
  powerDrawW: number | null;
  powerLimitW: number | null;
  powerMaxLimitW: number | null;
}

type Power = PricingSettings['power'];

const usable = (w: number | null | undefined): w is number => typeof w === 'number' && Number.isFinite(w) && w > 0;

/**
 * Watts one rented GPU may draw. The power limit is the default because a tenant can run the
 * card flat out; the measured draw of an idle card would understate the cost.
 */
export function gpuWatts(gpu: LocalGpu, power: Power): number | null {
  if (power.gpuWattsOverride !== null) return power.gpuWattsOverride;
  const order =
    power.gpuWattsSource === 'measured'
      ? [gpu.powerDrawW, gpu.powerLimitW, gpu.powerMaxLimitW]
      : [gpu.powerLimitW, gpu.powerMaxLimitW, gpu.powerDrawW];
  return order.find(usable) ?? null;
}

/** USD an hour of electricity for one rented GPU plus its share of the rig; null when the GPU's watts are unknown. */
export function powerCostUsdPerHour(watts: number | null, power: Power): number | null {
  if (watts === null) return null;
  return (power.pricePerKwh * power.usdPerCurrencyUnit * (watts + power.rigShareWatts)) / 1000;
}

/** The key the official script would try first for this GPU: model.ram.interface. */
export function localGpuKey(gpu: LocalGpu): string | null {
  return gpu.akash ? `${gpu.akash.model}.${gpu.akash.ram}.${gpu.akash.interface}` : null;
}
