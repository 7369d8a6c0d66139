import { z } from 'zod';
import { GeneralSettings } from './settings/general.js';
import { ChainSettings } from './settings/chain.js';
import { HardwareSettings } from './settings/hardware.js';
import { StackSettings } from './settings/stack.js';
import { BenchSettings } from './settings/bench.js';
import { PricingSettings } from './settings/pricing.js';
import { AvailabilitySettings } from './settings/availability.js';
import { FarmSettings } from './settings/farm.js';
import { DesktopSettings } from './settings/desktop.js';
import { NetworkSettings } from './settings/network.js';

/**
 * Every setting the app has, one schema for the UI, the CLI and the file on disk.
 * Each section parses `{}` to its defaults, so a new section never breaks an old file.
 */
export const Settings = z
  .object({
    general: GeneralSettings.prefault({}),
    chain: ChainSettings.prefault({}),
    hardware: HardwareSettings.prefault({}),
    stack: StackSettings.prefault({}),
    bench: BenchSettings.prefault({}),
    pricing: PricingSettings.prefault({}),
    availability: AvailabilitySettings.prefault({}),
    farm: FarmSettings.prefault({}),
    desktop: DesktopSettings.prefault({}),
    network: NetworkSettings.prefault({}),
  })
  .strict();
export type Settings = z.infer<typeof Settings>;

export const SettingKey = z
  .string()
  .regex(/^[a-zA-Z][a-zA-Z0-9]*(\.[a-zA-Z0-9][a-zA-Z0-9-]*)*$/, 'a setting key is a dotted path such as hardware.telemetryIntervalMs');
