import path from 'node:path';
import type { TaskSnapshot } from '../../api/schemas/task.js';
import { runFieldTest } from '../../app/diagnostics/field-test.js';
import { fieldTestDeps } from '../../app/diagnostics/field-test-agent.js';
import { formatReport } from '../../app/diagnostics/field-test-report.js';
import { parseCommandArgs, type CliCommand, type CliContext } from '../command.js';
import { UsageError } from '../errors.js';

const DEFAULT_WAIT_SEC = 600;

function parseWait(v: string | undefined): number {
  if (v === undefined) return DEFAULT_WAIT_SEC;
  if (!/^\d{1,5}$/.test(v) || Number(v) < 1 || Number(v) > 7200) throw new UsageError('--wait must be a number of seconds from 1 to 7200.', `For example --wait ${DEFAULT_WAIT_SEC}.`);
  return Number(v);
}

/** `up`'s progress as `stack up` shows it: each new log line once, on stderr. */
function upPrinter(ctx: CliContext): (t: TaskSnapshot) => void {
  let shown = 0;
  return (t) => {
    for (const line of t.log.slice(Math.min(shown, t.log.length))) ctx.err(`  up: ${line}\n`);
    shown = t.log.length;
  };
}

async function field(args: string[], ctx: CliContext): Promise<number> {
  const { values } = parseCommandArgs('doctor', args, {
    field: { type: 'boolean', default: false },
    farm: { type: 'boolean', default: false },
    json: { type: 'boolean', default: false },
    keep: { type: 'boolean', default: false },
    report: { type: 'string' },
    wait: { type: 'string' },
  });
  if (!values.field) throw new UsageError('riglease doctor needs --field (the only check it runs today).', 'See `riglease doctor --help`.');
  if (values.report !== undefined && values.report.trim() === '') throw new UsageError('--report needs a file name.', 'For example: --report field-test.json');
  const waitMs = parseWait(values.wait) * 1000;
  const controller = new AbortController();
  const onSigint = (): void => {
    ctx.err('Cancelling… (the step running now stops; the report is still written)\n');
    controller.abort();
  };
  process.on('SIGINT', onSigint);
  try {
    const result = await ctx.withHost(async (host) => {
      ctx.err('Field test: bringing the provider stack up, then checking it step by step.\n');
      return runFieldTest(fieldTestDeps(host.fieldTestParts(), upPrinter(ctx)), {
        keep: values.keep,
        waitMs,
        farm: values.farm,
        signal: controller.signal,
        ...(values.report !== undefined ? { reportPath: path.resolve(values.report) } : {}),
        onStart: (n, title) => ctx.err(`[${n}] ${title}…\n`),
        onEnd: (r) => ctx.err(`[${r.n}] ${r.status === 'passed' ? 'passed' : r.status === 'failed' ? 'FAILED' : 'not run'}: ${r.summary}\n`),
      });
    });
    if (values.json) ctx.out(`${JSON.stringify({ report: result.report, files: result.files }, null, 2)}\n`);
    else ctx.out(`${formatReport(result.report)}\nReport written to ${result.files.json} and ${result.files.text} (secrets removed). Attach both to a bug report.\n`);
    return result.report.passed ? 0 : 1;
  } finally {
    process.off('SIGINT', onSigint);
  }
}

export const doctorCommand: CliCommand = {
  name: 'doctor',
  summary: 'Field test on a real rig: bring the stack up and prove each part works, with a report',
  help: () => `Usage: riglease doctor --field [--farm] [--json] [--report PATH] [--keep] [--wait SEC]

Brings the provider stack up (as "riglease stack up" does, progress on stderr) and then checks,
in order: 1 the k3s image and container, 2 k3s ready, 3 resource definitions (CRDs),
4 namespaces, 5 every chart installed and its pods Ready, 6 Akash's inventory lists each
selected GPU, 7 the provider answers on 8443, 8 the provider's bid script prices a sample order
as "riglease pricing quote" does. With --farm (on the farm's controller, once machines joined):
9 every member is a Ready node at its own LAN address, 10 the provider, gateway and cert-manager
run on the controller, 11 Akash's inventory lists each member's GPUs on its node. A step that fails names the command, its exit code and the
last lines of its output; the steps that depend on it are "not run". Ctrl-C stops the step
running now and still writes the report. Usually 3-15 minutes (the first run downloads images).

Writes a report with secrets removed, readable only by you (mode 0600): JSON at PATH
(default <data folder>/reports/field-test-<time>.json) and a text summary beside it (.txt).
Attach both to a bug report. Exit 0 only when every step passed.

Options:
  --field       run the field test (required)
  --report PATH where to write the JSON report (relative paths are from the current folder)
  --keep        leave the stack running afterwards; without it a stack that was not running
                before the test is stopped again (data kept)
  --wait SEC    how long each step waits for the cluster to settle (default ${DEFAULT_WAIT_SEC})
  --json        print {report, files} as one JSON object`,
  run: (args, ctx) => field(args, ctx),
};
