import { RigError } from '../../api/errors.js';
import { BenchKind, BenchRun, Ladder } from '../../api/schemas/bench.js';
import type { TaskSnapshot } from '../../api/schemas/task.js';
import { cancelTask, taskEnded, type InProcessApi } from '../in-process-api.js';
import { parseCommandArgs, type CliCommand, type CliContext } from '../command.js';
import { UsageError } from '../errors.js';
import { formatBenchHistory, formatBenchRun, formatLadder } from '../format/bench.js';
import { printResult, runMethod } from '../run-method.js';

const WHAT = ['gpu', 'disk', 'network', 'ports', 'stability', 'all', 'ladder', 'history'] as const;

/**
 * Follows one task in the in-process agent: progress to stderr (unless quiet), Ctrl-C cancels it
 * (its containers are removed before we exit), and the end state comes back.
 */
async function followTask(agent: InProcessApi, ctx: CliContext, id: string, quiet: boolean): Promise<TaskSnapshot> {
  let last = '';
  const off = agent.hub.subscribe('task.progress', (s) => {
    if (quiet || s.task !== id || s.state !== 'running') return;
    const line = `[${s.step}/${s.of}] ${s.message}${s.percent === undefined ? '' : ` ${Math.round(s.percent)}%`}`;
    if (line !== last) ctx.err(`${line}\n`);
    last = line;
  });
  const onSigint = () => {
    ctx.err('Cancelling: stopping and removing the benchmark container…\n');
    cancelTask(agent, id);
  };
  process.on('SIGINT', onSigint);
  try {
    return await taskEnded(agent, id);
  } finally {
    process.off('SIGINT', onSigint);
    off();
  }
}

function taskError(s: TaskSnapshot): RigError {
  return s.error ? RigError.fromShape(s.error) : new RigError('internal', `The task ended ${s.state}.`);
}

export const benchCommand: CliCommand = {
  name: 'bench',
  summary: 'Benchmark the GPU, disk, network and ports; the pre-flight ladder; past results',
  help: () => `Usage: riglease bench [gpu|disk|network|ports|stability|all] [--json] [--gpu <uuid>] [--minutes <n>]
       riglease bench ladder [--json] [--gpu <uuid>]
       riglease bench history [--json] [--limit <n>]

Runs benchmarks (default: all = gpu, disk, network, ports) and stores the result with the date,
the driver version and the GPUs. The GPU figure comes from NVIDIA's CUDA n-body sample run in a
container through Docker (image: settings bench.images.nbody). Progress goes to stderr; Ctrl-C
cancels and removes the benchmark's containers.

  stability   a sustained load for --minutes (default 5) while temperature, clocks and power
              are sampled; flags throttling and errors
  ladder      the pre-flight proof: driver → Docker → Kubernetes → bid engine, each rung
              green or red with the reason
  history     past runs, newest first, and whether a re-run is suggested (driver or GPU changed)
  ports       reachability of 80, 443, 8443, 8444 from outside, through the probe in
              bench.network.portProbeUrl (a \`riglease probe-server\` someone hosts); asking the
              router to forward them is \`riglease ports map\`

Exit code: 0 when every section ran, 1 when one could not (the output says why), 2 on a usage error.

Options:
  --json         print exactly one JSON object (the stored run, the ladder, or the history)
  --gpu <uuid>   the GPU to use (from \`riglease hardware\`); default the first
  --minutes <n>  stability run length in minutes (0.1–240)
  --limit <n>    history: how many runs (default 20)`,
  run: async (args, ctx) => {
    const { values, positionals } = parseCommandArgs(
      'bench',
      args,
      { json: { type: 'boolean', default: false }, gpu: { type: 'string' }, minutes: { type: 'string' }, limit: { type: 'string' } },
      { max: 1 },
    );
    const what = positionals[0] ?? 'all';
    if (!(WHAT as readonly string[]).includes(what)) throw new UsageError(`riglease bench: unknown benchmark ${JSON.stringify(what)}.`, `Use one of: ${WHAT.join(', ')}.`);
    const json = values.json;
    const number = (name: string, v: string | undefined): number | undefined => {
      if (v === undefined) return undefined;
      const n = Number(v);
      if (!Number.isFinite(n)) throw new UsageError(`--${name} must be a number, not ${JSON.stringify(v)}.`);
      return n;
    };
    const gpuUuid = values.gpu;

    if (what === 'history') {
      const limit = number('limit', values.limit) ?? 20;
      const h = await ctx.withAgent((agent) => runMethod(agent, 'bench.history', { limit }));
      printResult(ctx, h, { json, human: formatBenchHistory });
      return 0;
    }
    if (what === 'ladder') {
      const ladder = await ctx.withAgent(async (agent) => {
        const ref = await runMethod(agent, 'bench.ladder', gpuUuid ? { gpuUuid } : {});
        const done = await followTask(agent, ctx, ref.id, json);
        if (done.state !== 'succeeded') throw taskError(done);
        return Ladder.parse(done.result);
      });
      printResult(ctx, ladder, { json, human: formatLadder });
      return ladder.stopsAt === null ? 0 : 1;
    }
    const kind = BenchKind.parse(what);
    const minutes = number('minutes', values.minutes);
    const run = await ctx.withAgent(async (agent) => {
      const ref = await runMethod(agent, 'bench.run', { kind, ...(gpuUuid ? { gpuUuid } : {}), ...(minutes === undefined ? {} : { minutes }) });
      const done = await followTask(agent, ctx, ref.id, json);
      if (done.state !== 'succeeded') throw taskError(done);
      return BenchRun.parse(done.result);
    });
    printResult(ctx, run, { json, human: formatBenchRun });
    return run.errors.length === 0 ? 0 : 1;
  },
};
