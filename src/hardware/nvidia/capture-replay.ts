// What nvidia-smi prints for a set of arguments, replayed from REAL captures (never invented
// output). Pure: the caller reads the capture files and prints the result. Two users share it:
// the test fake (test/fake-nvidia-smi/replay.mjs, a process) and demo mode (in-process, through
// the hardware service's nvidia-smi runner, see replay-runner.ts).
// This file has NO imports, so the test fake can load it without a build step.

/** The capture texts to replay, as read from disk (source-note lines are dropped here). */
export interface ReplayCaptures {
  /** A `nvidia-smi -q -x` capture: what `-q -x` prints and, without `csv`, the `--query-gpu` values. */
  xml?: string | undefined;
  /** A `--query-gpu` capture: values for `--query-gpu`, columns matched by header name. */
  csv?: string | undefined;
  /** An `error_*.txt` capture: printed, with nvidia-smi's exit code for it, whatever was asked. */
  error?: string | undefined;
}

/** What one nvidia-smi run prints and how it ends. */
export interface ReplayResult {
  stdout: string;
  stderr: string;
  code: number;
  /**
   * A repeating query (`-lms N` / `-l N`): after `stdout`, these rows (no header) come again
   * every `everyMs` until the process is stopped. Null for a run that ends.
   */
  repeat: { everyMs: number; rows: string } | null;
}

