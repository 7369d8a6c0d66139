import { RigError } from '../../api/errors.js';
import { FarmJoinResult, FarmToken, FLEET_PAGE_MAX, type FarmActionResult, type FarmBidding, type FarmStatus } from '../../api/schemas/farm.js';
import type { TaskSnapshot } from '../../api/schemas/task.js';
import { taskEnded, type InProcessApi } from '../in-process-api.js';
import { parseCommandArgs, type CliCommand, type CliContext } from '../command.js';
import { UsageError } from '../errors.js';
import { readSecretFromStdin } from '../chain-cli.js';
import { callAndPrint, printResult, runMethod } from '../run-method.js';

const JSON_OPT = { json: { type: 'boolean', default: false } } as const;

function formatToken(t: FarmToken): string {
  return [
    'Join code (a secret: it lets a machine into this farm until it expires):',
    '',
    t.code,
    '',
    `Expires: ${t.expiresAt}${t.tokenId ? `   id: ${t.tokenId} (revoke: riglease farm token revoke ${t.tokenId})` : ''}`,
    `k3s: ${t.k3sUrl}   fleet API: ${t.api}`,
    '',
    'On the other machine: riglease farm join - (then paste the code), or Fleet → Join a farm in the app.',
    ...t.notes.map((n) => `note: ${n}`),
    ...(t.stack?.action === 'needs-confirmation' && t.stack.leases.length ? ['', 'Leases that a re-creation would restart:', ...t.stack.leases.map((l) => `  ${l}`)] : []),
  ].join('\n');
}

/** Follows a task of this process to its end, its log lines on stderr. */
async function follow(ctx: CliContext, agent: InProcessApi, id: string): Promise<TaskSnapshot> {
  let shown = 0;
  const show = (t: TaskSnapshot): void => {
    if (t.task !== id) return;
    for (const line of t.log.slice(Math.min(shown, t.log.length))) ctx.err(`${line}\n`);
    shown = t.log.length;
  };
  const off = agent.hub.subscribe('task.progress', show);
  try {
    const done = await taskEnded(agent, id);
    show(done);
    return done;
  } finally {
    off();
  }
}

/**
 * The join code; when the stack is re-created for the farm (no lease running, or --recreate
 * --yes), that task is followed here to its end (its log on stderr), since this process owns it.
 */
async function token(ctx: CliContext, validMinutes: number, recreate: boolean, json: boolean): Promise<number> {
  const { t, snap } = await ctx.withAgent(async (agent) => {
    const t = await runMethod(agent, 'farm.token', { validMinutes, recreate });
    const task = t.stack?.task;
    if (!task) return { t, snap: null };
    ctx.err(`Re-creating the provider stack for the farm (task ${task.id})…\n`);
    return { t, snap: await follow(ctx, agent, task.id) };
  });
  printResult(ctx, FarmToken.parse(t), { json, human: formatToken });
  if (snap && snap.state !== 'succeeded') {
    ctx.err(`The stack was not re-created: ${snap.error?.message ?? snap.message}. The code is valid; run \`riglease stack up\` before machines join.\n`);
    return 1;
  }
  if (snap && !json) ctx.out('The provider stack is re-created: machines can join now.\n');
  return 0;
}

function formatJoin(r: FarmJoinResult): string {
  return [
    `${r.changed ? 'Joined' : 'Already joined'} the farm of ${r.controller} as node ${r.nodeName}.`,
    `Agent container: ${r.container.name} (${r.container.started ? 'started' : 'running'})`,
    `GPUs offered: ${r.gpus.map((g) => g.name).join(', ') || 'none'}`,
    ...r.notes.map((n) => `note: ${n}`),
  ].join('\n');
}

