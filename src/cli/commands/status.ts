import { parseCommandArgs, type CliCommand } from '../command.js';
import { formatRigStatus } from '../format/rig-status.js';
import { printResult, runMethod } from '../run-method.js';

export const statusCommand: CliCommand = {
  name: 'status',
  summary: 'What this rig is doing in one line (the same as the app\'s top bar and tray), and what to fix first',
  help: () => `Usage: riglease status [--json]

One state for the whole rig: not ready (the machine: Docker, GPU, system), not set up (wallet,
provider stack), online, earning, paused, gaming, offline, or a fault that stops bids. The first
thing to fix comes first (no Docker before no wallet), with what to do; every other alert follows.

Exit code: 0 when nothing blocks the rig, 1 when something does (the line says what).

Options:
  --json   print the RigStatusReport object exactly as the API returns it`,
  run: async (args, ctx) => {
    const { values } = parseCommandArgs('status', args, { json: { type: 'boolean', default: false } });
    const report = await ctx.withAgent((agent) => runMethod(agent, 'rig.status', {}));
    printResult(ctx, report, { json: values.json, human: formatRigStatus });
    return report.status.level === 'block' ? 1 : 0;
  },
};
