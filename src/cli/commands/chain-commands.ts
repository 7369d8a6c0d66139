import type { CliCommand } from '../command.js';
import { earningsCommand } from './earnings.js';
import { leasesCommand } from './leases.js';
import { providerCommand } from './provider.js';
import { walletCommand } from './wallet.js';
import { withdrawCommand } from './withdraw.js';

/** The on-chain commands (issue 4), listed together in `riglease --help`. */
export const chainCommands: readonly CliCommand[] = [walletCommand, providerCommand, leasesCommand, earningsCommand, withdrawCommand];