function formatStatus(s: FarmStatus): string {
  if (s.role !== 'controller') return [`Role: ${s.role}${s.controller ? ` (controller ${s.controller.hostname} at ${s.controller.api})` : ''}`, ...s.notes].join('\n');
  const lines = [`Farm: ${s.totals.machines} machines (${s.totals.reachable} answering), ${s.totals.gpus} GPUs`, ''];
  for (const m of s.machines) {
    lines.push(`${m.hostname}  ${m.role}  node ${m.nodeName} ${m.node.intent}${m.node.applied ? '' : ' (intent)'}  ${m.reachability}  last seen ${m.lastSeen ?? 'never'}  ${m.availability ?? ''}`);
    if (m.address?.advertised || m.address?.seenFrom) lines.push(`    LAN address (k3s advertises): ${m.address.advertised ?? 'not told'}${m.address.seenFrom ? `  connects from ${m.address.seenFrom}` : ''}${m.address.warning ? '  — they differ (see the note below)' : ''}`);
    for (const g of m.gpus) lines.push(`    ${g.name}  ${g.utilizationPct ?? '?'}%  ${g.temperatureC ?? '?'}°C  ${g.powerDrawW ?? '?'} W`);
    if (m.bench) lines.push(`    benchmark: ${m.bench.gflops.toFixed(0)} GFLOP/s (${m.bench.at})`);
    if (m.leases) lines.push(m.leases.known ? `    leases: ${m.leases.leases.length}${m.leases.leases.length ? ` (${m.leases.leases.map((l) => l.key).join(', ')})` : ''}  share of earnings: ${m.leases.sharePct === null ? '—' : `${m.leases.sharePct}%`}` : '    leases: unknown (the cluster did not say where leases run)');
  }
  if (s.page && s.page.total > s.machines.length) {
    const { offset, limit, total } = s.page;
    const page = Math.floor(offset / limit) + 1;
    const more = offset + limit < total ? `; next: riglease farm status --page ${page + 1}${limit === CLI_PAGE_SIZE ? '' : ` --per-page ${limit}`}` : '';
    lines.push('', `Machines ${s.machines.length === 0 ? 0 : offset + 1}–${offset + s.machines.length} of ${total} (page ${page} of ${Math.ceil(total / limit)})${more}`);
  }
  if (s.leases && s.leases.unplaced.length > 0) lines.push('', `Leases on an unknown machine: ${s.leases.unplaced.map((l) => l.key).join(', ')}`);
  return [...lines, ...s.notes.map((n) => `note: ${n}`)].join('\n');
}

/** Machines per page of `riglease farm status` (the controller pages; the whole farm's totals and notes come with every page). */
const CLI_PAGE_SIZE = 50;

function pageArgs(values: { page: string; 'per-page': string }): { offset: number; limit: number } {
  if (!/^\d{1,6}$/.test(values.page) || Number(values.page) < 1) throw new UsageError('--page must be a number from 1.');
  if (!/^\d{1,3}$/.test(values['per-page']) || Number(values['per-page']) < 1 || Number(values['per-page']) > FLEET_PAGE_MAX) throw new UsageError(`--per-page must be a number from 1 to ${FLEET_PAGE_MAX}.`);
  const limit = Number(values['per-page']);
  return { offset: (Number(values.page) - 1) * limit, limit };
}

function formatAction(r: FarmActionResult): string {
  return [r.message, ...r.commands.map((c) => `  ${c.applied ? 'ran' : 'not run'}: ${c.command.join(' ')}${c.note ? ` — ${c.note}` : ''}`)].join('\n');
}

/**
 * The join code lets a machine into the farm, so it never travels in argv, where the shell's
 * history and every process listing (`ps`) on this computer would keep it: it is pasted at a
 * hidden prompt, or piped in (`riglease farm join - < code.txt`).
 */
function joinCodeSource(positionals: string[]): void {
  const given = positionals[0];
  if (given === undefined || given === '-') return;
  throw new UsageError(
    'The join code is not taken on the command line: it would stay in your shell history and be visible to every program on this computer while joining.',
    'Run `riglease farm join` and paste the code when asked, or pipe it in: `riglease farm join - < code.txt`.',
  );
}

/** Join as a task in this process: steps and the image download on stderr, the result on stdout. */
async function join(ctx: CliContext, code: string, json: boolean): Promise<number> {
  const snap = await ctx.withAgent(async (agent) => follow(ctx, agent, (await runMethod(agent, 'farm.joinStart', { code })).id));
  if (snap.state !== 'succeeded') throw snap.error ? RigError.fromShape(snap.error) : new RigError('internal', snap.message);
  printResult(ctx, FarmJoinResult.parse(snap.result), { json, human: formatJoin });
  return 0;
}

/** `farm pause|resume --all`: the whole farm (the bid table), never one machine's node. */
async function wholeFarm(ctx: CliContext, sub: 'pause' | 'resume', rest: string[]): Promise<number> {
  const { values } = parseCommandArgs(`farm ${sub}`, rest, { ...JSON_OPT, all: { type: 'boolean', default: false }, reason: { type: 'string' } });
  const human = (b: FarmBidding) => b.message;
  if (sub === 'resume') return callAndPrint(ctx, 'farm.resumeAll', {}, { json: values.json, human });
  return callAndPrint(ctx, 'farm.pauseAll', values.reason !== undefined ? { reason: values.reason } : {}, { json: values.json, human });
}

