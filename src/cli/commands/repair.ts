import { RepairAction, type RepairPreview } from '../../api/schemas/diagnostics.js';
import type { TaskSnapshot } from '../../api/schemas/task.js';
import { taskEnded, type InProcessApi } from '../in-process-api.js';
import { parseCommandArgs, type CliCommand, type CliContext } from '../command.js';
import { UsageError } from '../errors.js';
import { formatTask } from '../format/stack.js';
import { printResult, runMethod } from '../run-method.js';

/** The preview without its confirm token: the token only means something inside this one process. */
export type RepairPlan = Omit<RepairPreview, 'confirmToken' | 'expiresAt'>;

/** What `riglease repair … --json` prints: the plan, and the finished task when it ran. */
export interface RepairCliResult {
  ran: boolean;
  plan: RepairPlan;
  task: TaskSnapshot | null;
}

const planOf = ({ confirmToken: _t, expiresAt: _e, ...plan }: RepairPreview): RepairPlan => plan;

export function formatRepairPlan(p: RepairPlan): string {
  const list = (items: string[]) => (items.length ? items.map((i) => `  - ${i}`) : ['  - nothing']);
  return [`${p.title}`, 'Deletes:', ...list(p.deletes), 'Keeps:', ...list(p.keeps), `What you will notice: ${p.consequences}`].join('\n');
}

function formatResult(r: RepairCliResult): string {
  if (!r.ran) {
    const cmd = `riglease repair ${r.plan.action}${r.plan.wipeWallet ? ' --wipe-wallet' : ''} --yes`;
    return `${formatRepairPlan(r.plan)}\n\nNothing was changed. Read the list above; to do it, run: ${cmd}`;
  }
  const t = r.task;
  if (!t) return 'The repair did not start.';
  const summary = (t.result as { summary?: unknown } | null)?.summary;
  return t.state === 'succeeded' && typeof summary === 'string' ? `Done: ${summary}` : formatTask(t);
}

/**
 * Runs the previewed repair as a task in this process: each step and log line (what was
 * removed) goes to stderr as it happens; the finished snapshot comes back.
 */
async function runRepair(ctx: CliContext, preview: RepairPreview, agent: InProcessApi): Promise<TaskSnapshot> {
  let id = '';
  let shownLog = 0;
  let lastStep = '';
  const show = (t: TaskSnapshot): void => {
    if (t.task !== id) return;
    if (t.state === 'running' && t.message !== lastStep) ctx.err(`[${t.step}/${t.of}] ${t.message}\n`);
    lastStep = t.message;
    for (const line of t.log.slice(Math.min(shownLog, t.log.length))) if (line !== t.message) ctx.err(`  ${line}\n`);
    shownLog = t.log.length;
  };
  const off = agent.hub.subscribe('task.progress', show);
  try {
    const ref = await runMethod(agent, 'diagnostics.repair', { action: preview.action, wipeWallet: preview.wipeWallet, confirmToken: preview.confirmToken });
    id = ref.id;
    // Steps taken before the id was known (the first starts with the task) come from the snapshot.
    show(await runMethod(agent, 'task.get', { id: ref.id }));
    const done = await taskEnded(agent, ref.id);
    show(done);
    return done;
  } finally {
    off();
  }
}

export const repairCommand: CliCommand = {
  name: 'repair',
  summary: 'Graduated repairs: restart the stack, reset k3s, factory reset (says what it deletes first)',
  help: () => `Usage: riglease repair <restart-stack|reset-k3s|factory-reset> [--wipe-wallet] [--yes] [--json]

Mildest first:
  restart-stack   restart the provider stack; nothing is deleted (leases pause a minute or two)
  reset-k3s       a fresh cluster: the k3s container, network and every data volume removed, then
                  up again. Running leases lose their workloads. RigLease's wallet, settings and
                  history are kept.
  factory-reset   the stack and its volumes removed, settings back to defaults, RigLease's logs,
                  state, history and exports deleted. The wallet is kept unless --wipe-wallet.

Without --yes: prints exactly what the action deletes and keeps (read from this machine's
Docker engine and data folder), changes nothing, and exits 1.
With --yes: does it, with each step and what it removed on stderr; exits 0 when it succeeded.

Options:
  --wipe-wallet   factory-reset only: ALSO erase the wallet (recovery phrase, provider key and
                  certificate key). Any AKT left in it is lost unless you wrote down the phrase.
  --yes           run it (after showing the same list on stderr)
  --json          print exactly one JSON object: {ran, plan, task}`,
  run: async (args, ctx) => {
    const { values, positionals } = parseCommandArgs(
      'repair',
      args,
      { json: { type: 'boolean', default: false }, yes: { type: 'boolean', default: false }, 'wipe-wallet': { type: 'boolean', default: false } },
      { min: 1, max: 1 },
    );
    const action = RepairAction.safeParse(positionals[0]);
    if (!action.success) throw new UsageError(`There is no repair called ${JSON.stringify(positionals[0])}.`, `Use one of: ${RepairAction.options.join(', ')} (mildest first).`);
    const result = await ctx.withAgent(async (agent): Promise<RepairCliResult> => {
      const preview = await runMethod(agent, 'diagnostics.repairPreview', { action: action.data, wipeWallet: values['wipe-wallet'] });
      if (!values.yes) return { ran: false, plan: planOf(preview), task: null };
      ctx.err(`${formatRepairPlan(planOf(preview))}\n\n`);
      return { ran: true, plan: planOf(preview), task: await runRepair(ctx, preview, agent) };
    });
    printResult(ctx, result, { json: values.json, human: formatResult });
    return result.ran && result.task?.state === 'succeeded' ? 0 : 1;
  },
};
