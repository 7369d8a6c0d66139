// The idle agent's cost (issue #2): `riglease serve` with GPU telemetry streaming every 1000 ms
// to one open dashboard (a WebSocket subscribed to gpu.telemetry), measured from outside through
// /proc for the server and every descendant (the long-lived nvidia-smi included).
// Targets (issue #16): ≤ 0.25 % of one core, ≤ 100 MiB RSS for the whole process tree.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import WebSocket from 'ws';
import { fakeNvidiaSmiEnv } from '../test/fake-nvidia-smi/index.js';

export interface IdleAgentFigures {
  seconds: number;
  /** CPU time of the whole tree over the window, as % of one core. */
  cpuPercent: number;
  /** The same CPU split: the agent's own Node process vs its children (nvidia-smi). */
  cpuServerPercent: number;
  cpuChildrenPercent: number;
  /** Highest sum of VmRSS over the tree seen during the window (sampled each second). */
  peakRssMiB: number;
  /** The same peak split: the agent's own Node process vs its children (nvidia-smi). */
  peakServerRssMiB: number;
  peakChildrenRssMiB: number;
  /** Telemetry events the dashboard received in the window (≈ seconds at 1000 ms). */
  events: number;
  processes: string[];
  capture: string;
}

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const CAPTURE = 'rtx4090_535.86.05_1gpu.xml';

interface ProcSample {
  pid: number;
  ppid: number;
  comm: string;
  ticks: number;
  childTicks: number;
}

async function readProc(pid: number): Promise<ProcSample | null> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    // comm is in parentheses and may contain spaces: split after the last ')'.
    const close = stat.lastIndexOf(')');
    const comm = stat.slice(stat.indexOf('(') + 1, close);
    const f = stat.slice(close + 2).split(' ');
    // After comm: [0]=state [1]=ppid … [11]=utime [12]=stime [13]=cutime [14]=cstime
    return { pid, ppid: Number(f[1]), comm, ticks: Number(f[11]) + Number(f[12]), childTicks: Number(f[13]) + Number(f[14]) };
  } catch {
    return null; // gone between listing and reading
  }
}

async function rssKiB(pid: number): Promise<number> {
  try {
    const m = /^VmRSS:\s+(\d+) kB/m.exec(await readFile(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}

/** The root and all its live descendants, found by scanning /proc for parent links. */
async function processTree(root: number): Promise<ProcSample[]> {
  const all = (await Promise.all((await readdir('/proc')).filter((d) => /^\d+$/.test(d)).map((d) => readProc(Number(d))))).filter(
    (p): p is ProcSample => p !== null,
  );
  const tree: ProcSample[] = [];
  const wanted = new Set([root]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const p of all) {
      if ((p.pid === root || wanted.has(p.ppid)) && !tree.includes(p)) {
        tree.push(p);
        wanted.add(p.pid);
        grew = true;
      }
    }
  }
  return tree;
}

/** Tree CPU ticks: the root's own and reaped children's time, plus live descendants' own time. */
function treeTicks(tree: ProcSample[], root: number): number {
  return tree.reduce((sum, p) => sum + p.ticks + (p.pid === root ? p.childTicks : 0), 0);
}

function firstLine(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let buf = '';
    let err = '';
    child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
    child.stdout?.on('data', (d: Buffer) => {
      buf += d.toString();
      const nl = buf.indexOf('\n');
      if (nl >= 0) resolve(buf.slice(0, nl));
    });
    child.once('exit', (code) => reject(new Error(`riglease serve exited (${code}) before printing its URL: ${err}`)));
  });
}

