import type { CliCommand } from '../command.js';
import { availabilityCommand } from './availability.js';
import { marketCommand } from './market.js';
import { pricingCommand } from './pricing.js';

/** The pricing area's commands, listed together in `riglease --help`. */
export const pricingCommands: readonly CliCommand[] = [pricingCommand, marketCommand, availabilityCommand];
