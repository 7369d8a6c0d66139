// The replayer behind ./nvidia-smi (a shell dispatcher). A stand-in for nvidia-smi that replays REAL captures from shared/fixtures/nvidia-smi (never
// invented output). What to print is decided by src/hardware/nvidia/capture-replay.ts — the same
// code demo mode replays with in-process — so this file only maps the environment and does the I/O:
//   FAKE_NVIDIA_SMI_XML=<capture.xml>   what `-q -x` prints (the capture's source-comment line dropped)
//   FAKE_NVIDIA_SMI_CSV=<capture.csv>   values for `--query-gpu` (columns picked by header name)
//   FAKE_NVIDIA_SMI_ERROR=<error_*.txt> print that message and exit with nvidia-smi's code for it
//   FAKE_NVIDIA_SMI_HANG=1              never answer (to test timeouts)
//   FAKE_NVIDIA_SMI_GARBAGE=truncate    print the XML cut in half
//   FAKE_NVIDIA_SMI_ONCE=1              (set by ./nvidia-smi) print one round of a repeating query and exit
import fs from 'node:fs';
import { loadCaptureReplay } from './load-capture-replay.mjs';

const env = process.env;
const args = process.argv.slice(2);

function write(text) {
  try {
    fs.writeSync(1, text);
  } catch {
    process.exit(0); // reader went away
  }
}

async function main() {
  if (env.FAKE_NVIDIA_SMI_HANG === '1') {
    setInterval(() => undefined, 1 << 30);
    return;
  }
  const { replayNvidiaSmi, stripSourceNote } = await loadCaptureReplay();
  const read = (name) => (env[name] ? fs.readFileSync(env[name], 'utf8') : undefined);
  const wantsXml = args.includes('-q') && args.includes('-x');
  if (wantsXml && !env.FAKE_NVIDIA_SMI_ERROR && !env.FAKE_NVIDIA_SMI_XML) {
    process.stderr.write('fake nvidia-smi: set FAKE_NVIDIA_SMI_XML to a capture from shared/fixtures/nvidia-smi\n');
    process.exit(2);
  }
  let xml = read('FAKE_NVIDIA_SMI_XML');
  if (xml !== undefined && wantsXml && env.FAKE_NVIDIA_SMI_GARBAGE === 'truncate') {
    const whole = stripSourceNote(xml);
    xml = whole.slice(0, Math.floor(whole.length / 2));
  }
  const result = replayNvidiaSmi(args, { xml, csv: read('FAKE_NVIDIA_SMI_CSV'), error: read('FAKE_NVIDIA_SMI_ERROR') });
  if (result.stderr) process.stderr.write(result.stderr);
  write(result.stdout);
  if (result.repeat && env.FAKE_NVIDIA_SMI_ONCE !== '1') {
    const { rows, everyMs } = result.repeat;
    setInterval(() => write(rows), everyMs);
    return;
  }
  process.exit(result.code);
}

await main();
