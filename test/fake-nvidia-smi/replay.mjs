// The replayer behind ./nvidia-smi (a shell dispatcher). A stand-in for nvidia-smi that replays REAL captures from shared/fixtures/nvidia-smi (never
// invented output). Plain JS so it runs without a build step. Environment:
//   FAKE_NVIDIA_SMI_XML=<capture.xml>   what `-q -x` prints (the capture's source-comment line dropped)
//   FAKE_NVIDIA_SMI_CSV=<capture.csv>   values for `--query-gpu` (columns picked by header name)
//   FAKE_NVIDIA_SMI_ERROR=<error_*.txt> print that message and exit with nvidia-smi's code for it
//   FAKE_NVIDIA_SMI_HANG=1              never answer (to test timeouts)
//   FAKE_NVIDIA_SMI_GARBAGE=truncate    print the XML cut in half
//   FAKE_NVIDIA_SMI_ONCE=1              (set by ./nvidia-smi) print one round of a repeating query and exit
import fs from 'node:fs';

const env = process.env;
const args = process.argv.slice(2);

// nvidia-smi exits with the NVML return code (nvmlReturn_t): 6 NOT_FOUND, 9 DRIVER_NOT_LOADED,
// 12 LIBRARY_NOT_FOUND, 18 LIB_RM_VERSION_MISMATCH, 4 NO_PERMISSION.
const ERROR_EXIT_CODES = [
  [/couldn't communicate with the NVIDIA driver/i, 9],
  [/libnvidia-ml/i, 12],
  [/No devices were found/i, 6],
  [/version mismatch/i, 18],
  [/Insufficient Permissions/i, 4],
];

function readCapture(file) {
  const text = fs.readFileSync(file, 'utf8');
  // Drop the source note: `<!-- source: ... -->` after the XML declaration, or a leading `# source:` line.
  return text
    .split('\n')
    .filter((line, i) => !(i < 3 && (/^\s*<!-- source:.*-->\s*$/.test(line) || /^# source:/.test(line))))
    .join('\n');
}

function write(text) {
  try {
    fs.writeSync(1, text);
  } catch {
    process.exit(0); // reader went away
  }
}

function main() {
  if (env.FAKE_NVIDIA_SMI_HANG === '1') {
    setInterval(() => undefined, 1 << 30);
    return;
  }

  if (env.FAKE_NVIDIA_SMI_ERROR) {
    const text = readCapture(env.FAKE_NVIDIA_SMI_ERROR);
    const rule = ERROR_EXIT_CODES.find(([re]) => re.test(text));
    write(text.endsWith('\n') ? text : `${text}\n`);
    process.exit(rule ? rule[1] : 255);
  }

  const queryArg = args.find((a) => a.startsWith('--query-gpu='));
  if (queryArg) {
    runQuery(queryArg.slice('--query-gpu='.length).split(','));
    return;
  }

  if (args.includes('-q') && args.includes('-x')) {
    if (!env.FAKE_NVIDIA_SMI_XML) {
      process.stderr.write('fake nvidia-smi: set FAKE_NVIDIA_SMI_XML to a capture from shared/fixtures/nvidia-smi\n');
      process.exit(2);
    }
    let xml = readCapture(env.FAKE_NVIDIA_SMI_XML);
    if (env.FAKE_NVIDIA_SMI_GARBAGE === 'truncate') xml = xml.slice(0, Math.floor(xml.length / 2));
    write(xml);
    process.exit(0);
  }

  process.stderr.write(`fake nvidia-smi: unsupported arguments: ${args.join(' ')}\n`);
  process.exit(2);
}


// ---- --query-gpu ----

function runQuery(fields) {
  const format = (args.find((a) => a.startsWith('--format=')) || '--format=csv').slice('--format='.length).split(',');
  const noUnits = format.includes('nounits');
  const noHeader = format.includes('noheader');
  const lmsIdx = args.indexOf('-lms');
  const lIdx = args.indexOf('-l');
  const everyMs = lmsIdx >= 0 ? Number(args[lmsIdx + 1]) : lIdx >= 0 ? Number(args[lIdx + 1]) * 1000 : 0;
  const rows = env.FAKE_NVIDIA_SMI_CSV ? rowsFromCsv(fields) : rowsFromXml(fields);
  const render = () => rows.map((r) => r.map((v) => (noUnits ? stripUnit(v) : v)).join(', ')).join('\n') + '\n';
  if (!noHeader) write(`${fields.join(', ')}\n`);
  write(render());
  if (everyMs > 0 && env.FAKE_NVIDIA_SMI_ONCE !== '1') setInterval(() => write(render()), everyMs);
}

function stripUnit(v) {
  const m = /^(-?\d+(?:\.\d+)?) (?:MiB|W|%|MHz|C)$/.exec(v);
  return m ? m[1] : v;
}

// Query names that are aliases of the long form a full capture's header uses.
const ALIASES = { 'clocks.sm': 'clocks.current.sm', 'clocks.gr': 'clocks.current.graphics', 'clocks.mem': 'clocks.current.memory' };

function rowsFromCsv(fields) {
  const lines = readCapture(env.FAKE_NVIDIA_SMI_CSV).split('\n').filter((l) => l.trim().length > 0);
  const header = lines[0].split(',').map((h) => h.trim().replace(/\s*\[.*\]$/, ''));
  return lines.slice(1).map((line, row) => {
    const values = line.split(', ').map((v) => v.trim());
    return fields.map((f) => {
      let i = header.indexOf(f);
      if (i < 0 && ALIASES[f]) i = header.indexOf(ALIASES[f]);
      // A capture that did not ask for `index` still lists GPUs in index order.
      if (i < 0 && f === 'index') return String(row);
      return i >= 0 && i < values.length ? values[i] : '[N/A]';
    });
  });
}

function rowsFromXml(fields) {
  const xml = readCapture(env.FAKE_NVIDIA_SMI_XML);
  const gpus = xml.split(/<gpu id=/).slice(1);
  const driver = tag(xml, 'driver_version');
  return gpus.map((g, index) =>
    fields.map((f) => {
      switch (f) {
        case 'index': return String(index);
        case 'uuid': return tag(g, 'uuid');
        case 'name': return tag(g, 'product_name');
        case 'driver_version': return driver;
        case 'pci.bus_id': return tag(g, 'pci_bus_id');
        case 'utilization.gpu': return tag(section(g, 'utilization'), 'gpu_util');
        case 'memory.used': return tag(section(g, 'fb_memory_usage'), 'used');
        case 'memory.total': return tag(section(g, 'fb_memory_usage'), 'total');
        case 'temperature.gpu': return stripC(tag(section(g, 'temperature'), 'gpu_temp'));
        case 'power.draw': return firstOf(g, ['power_draw', 'instant_power_draw', 'average_power_draw']);
        case 'power.limit': return firstOf(g, ['power_limit', 'current_power_limit']);
        case 'fan.speed': return tag(g, 'fan_speed');
        case 'clocks.sm': case 'clocks.current.sm': return tag(section(g, 'clocks'), 'sm_clock');
        default: return '[N/A]';
      }
    }).map(naBrackets),
  );
}

function section(text, name) {
  const m = new RegExp(`<${name}>([\\s\\S]*?)</${name}>`).exec(text);
  return m ? m[1] : '';
}
function tag(text, name) {
  const m = new RegExp(`<${name}>([^<]*)</${name}>`).exec(text);
  return m ? m[1].trim() : '[N/A]';
}
function firstOf(g, names) {
  for (const n of names) {
    const v = tag(g, n);
    if (/^\d/.test(v)) return v;
  }
  return '[N/A]';
}
// The CSV form writes temperatures without a unit and unknowns as [N/A].
function stripC(v) {
  return v.replace(/ C$/, '');
}
function naBrackets(v) {
  return v === 'N/A' ? '[N/A]' : v;
}

main();
