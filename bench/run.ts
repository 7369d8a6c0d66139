// `npm run bench`: the performance figures issue #2 asks for, each beside its target.
// Figures are measured on this machine (2 cores), with the fake nvidia-smi printing a real
// capture and the real Docker engine; printed as a table and saved to bench/results/.
import { mkdirSync, writeFileSync } from 'node:fs';
import { benchScan, benchTelemetryCpuPerSample } from './hardware-bench.js';
import { benchFarmPage } from './farm-page-bench.js';
import { benchIdleAgent } from './idle-agent-bench.js';
import { benchUi } from './ui-bench.js';

interface Row {
  figure: string;
  value: number;
  unit: string;
  target: number;
  /** 'max' = lower is better. */
  kind: 'max';
}

const idleSeconds = Number(process.env['RIGLEASE_BENCH_IDLE_SECONDS'] ?? 60);
const rows: Row[] = [];

const scan = await benchScan(15);
rows.push({ figure: 'readiness scan, wall p50', value: scan.p50Ms, unit: 'ms', target: 1500, kind: 'max' });
rows.push({ figure: 'readiness scan, wall p95', value: scan.p95Ms, unit: 'ms', target: 1500, kind: 'max' });

const tel = await benchTelemetryCpuPerSample(10);
rows.push({ figure: 'telemetry, agent CPU per GPU sample', value: tel.cpuMsPerSample, unit: 'ms', target: 5, kind: 'max' });

const idle = await benchIdleAgent(idleSeconds);
rows.push({ figure: `idle agent + dashboard, CPU over ${idleSeconds} s`, value: idle.cpuPercent, unit: '% of a core', target: 0.25, kind: 'max' });
rows.push({ figure: '  of which the agent process', value: idle.cpuServerPercent, unit: '% of a core', target: 0.25, kind: 'max' });
rows.push({ figure: 'idle agent + dashboard, peak RSS (process tree)', value: idle.peakRssMiB, unit: 'MiB', target: 100, kind: 'max' });

const ui = await benchUi(Number(process.env['RIGLEASE_BENCH_UI_LOADS'] ?? 7));
rows.push({ figure: `dashboard usable in Chromium, p50 of ${ui.loads}`, value: ui.usableP50Ms, unit: 'ms', target: 400, kind: 'max' });
rows.push({ figure: 'dashboard first contentful paint, p50', value: ui.fcpP50Ms, unit: 'ms', target: 400, kind: 'max' });
rows.push({ figure: 'renderer JS gzipped, all chunks', value: ui.jsGzipKB, unit: 'KB', target: 300, kind: 'max' });
rows.push({ figure: 'renderer JS gzipped, first screen', value: ui.firstScreenJsGzipKB, unit: 'KB', target: 300, kind: 'max' });
rows.push({ figure: 'renderer largest chunk (raw)', value: ui.largestChunkKB, unit: 'KB', target: 500, kind: 'max' });

// A controller with 50 and 500 (simulated) members: one Fleet page of 12 stays fast and small.
const farmPages = [await benchFarmPage(50), await benchFarmPage(500)];
for (const f of farmPages) {
  rows.push({ figure: `fleet page of 12, ${f.members} members, p50`, value: f.pageP50Ms, unit: 'ms', target: 100, kind: 'max' });
  rows.push({ figure: `fleet page of 12, ${f.members} members, JSON`, value: f.pageKiB, unit: 'KiB', target: 32, kind: 'max' });
}

const width = Math.max(...rows.map((r) => r.figure.length));
console.log(`${'figure'.padEnd(width)}  ${'value'.padStart(10)}  ${'target'.padStart(10)}  unit          verdict`);
for (const r of rows) {
  const ok = r.value <= r.target;
  console.log(`${r.figure.padEnd(width)}  ${r.value.toFixed(2).padStart(10)}  ${('≤ ' + r.target).padStart(10)}  ${r.unit.padEnd(12)}  ${ok ? 'ok' : 'OVER'}`);
}
// Where the Dashboard's load goes, so the next person starts from the slowest piece.
console.log(`\ndashboard load, p50 ms from navigation: ${Object.entries(ui.phasesP50Ms).map(([k, v]) => `${k} ${v}`).join(' · ')}`);
console.log(`agent calls before the card, p50 round trip ms: ${Object.entries(ui.callsBeforeUsableP50Ms).map(([k, v]) => `${k} ${v}`).join(' · ')}`);
mkdirSync('bench/results', { recursive: true });
writeFileSync(`bench/results/${new Date().toISOString().replace(/[:.]/g, '-')}.json`, JSON.stringify({ rows, scan, tel, idle, ui, farmPages }, null, 2));