async function machineCommand(ctx: CliContext, sub: 'pause' | 'resume' | 'remove' | 'offline', rest: string[]): Promise<number> {
  if ((sub === 'pause' || sub === 'resume') && rest.includes('--all')) return wholeFarm(ctx, sub, rest);
  const { values, positionals } = parseCommandArgs(`farm ${sub}`, rest, { ...JSON_OPT, yes: { type: 'boolean', default: false } }, { min: 1, max: 1 });
  const machine = positionals[0]!;
  if (sub === 'remove') return callAndPrint(ctx, 'farm.remove', { machine, confirm: values.yes }, { json: values.json, human: formatAction });
  if (sub === 'offline') return callAndPrint(ctx, 'farm.offline', { machine, confirm: values.yes }, { json: values.json, human: formatAction });
  return callAndPrint(ctx, sub === 'pause' ? 'farm.pause' : 'farm.resume', { machine }, { json: values.json, human: formatAction });
}

export const farmCommand: CliCommand = {
  name: 'farm',
  summary: 'Farm mode: many machines, one provider — token, join, leave, status, pause, resume, offline, remove',
  help: () => `Usage: riglease farm <command> [--json]

  token [--minutes N]   on the controller: make this machine the farm's controller and print a join
                        code (k3s URL + join token, fleet API address, pairing secret). A secret.
                        A stack set up before is re-created once to accept machines (k3s restarts)
                        when no lease runs; with leases running it lists them and needs
                        --recreate --yes (those leases restart).
  token revoke ID       revoke a join code (its id is printed with it): its k3s token is deleted
                        and it lets nobody in any more; machines that joined with it stay
  join [-]              on another machine: asks for the join code (pasted, not shown; or piped
                        in: join - < code.txt), then readiness scan, registration with the
                        controller and the k3s agent container. The code is never an argument:
                        argv ends up in shell history and process listings. Joining twice
                        changes nothing.
  status [--page N] [--per-page N]
                        the machines, 50 a page (controller first, then in joining order): role,
                        node state, advertised LAN address, GPUs with live telemetry, last seen;
                        totals and notes are the whole farm's
  pause MACHINE         cordon that one machine's node: no new lease lands there; running leases
                        continue; the other machines keep bidding
  resume MACHINE        uncordon it again (also after offline)
  pause --all [--reason TEXT]
                        pause the WHOLE farm: the provider bids for none of its machines (the bid
                        table's paused flag); running leases continue
  resume --all          lift the whole-farm pause (machines paused on their own stay cordoned)
  offline MACHINE       drain the machine's node: the leases on it end. Without --yes it only lists
                        the leases that would end (or says all on the node could, when unknown)
  remove MACHINE --yes  drain and delete its node, forget its pairing (the machine is then refused
                        and shows how to remove its agent)
  leave --yes           on a member: remove this machine's k3s agent and forget its pairing (never
                        done on the controller's word alone: without --yes it says what goes)

Options:
  --json   print exactly one JSON object (the API's answer)`,
  run: async (args, ctx) => {
    const [sub, ...rest] = args;
    switch (sub) {
      case 'token': {
        if (rest[0] === 'revoke') {
          const r = parseCommandArgs('farm token revoke', rest.slice(1), JSON_OPT, { min: 1, max: 1 });
          return callAndPrint(ctx, 'farm.revokeToken', { id: r.positionals[0]! }, { json: r.values.json, human: (x) => x.message });
        }
        const { values } = parseCommandArgs('farm token', rest, { ...JSON_OPT, minutes: { type: 'string', default: '60' }, recreate: { type: 'boolean', default: false }, yes: { type: 'boolean', default: false } });
        if (!/^\d{1,5}$/.test(values.minutes)) throw new UsageError('--minutes must be a number (5 to 10080).');
        if (values.recreate !== values.yes) throw new UsageError('--recreate restarts k3s and the leases running on this machine: give it together with --yes.');
        return token(ctx, Number(values.minutes), values.recreate, values.json);
      }
      case 'join': {
        const { values, positionals } = parseCommandArgs('farm join', rest, JSON_OPT, { max: 1 });
        joinCodeSource(positionals);
        return join(ctx, await readSecretFromStdin('Paste the join code from the controller (it is not shown), then press Enter: '), values.json);
      }
      case 'leave': {
        const { values } = parseCommandArgs('farm leave', rest, { ...JSON_OPT, yes: { type: 'boolean', default: false } });
        return callAndPrint(ctx, 'farm.leave', { confirm: values.yes }, { json: values.json, human: (r) => r.message });
      }
      case 'status': {
        const { values } = parseCommandArgs('farm status', rest, { ...JSON_OPT, page: { type: 'string', default: '1' }, 'per-page': { type: 'string', default: String(CLI_PAGE_SIZE) } });
        return callAndPrint(ctx, 'farm.status', pageArgs(values), { json: values.json, human: formatStatus });
      }
      case 'pause':
      case 'resume':
      case 'remove':
      case 'offline':
        return machineCommand(ctx, sub, rest);
      default:
        throw new UsageError(sub === undefined ? 'riglease farm needs a command.' : `Unknown farm command ${JSON.stringify(sub)}.`, 'See `riglease farm --help`.');
    }
  },
};
