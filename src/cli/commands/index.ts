import type { CliCommand } from '../command.js';
import { callCommand } from './call.js';
import { chainCommands } from './chain-commands.js';
import { pricingCommands } from './pricing-commands.js';
import { hardwareCommand } from './hardware.js';
import { benchCommand } from './bench.js';
import { portsCommand } from './ports.js';
import { relayCommand } from './relay.js';
import { probeServerCommand } from './probe-server.js';
import { networkCommand } from './network.js';
import { diagnosticsCommand } from './diagnostics.js';
import { doctorCommand } from './doctor.js';
import { repairCommand } from './repair.js';
import { serveCommand } from './serve.js';
import { settingsCommand } from './settings.js';
import { stackCommand } from './stack.js';
import { farmCommand } from './farm.js';
import { startCommand } from './start.js';
import { onboardCommand } from './onboard.js';
import { statusCommand } from './status.js';

/**
 * Every `riglease` command, in the order `--help` lists them. Adding one = one file in this
 * folder exporting a CliCommand (see hardware.ts for the usual shape) plus one line here.
 */
export const commands: readonly CliCommand[] = [
  startCommand,
  statusCommand,
  serveCommand,
  onboardCommand,
  hardwareCommand,
  benchCommand,
  portsCommand,
  relayCommand,
  networkCommand,
  probeServerCommand,
  diagnosticsCommand,
  doctorCommand,
  repairCommand,
  settingsCommand,
  stackCommand,
  farmCommand,
  ...chainCommands,
  ...pricingCommands,
  callCommand,
];
