import { parseCommandArgs, type CliCommand } from '../command.js';
import { formatHardwareReport } from '../format/hardware-report.js';
import { callAndPrint } from '../run-method.js';

export const hardwareCommand: CliCommand = {
  name: 'hardware',
  summary: 'Scan GPUs, system and Docker and say whether this machine can be an Akash GPU provider',
  help: () => `Usage: riglease hardware [--json]

Runs one readiness scan (one nvidia-smi call, the system, the Docker engine) and prints it.
Exits 0 even when a check blocks (the report says so); non-zero only when the scan itself failed.

Options:
  --json   print the HardwareReport object exactly as the API returns it`,
  run: async (args, ctx) => {
    const { values } = parseCommandArgs('hardware', args, { json: { type: 'boolean', default: false } });
    return callAndPrint(ctx, 'hardware.scan', { maxAgeMs: 0 }, { json: values.json, human: formatHardwareReport });
  },
};
