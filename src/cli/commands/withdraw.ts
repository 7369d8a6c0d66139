import { WithdrawResult } from '../../api/schemas/chain.js';
import { formatUakt, waitForTask } from '../chain-cli.js';
import { parseCommandArgs, type CliCommand } from '../command.js';
import { printResult, runMethod } from '../run-method.js';

export const withdrawCommand: CliCommand = {
  name: 'withdraw',
  summary: 'Withdraw the escrow of every active lease (MsgWithdrawLease, batched)',
  help: () => `Usage: riglease withdraw [--dry-run] [--json]

Sends MsgWithdrawLease for every active lease of this provider, 50 per transaction, one
transaction after the other. --dry-run only counts the leases and transactions.`,
  run: async (args, ctx) => {
    const { values } = parseCommandArgs('withdraw', args, { json: { type: 'boolean', default: false }, 'dry-run': { type: 'boolean', default: false } });
    return ctx.withAgent(async (agent) => {
      const started = await runMethod(agent, 'leases.withdraw', { dryRun: values['dry-run'] });
      if (!started.task) {
        const result = { leases: started.leases, txs: [], dryRun: started.dryRun };
        printResult(ctx, result, { json: values.json, human: () => (started.leases === 0 ? 'No active leases: nothing to withdraw.' : `${started.leases} active leases → ${started.batches} transactions (dry run: nothing sent).`) });
        return 0;
      }
      const result = await waitForTask(agent, started.task, ctx, WithdrawResult, values.json);
      printResult(ctx, result, {
        json: values.json,
        human: (r) => `Withdrew from ${r.leases} leases in ${r.txs.length} transactions:\n${r.txs.map((t) => `  ${t.hash} (fee ${formatUakt(t.feeUakt)})`).join('\n')}`,
      });
      return 0;
    });
  },
};
