/// <reference lib="dom" />
// The page-side callbacks (addInitScript, evaluate) run in Chromium and use its DOM types.
// The Dashboard as `riglease serve` delivers it: how soon it is usable in Chromium, and how much
// JavaScript the renderer ships. Usable = the Dashboard's status card (drawn from the agent's
// answer, not a placeholder) is painted; timed from navigation start with performance.now()
// in the page, each load in a fresh browser context (cold cache).
// Targets: ≤ 400 ms to usable; ≤ 300 KB of renderer JavaScript gzipped (all chunks), with the
// first screen's share printed beside it.
import { spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { chromium } from '@playwright/test';
import { build as esbuild } from 'esbuild';
import { build as viteBuild } from 'vite';
import { fakeNvidiaSmiEnv } from '../test/fake-nvidia-smi/index.js';

export interface UiFigures {
  /** Median and worst of the loads, ms from navigation start to the status card. */
  usableP50Ms: number;
  usableMaxMs: number;
  /** Median first contentful paint (the shell), ms. */
  fcpP50Ms: number;
  loads: number;
  /** Every .js under dist/renderer/assets, each gzipped, summed (KB = 1000 bytes). */
  jsGzipKB: number;
  /** The scripts the Dashboard's first load fetched, gzipped. */
  firstScreenJsGzipKB: number;
  largestChunkKB: number;
  /** Where one load's time goes, each a p50 in ms from navigation start: the HTML, the first
   *  script, first React render, first paint, the Dashboard's first agent call and last answer. */
  phasesP50Ms: Record<string, number>;
  /** The agent calls made before the card appeared, each method's round trip p50 (ms). */
  callsBeforeUsableP50Ms: Record<string, number>;
}

interface PageMarks {
  __cardAt?: number;
  __usableAt?: number;
  __renderAt?: number;
  __calls?: { method: string; start: number; end: number }[];
}

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const ASSETS = path.join(ROOT, 'dist', 'renderer', 'assets');
const CHROMIUM = process.env['RIGLEASE_E2E_CHROMIUM'] ?? '/usr/bin/chromium';
const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
const kb = (bytes: number) => Math.round(bytes / 100) / 10;

async function jsSizes(): Promise<Map<string, { raw: number; gzip: number }>> {
  const out = new Map<string, { raw: number; gzip: number }>();
  for (const f of await readdir(ASSETS)) {
    if (!f.endsWith('.js')) continue;
    const body = await readFile(path.join(ASSETS, f));
    out.set(f, { raw: body.length, gzip: gzipSync(body, { level: 9 }).length });
  }
  return out;
}

export async function benchUi(loads = 7): Promise<UiFigures> {
  // The renderer as `npm run build` makes it (the same Vite config, into dist/renderer).
  await viteBuild({ configFile: path.join(ROOT, 'renderer', 'vite.config.ts'), logLevel: 'silent' });
  const sizes = await jsSizes();

  const scratch = await mkdtemp(path.join(os.tmpdir(), 'riglease-bench-ui-'));
  const bundleDir = path.join(ROOT, 'dist', '.bench', `ui-${process.pid}`);
  await esbuild({ absWorkingDir: ROOT, entryPoints: { cli: 'src/cli/main.ts' }, outdir: bundleDir, splitting: true, chunkNames: 'chunks/[name]-[hash]', bundle: true, format: 'esm', platform: 'node', target: 'node20', packages: 'external', logLevel: 'silent' });
  const env = { ...fakeNvidiaSmiEnv({ xml: 'rtx4090_535.86.05_1gpu.xml' }), RIGLEASE_HOME: scratch };
  const server = spawn(process.execPath, [path.join(bundleDir, 'cli.js'), 'serve', '--demo', '--port', '0'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
  try {
    const login = await new Promise<string>((resolve, reject) => {
      let buf = '';
      server.stdout.on('data', (d: Buffer) => {
        buf += d.toString();
        const nl = buf.indexOf('\n');
        if (nl >= 0) resolve(buf.slice(0, nl).trim());
      });
      server.once('exit', (code) => reject(new Error(`riglease serve exited (${code}) before printing its URL`)));
    });
    // The login link as printed, as a person opens it: the server's redirect, then the landing
    // screen the rig's state picks (the demo rig is earning, so the Dashboard).
    const target = new URL(login).href;
    // One warm-up load: the agent's first answers (its first scan) are start-up, not page load.
    const usable: number[] = [];
    const fcp: number[] = [];
    let firstScreen = 0;
    const phaseSamples: Record<string, number[]> = {};
    const methodSamples: Record<string, number[]> = {};
    for (let i = 0; i <= loads; i++) {
      const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
      const page = await context.newPage();
      // The moment the card enters the DOM, seen from inside the page: Playwright's own waiting
      // polls, and would add its polling delay to the figure.
      await page.addInitScript(() => {
        const w = window as unknown as PageMarks;
        w.__calls = [];
        new MutationObserver((_, observer) => {
          const root = document.getElementById('root');
          if (w.__renderAt === undefined && root && root.childElementCount > 0) w.__renderAt = performance.now();
          const text = document.querySelector('[data-testid="dash-status-text"]');
          if (w.__cardAt === undefined && text) {
            w.__cardAt = performance.now();
            observer.disconnect();
            // In the DOM is not yet on screen. Marked before its first paint (this callback runs
            // before the frame), Chromium's Element Timing reports when its text was painted.
            text.setAttribute('elementtiming', 'rig-status');
          }
        }).observe(document, { childList: true, subtree: true });
        new PerformanceObserver((list) => {
          for (const entry of list.getEntries() as (PerformanceEntry & { identifier?: string; renderTime?: number })[]) {
            if (entry.identifier === 'rig-status') w.__usableAt = entry.renderTime || entry.startTime;
          }
        }).observe({ type: 'element', buffered: true });
        // Each agent call's method and its round trip, for the breakdown (one URL serves them all).
        const plain = window.fetch.bind(window);
        window.fetch = async (input, init) => {
          const start = performance.now();
          let method = '?';
          try {
            method = (JSON.parse(String(init?.body ?? '{}')) as { method?: string }).method ?? '?';
          } catch {
            // Not an agent call.
          }
          const res = await plain(input, init);
          const clone = res.clone();
          void clone.text().then(() => w.__calls?.push({ method, start, end: performance.now() }));
          return res;
        };
      });
      await page.goto(target, { waitUntil: 'commit' });
      await page
        .locator('[data-testid="dash-status"]')
        .waitFor({ state: 'visible', timeout: 20_000 })
        .catch((e: unknown) => {
          // Where it landed instead (Set up, a refusal) says more than the timeout.
          throw new Error(`no Dashboard status card at ${page.url()}`, { cause: e });
        });
      await page.waitForFunction(() => (window as unknown as PageMarks).__usableAt !== undefined, undefined, { timeout: 5_000 });
      const t = await page.evaluate(() => {
        const paint = performance.getEntriesByName('first-contentful-paint')[0];
        const w = window as unknown as PageMarks;
        const at = w.__usableAt ?? performance.now();
        const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming | undefined;
        const scripts = performance.getEntriesByType('resource').filter((r) => r.name.endsWith('.js')) as PerformanceResourceTiming[];
        const calls = (w.__calls ?? []).filter((c) => c.start < at);
        const phases: Record<string, number> = {
          html: nav?.responseEnd ?? NaN,
          firstScriptLoaded: Math.min(...scripts.map((r) => r.responseEnd)),
          domContentLoaded: nav?.domContentLoadedEventEnd ?? NaN,
          firstRender: w.__renderAt ?? NaN,
          cardInDom: w.__cardAt ?? NaN,
          fcp: paint ? paint.startTime : NaN,
          firstCallLeaves: Math.min(...calls.map((c) => c.start)),
          lastCallAnswered: Math.max(...calls.map((c) => c.end)),
          usable: at,
        };
        const perMethod = calls.map((c) => ({ method: c.method, start: c.start, ms: c.end - c.start }));
        // The scripts asked for before the card appeared (the chart's chunk is asked for with it, and follows).
        const before = performance.getEntriesByType('resource').filter((r) => r.name.endsWith('.js') && r.startTime < at).map((r) => r.name.split('/').pop() ?? '');
        return { now: at, fcp: paint ? paint.startTime : NaN, before, phases, perMethod };
      });
      const fetched = t.before;
      // RIGLEASE_BENCH_UI_TRACE=1 prints each load's phases and calls (start+round trip, ms).
      if (process.env['RIGLEASE_BENCH_UI_TRACE']) console.error(JSON.stringify({ phases: t.phases, calls: t.perMethod.map((c) => `${c.method} ${Math.round(c.start)}+${Math.round(c.ms)}`) }));
      if (i > 0) {
        usable.push(t.now);
        fcp.push(t.fcp);
        for (const [k, v] of Object.entries(t.phases)) (phaseSamples[k] ??= []).push(v);
        for (const c of t.perMethod) (methodSamples[c.method] ??= []).push(c.ms);
      }
      firstScreen = fetched.reduce((sum, s) => sum + (sizes.get(s)?.gzip ?? 0), 0);
      await context.close();
    }
    return {
      usableP50Ms: Math.round(median(usable)),
      usableMaxMs: Math.round(Math.max(...usable)),
      fcpP50Ms: Math.round(median(fcp)),
      loads,
      jsGzipKB: kb([...sizes.values()].reduce((s, v) => s + v.gzip, 0)),
      firstScreenJsGzipKB: kb(firstScreen),
      largestChunkKB: kb(Math.max(...[...sizes.values()].map((v) => v.raw))),
      phasesP50Ms: Object.fromEntries(Object.entries(phaseSamples).map(([k, v]) => [k, Math.round(median(v))])),
      callsBeforeUsableP50Ms: Object.fromEntries(Object.entries(methodSamples).map(([k, v]) => [k, Math.round(median(v))])),
    };
  } finally {
    await browser.close();
    server.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 500));
    if (server.exitCode === null) server.kill('SIGKILL');
    await rm(scratch, { recursive: true, force: true });
    await rm(bundleDir, { recursive: true, force: true });
  }
}

// `node --import tsx bench/ui-bench.ts [loads]` runs it alone.
if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  console.log(JSON.stringify(await benchUi(Number(process.argv[2] ?? 7)), null, 2));
}