export async function benchIdleAgent(seconds = 60): Promise<IdleAgentFigures> {
  if (process.platform !== 'linux') throw new Error('The idle-agent bench reads /proc and runs on Linux only.');
  const clkTck = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim()) || 100;
  const scratch = await mkdtemp(path.join(os.tmpdir(), 'riglease-bench-idle-'));
  // The agent as shipped (one esbuild bundle, plain node), not under a TypeScript loader.
  const bundle = path.join(ROOT, 'dist', '.bench', `idle-${process.pid}`, 'cli.js');
  // Split like scripts/build.mjs, so lazily imported parts (the chain libraries) stay out of start-up.
  await build({ absWorkingDir: ROOT, entryPoints: { cli: 'src/cli/main.ts' }, outdir: path.dirname(bundle), splitting: true, chunkNames: 'chunks/[name]-[hash]', bundle: true, format: 'esm', platform: 'node', target: 'node20', packages: 'external', logLevel: 'silent' });

  const env = { ...fakeNvidiaSmiEnv({ xml: CAPTURE }), RIGLEASE_HOME: scratch };
  // RIGLEASE_BENCH_NODE_ARGS='--cpu-prof --cpu-prof-dir=/tmp/prof' profiles the idle agent itself.
  const nodeArgs = (process.env['RIGLEASE_BENCH_NODE_ARGS'] ?? '').split(' ').filter(Boolean);
  const server = spawn(process.execPath, [...nodeArgs, bundle, 'serve', '--port', '0'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let ws: WebSocket | null = null;
  try {
    const url = new URL(await firstLine(server));
    const token = url.searchParams.get('token') ?? '';
    const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    // Pin the telemetry period the target is defined for.
    await fetch(new URL('/api/rpc', url), { method: 'POST', headers, body: JSON.stringify({ method: 'settings.set', input: { key: 'hardware.telemetryIntervalMs', value: 1000 } }) });

    let events = 0;
    ws = new WebSocket(new URL('/api/events', url).href.replace(/^http/, 'ws'), { headers: { authorization: headers.authorization, origin: url.origin } });
    const firstEvent = new Promise<void>((resolve, reject) => {
      ws!.on('message', (data) => {
        const m = JSON.parse(data.toString()) as { type: string };
        if (m.type === 'event') {
          events += 1;
          resolve();
        }
      });
      ws!.once('error', reject);
      setTimeout(() => reject(new Error('no telemetry event within 20 s')), 20_000).unref();
    });
    await new Promise<void>((resolve, reject) => {
      ws!.once('open', () => resolve());
      ws!.once('error', reject);
    });
    ws.send(JSON.stringify({ type: 'subscribe', event: 'gpu.telemetry' }));
    await firstEvent;
    // Let start-up work (module loading, the first spawn) settle before the window opens.
    await new Promise((r) => setTimeout(r, 3000));

    const pid = server.pid!;
    const startTree = await processTree(pid);
    const startTicks = treeTicks(startTree, pid);
    const startAt = process.hrtime.bigint();
    events = 0;
    let peak = { total: 0, server: 0, children: 0 };
    const names = new Set<string>();
    const deadline = Date.now() + seconds * 1000;
    while (Date.now() < deadline) {
      const tree = await processTree(pid);
      const rss = await Promise.all(tree.map((p) => rssKiB(p.pid)));
      const serverRss = rss[tree.findIndex((p) => p.pid === pid)] ?? 0;
      const total = rss.reduce((a, b) => a + b, 0);
      if (total > peak.total) peak = { total, server: serverRss, children: total - serverRss };
      for (const p of tree) names.add(p.comm);
      await new Promise((r) => setTimeout(r, Math.min(1000, Math.max(0, deadline - Date.now()))));
    }
    const endTree = await processTree(pid);
    const endTicks = treeTicks(endTree, pid);
    const elapsed = Number(process.hrtime.bigint() - startAt) / 1e9;
    const own = (tree: ProcSample[]) => tree.find((p) => p.pid === pid)?.ticks ?? 0;
    const serverTicks = own(endTree) - own(startTree);
    const pct = (ticks: number) => Math.round((ticks / clkTck / elapsed) * 100 * 100) / 100;
    const mib = (kib: number) => Math.round((kib / 1024) * 10) / 10;
    return {
      seconds: Math.round(elapsed * 10) / 10,
      cpuPercent: pct(endTicks - startTicks),
      cpuServerPercent: pct(serverTicks),
      cpuChildrenPercent: pct(endTicks - startTicks - serverTicks),
      peakRssMiB: mib(peak.total),
      peakServerRssMiB: mib(peak.server),
      peakChildrenRssMiB: mib(peak.children),
      events,
      processes: [...names],
      capture: CAPTURE,
    };
  } finally {
    ws?.close();
    const exited = new Promise((r) => server.once('exit', r));
    server.kill('SIGTERM');
    await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
    if (server.exitCode === null) server.kill('SIGKILL');
    await rm(scratch, { recursive: true, force: true });
    await rm(path.dirname(bundle), { recursive: true, force: true });
  }
}

// `node --import tsx bench/idle-agent-bench.ts [seconds]` runs it alone.
if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  console.log(JSON.stringify(await benchIdleAgent(Number(process.argv[2] ?? 60)), null, 2));
}
