import type { In, Out } from '../../api/contract.js';
import { RESTART_WARNING, STOP_WARNING, StackComponentName, UPGRADE_WARNING } from '../../api/schemas/stack.js';
import type { TaskSnapshot } from '../../api/schemas/task.js';
import { parseCommandArgs, type CliCommand, type CliContext } from '../command.js';
import { UsageError } from '../errors.js';
import { cancelTask, taskEnded } from '../in-process-api.js';
import { formatAction, formatLogs, formatPlan, formatStatus, formatTask } from '../format/stack.js';
import { callAndPrint, printResult, runMethod } from '../run-method.js';

type NoInput = 'stack.plan' | 'stack.status' | 'stack.down' | 'stack.start' | 'stack.restart';

const JSON_OPT = { json: { type: 'boolean', default: false } } as const;

/**
 * `up`/`upgrade` run as a task in this process: progress and the live log go to stderr as they
 * happen, the final task snapshot to stdout (one JSON object with --json). Exit 1 when it failed.
 */
async function runTask(ctx: CliContext, method: 'stack.up' | 'stack.upgrade', json: boolean): Promise<number> {
  const snap = await ctx.withAgent(async (agent) => {
    let shownLog = 0;
    let lastMessage = '';
    let id = '';
    const show = (t: TaskSnapshot): void => {
      if (t.task !== id) return;
      // The log carries every step message too; print new lines only.
      const fresh = t.log.slice(Math.min(shownLog, t.log.length));
      for (const line of fresh) ctx.err(`${line}\n`);
      shownLog = t.log.length;
      if (t.percent !== undefined && t.message !== lastMessage && t.state === 'running') ctx.err(`  ${Math.round(t.percent)}% ${t.message}\n`);
      lastMessage = t.message;
    };
    const off = agent.hub.subscribe('task.progress', show);
    // Ctrl-C cancels the task instead of killing it mid-step: a step in progress is rolled back,
    // what was already finished (e.g. a running container while k3s boots) stays and status shows it.
    const onSigint = (): void => {
      ctx.err('Cancelling…\n');
      if (id) cancelTask(agent, id);
    };
    process.on('SIGINT', onSigint);
    try {
      const ref = await runMethod(agent, method, {});
      id = ref.id;
      const done = await taskEnded(agent, ref.id);
      show(done);
      return done;
    } finally {
      process.off('SIGINT', onSigint);
      off();
    }
  });
  printResult(ctx, snap, { json, human: formatTask });
  return snap.state === 'succeeded' ? 0 : 1;
}

async function logs(args: string[], ctx: CliContext): Promise<number> {
  const { values, positionals } = parseCommandArgs('stack logs', args, { ...JSON_OPT, tail: { type: 'string', default: '200' } }, { max: 1 });
  const component = StackComponentName.safeParse(positionals[0] ?? 'k3s');
  if (!component.success) throw new UsageError(`There is no stack component called ${JSON.stringify(positionals[0])}.`, `Use one of: ${StackComponentName.options.join(', ')}.`);
  if (!/^\d{1,4}$/.test(values.tail) || Number(values.tail) < 1 || Number(values.tail) > 2000) throw new UsageError('--tail must be a number from 1 to 2000.');
  return callAndPrint(ctx, 'stack.logs', { component: component.data, tail: Number(values.tail) }, { json: values.json, human: formatLogs });
}

async function uninstall(args: string[], ctx: CliContext): Promise<number> {
  const { values } = parseCommandArgs('stack uninstall', args, { ...JSON_OPT, purge: { type: 'boolean', default: false }, yes: { type: 'boolean', default: false } });
  return callAndPrint(ctx, 'stack.uninstall', { purge: values.purge, confirm: values.yes }, { json: values.json, human: formatAction });
}

export const stackCommand: CliCommand = {
  name: 'stack',
  summary: 'The provider stack in Docker (k3s + Akash provider): plan, up, down, status, logs, uninstall',
  help: () => `Usage: riglease stack <command> [--json]

  plan                 what "up" would create: container, volumes, network, ports, manifests, egress rules
  up                   start providing: create or fix everything the plan says (idempotent); progress on stderr
  upgrade              ${UPGRADE_WARNING}
  down                 ${STOP_WARNING}
  start                start a stopped stack again
  restart              ${RESTART_WARNING}
  status               each component with state, age and why it is not ready; each GPU as the cluster sees it
  logs [COMPONENT]     the last lines of one component (default k3s): ${StackComponentName.options.join(', ')}
                       --tail N (1-2000, default 200)
  uninstall [--purge] --yes
                       remove the container and network; data volumes are kept unless --purge
                       (which ERASES the cluster and every lease's data). Without --yes it only
                       says what would be lost and exits 1.

Options:
  --json   print exactly one JSON object (the API's answer; for up/upgrade the final task snapshot)

Images come from settings (stack.images.*; empty = the pinned default). Docker: DOCKER_HOST.`,
  run: async (args, ctx) => {
    const [sub, ...rest] = args;
    const simple = <M extends NoInput>(method: M, human: (v: Out<M>) => string): Promise<number> => {
      const { values } = parseCommandArgs(`stack ${sub}`, rest, JSON_OPT);
      return callAndPrint(ctx, method, {} as In<M>, { json: values.json, human });
    };
    switch (sub) {
      case 'plan':
        return simple('stack.plan', formatPlan);
      case 'status':
        return simple('stack.status', formatStatus);
      case 'down':
        return simple('stack.down', formatAction);
      case 'start':
        return simple('stack.start', formatAction);
      case 'restart':
        return simple('stack.restart', formatAction);
      case 'up':
      case 'upgrade': {
        const { values } = parseCommandArgs(`stack ${sub}`, rest, JSON_OPT);
        return runTask(ctx, sub === 'up' ? 'stack.up' : 'stack.upgrade', values.json);
      }
      case 'logs':
        return logs(rest, ctx);
      case 'uninstall':
        return uninstall(rest, ctx);
      default:
        throw new UsageError(sub === undefined ? 'riglease stack needs a command.' : `Unknown stack command ${JSON.stringify(sub)}.`, 'See `riglease stack --help`.');
    }
  },
};