// nvidia-smi exits with the NVML return code (nvmlReturn_t): 6 NOT_FOUND, 9 DRIVER_NOT_LOADED,
// 12 LIBRARY_NOT_FOUND, 18 LIB_RM_VERSION_MISMATCH, 4 NO_PERMISSION.
const ERROR_EXIT_CODES: ReadonlyArray<readonly [RegExp, number]> = [
  [/couldn't communicate with the NVIDIA driver/i, 9],
  [/libnvidia-ml/i, 12],
  [/No devices were found/i, 6],
  [/version mismatch/i, 18],
  [/Insufficient Permissions/i, 4],
];

/** Drops a capture's source note: `<!-- source: … -->` after the XML declaration, or a leading `# source:` line. */
export function stripSourceNote(text: string): string {
  return text
    .split('\n')
    .filter((line, i) => !(i < 3 && (/^\s*<!-- source:.*-->\s*$/.test(line) || /^# source:/.test(line))))
    .join('\n');
}

/** The exit code nvidia-smi gives with this error text (255 when the text is not a known NVML error). */
export function errorExitCode(text: string): number {
  return ERROR_EXIT_CODES.find(([re]) => re.test(text))?.[1] ?? 255;
}

/** The repeat period asked for with `-lms N` or `-l N` (seconds), 0 when the query runs once. */
export function repeatMs(args: readonly string[]): number {
  const lms = args.indexOf('-lms');
  if (lms >= 0) return Number(args[lms + 1]) || 0;
  const l = args.indexOf('-l');
  if (l >= 0) return (Number(args[l + 1]) || 0) * 1000;
  return 0;
}

/** Replays one nvidia-smi run. Unsupported arguments answer like a usage error (exit 2). */
export function replayNvidiaSmi(args: readonly string[], captures: ReplayCaptures): ReplayResult {
  const done = (stdout: string, code: number, stderr = ''): ReplayResult => ({ stdout, stderr, code, repeat: null });
  if (captures.error !== undefined) {
    const text = stripSourceNote(captures.error);
    return done(text.endsWith('\n') ? text : `${text}\n`, errorExitCode(text));
  }
  const queryArg = args.find((a) => a.startsWith('--query-gpu='));
  if (queryArg) return runQuery(args, queryArg.slice('--query-gpu='.length).split(','), captures);
  if (args.includes('-q') && args.includes('-x')) {
    if (captures.xml === undefined) return done('', 2, 'fake nvidia-smi: no -q -x capture to replay\n');
    return done(stripSourceNote(captures.xml), 0);
  }
  return done('', 2, `fake nvidia-smi: unsupported arguments: ${args.join(' ')}\n`);
}

// ---- --query-gpu ----

function runQuery(args: readonly string[], fields: string[], captures: ReplayCaptures): ReplayResult {
  const format = (args.find((a) => a.startsWith('--format=')) ?? '--format=csv').slice('--format='.length).split(',');
  const noUnits = format.includes('nounits');
  const noHeader = format.includes('noheader');
  let table: string[][];
  if (captures.csv !== undefined) table = rowsFromCsv(stripSourceNote(captures.csv), fields);
  else if (captures.xml !== undefined) table = rowsFromXml(stripSourceNote(captures.xml), fields);
  else return { stdout: '', stderr: 'fake nvidia-smi: no capture to answer --query-gpu from\n', code: 2, repeat: null };
  const rows = `${table.map((r) => r.map((v) => (noUnits ? stripUnit(v) : v)).join(', ')).join('\n')}\n`;
  const header = noHeader ? '' : `${fields.join(', ')}\n`;
  const everyMs = repeatMs(args);
  return { stdout: header + rows, stderr: '', code: 0, repeat: everyMs > 0 ? { everyMs, rows } : null };
}

function stripUnit(v: string): string {
  const m = /^(-?\d+(?:\.\d+)?) (?:MiB|W|%|MHz|C)$/.exec(v);
  return m?.[1] ?? v;
}

// Query names that are aliases of the long form a full capture's header uses.
const ALIASES: Readonly<Record<string, string>> = { 'clocks.sm': 'clocks.current.sm', 'clocks.gr': 'clocks.current.graphics', 'clocks.mem': 'clocks.current.memory' };

function rowsFromCsv(text: string, fields: string[]): string[][] {
  const lines = text.split('\n').filter((l) => l.trim().length > 0);
  const header = (lines[0] ?? '').split(',').map((h) => h.trim().replace(/\s*\[.*\]$/, ''));
  return lines.slice(1).map((line, row) => {
    const values = line.split(', ').map((v) => v.trim());
    return fields.map((f) => {
      let i = header.indexOf(f);
      const alias = ALIASES[f];
      if (i < 0 && alias) i = header.indexOf(alias);
      // A capture that did not ask for `index` still lists GPUs in index order.
      if (i < 0 && f === 'index') return String(row);
      return (i >= 0 ? values[i] : undefined) ?? '[N/A]';
    });
  });
}

function rowsFromXml(xml: string, fields: string[]): string[][] {
  const gpus = xml.split(/<gpu id=/).slice(1);
  const driver = tag(xml, 'driver_version');
  return gpus.map((g, index) => fields.map((f) => naBrackets(xmlField(g, f, index, driver))));
}

function xmlField(g: string, f: string, index: number, driver: string): string {
  switch (f) {
    case 'index': return String(index);
    case 'uuid': return tag(g, 'uuid');
    case 'name': return tag(g, 'product_name');
    case 'driver_version': return driver;
    case 'pci.bus_id': return tag(g, 'pci_bus_id');
    case 'utilization.gpu': return tag(section(g, 'utilization'), 'gpu_util');
    case 'memory.used': return tag(section(g, 'fb_memory_usage'), 'used');
    case 'memory.total': return tag(section(g, 'fb_memory_usage'), 'total');
    // The CSV form writes temperatures without a unit.
    case 'temperature.gpu': return tag(section(g, 'temperature'), 'gpu_temp').replace(/ C$/, '');
    case 'power.draw': return firstOf(g, ['power_draw', 'instant_power_draw', 'average_power_draw']);
    case 'power.limit': return firstOf(g, ['power_limit', 'current_power_limit']);
    case 'fan.speed': return tag(g, 'fan_speed');
    case 'clocks.sm': case 'clocks.current.sm': return tag(section(g, 'clocks'), 'sm_clock');
    default: return '[N/A]';
  }
}

function section(text: string, name: string): string {
  return new RegExp(`<${name}>([\\s\\S]*?)</${name}>`).exec(text)?.[1] ?? '';
}
function tag(text: string, name: string): string {
  return new RegExp(`<${name}>([^<]*)</${name}>`).exec(text)?.[1]?.trim() ?? '[N/A]';
}
function firstOf(g: string, names: string[]): string {
  for (const n of names) {
    const v = tag(g, n);
    if (/^\d/.test(v)) return v;
  }
  return '[N/A]';
}
// The CSV form writes unknowns as [N/A].
function naBrackets(v: string): string {
  return v === 'N/A' ? '[N/A]' : v;
}
