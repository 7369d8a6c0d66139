import { mkdtemp, rm } from 'node:fs/promises';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dispatch } from '../../api/dispatch.js';
import type { DashboardSummary } from '../../api/schemas/dashboard.js';
import { createHeadlessAgent } from '../headless-host.js';
import { openDemoAgent, type DemoAgent } from './demo-agent.js';
import { DEMO_BANNER } from './demo-handlers.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

/**
 * Listeners standing in for the real world: a "Docker engine" on a unix socket and a "chain
 * endpoint / Console API" over HTTP. They record every connection; the demo must make none.
 */
interface Recorders {
  dockerSock: string;
  httpUrl: string;
  dockerConnections: number;
  httpRequests: string[];
  close(): Promise<void>;
}

async function startRecorders(dir: string): Promise<Recorders> {
  const rec = { dockerConnections: 0, httpRequests: [] as string[] };
  const dockerSock = path.join(dir, 'docker.sock');
  const docker = net.createServer((s) => {
    rec.dockerConnections++;
    s.destroy();
  });
  await new Promise<void>((resolve) => docker.listen(dockerSock, resolve));
  const web = http.createServer((req, res) => {
    rec.httpRequests.push(`${req.method} ${req.url}`);
    res.writeHead(500).end();
  });
  await new Promise<void>((resolve) => web.listen(0, '127.0.0.1', resolve));
  const port = (web.address() as net.AddressInfo).port;
  return {
    dockerSock,
    httpUrl: `http://127.0.0.1:${port}`,
    get dockerConnections() {
      return rec.dockerConnections;
    },
    get httpRequests() {
      return rec.httpRequests;
    },
    close: async () => {
      web.closeAllConnections();
      await Promise.all([new Promise((r) => docker.close(r)), new Promise((r) => web.close(r))]);
    },
  };
}

describe('riglease serve --demo', () => {
  let dir: string;
  let rec: Recorders;
  let demo: DemoAgent;
  const call = async (method: string, input: unknown = {}) => dispatch(demo.agent.handlers, method, input, { via: 'internal' });

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'riglease-demo-test-'));
    rec = await startRecorders(dir);
    // The user's real world, as a shell would pass it: every variable points at a recorder.
    const baseEnv = {
      ...process.env,
      RIGLEASE_HOME: path.join(dir, 'real-home'),
      DOCKER_HOST: `unix://${rec.dockerSock}`,
      RIGLEASE_CHAIN_RPC: rec.httpUrl,
      RIGLEASE_MARKET_URL: rec.httpUrl,
    };
    demo = await openDemoAgent({ baseEnv, appRoot: repoRoot, version: '0.0.0-test', host: 'headless' });
    // Running as the demo session runs it (demo-session.ts): its loops too must stay in the demo world.
    demo.agent.start();
  }, 30_000);

  afterAll(async () => {
    const home = demo?.world.home;
    await demo?.close();
    await rec?.close();
    if (home) await expect(rm(home)).rejects.toThrow(/ENOENT/); // the throwaway folder is gone
    await rm(dir, { recursive: true, force: true });
  });

  it('shows an earning rig: the real capture\'s GPU, the seeded leases and earnings in every range', async () => {
    const r = await call('dashboard.summary');
    expect(r.ok, JSON.stringify(r)).toBe(true);
    const s = (r as { value: DashboardSummary }).value;
    expect(s.demo).toBe(true);
    expect(s.gpus.map((g) => g.name)).toEqual(['NVIDIA GeForce RTX 3090']);
    expect(s.leases).toHaveLength(3);
    expect(s.leases.filter((l) => l.gpu === 'rtx3090 24Gi')).toHaveLength(1);
    expect(s.status.state).toBe('earning');
    expect(s.status.text).toMatch(/^Earning: 3 active leases \(1 on rtx3090 24Gi\)/);
    const totals = Object.fromEntries(s.earnings.series.map((x) => [x.range, x.totals.grossUsd]));
    // The GPU lease began 12 days ago: 30 d holds more than 7 d, which holds more than 24 h.
    expect(totals['24h']).toBeGreaterThan(0);
    expect(totals['7d']).toBeGreaterThan(totals['24h']! * 6);
    expect(totals['30d']).toBeGreaterThan(totals['7d']!);
    expect(s.gaps).toEqual([]);
  }, 30_000);

  it('runs a simulated stack (up, stop, start change only its state) and refuses uninstall, log following, benchmarks and port mapping in the banner\'s words', async () => {
    const scan = await call('hardware.scan', { maxAgeMs: 0 });
    expect(scan.ok).toBe(true);
    if (scan.ok) {
      const checks = (scan.value as { checks: { id: string; status: string; detail: string }[] }).checks.filter((c) => c.id.startsWith('docker.'));
      expect(checks).toEqual([expect.objectContaining({ id: 'docker.engine', status: 'ok', detail: expect.stringContaining(DEMO_BANNER) })]);
    }
    expect(await call('stack.status')).toMatchObject({ ok: true, value: { overall: 'running' } });
    expect(await call('stack.down')).toMatchObject({ ok: true, value: { changed: true, message: expect.stringMatching(/^Simulated \(demo mode\)/) } });
    expect(await call('stack.status')).toMatchObject({ ok: true, value: { overall: 'stopped' } });
    // The dashboard names it, exactly as for a real stopped stack.
    expect(await call('dashboard.summary')).toMatchObject({ ok: true, value: { status: { text: 'Not earning: the provider stack is stopped' } } });
    const up = await call('stack.up');
    expect(up.ok).toBe(true);
    const end = await demo.agent.tasks.wait((up as { value: { id: string } }).value.id);
    expect(end.state).toBe('succeeded');
    expect(end.log.join('\n')).toContain('(simulated)');
    expect(await call('stack.status')).toMatchObject({ ok: true, value: { overall: 'running' } });
    for (const [method, input] of [
      ['stack.uninstall', { purge: true, confirm: true }],
      ['stack.logsFollow', {}],
      ['bench.run', { kind: 'gpu' }],
      ['bench.ladder', {}],
      ['bench.mapPorts', {}],
    ] as const) {
      const r = await call(method, input);
      expect(r.ok, method).toBe(false);
      if (!r.ok) {
        expect(r.error.code).toBe('precondition_failed');
        expect(r.error.message.startsWith(DEMO_BANNER)).toBe(true);
      }
    }
  }, 30_000);

  it('an agent in demo mode refuses to start outside the demo world (it would reach the real chain)', () => {
    expect(() => createHeadlessAgent({ host: 'cli', version: '0', env: { ...process.env, RIGLEASE_HOME: path.join(dir, 'x'), RIGLEASE_CHAIN_RPC: rec.httpUrl }, demo: true })).toThrow(/outside its simulated world/);
  });

  it('never connects to DOCKER_HOST nor asks the configured chain endpoints or the market, whatever the settings say', async () => {
    // A user's own RPC node in settings must not be asked in demo either.
    expect((await call('network.set', { customRpc: [rec.httpUrl] })).ok).toBe(true);
    const calls: [string, unknown][] = [
      ['hardware.scan', { maxAgeMs: 0 }],
      ['wallet.status', {}],
      ['network.get', {}],
      ['provider.show', {}],
      ['leases.list', {}],
      ['earnings.get', {}],
      ['market.gpuPrices', { refresh: true }],
      ['pricing.get', {}],
      ['availability.get', {}],
      ['stack.plan', {}],
      ['stack.logs', {}],
      ['diagnostics.checks', {}],
      ['dashboard.summary', {}],
    ];
    const failed: string[] = [];
    for (const [m, input] of calls) {
      const r = await call(m, input);
      if (!r.ok) failed.push(`${m}: ${r.error.message}`);
    }
    expect(rec.dockerConnections).toBe(0);
    expect(rec.httpRequests).toEqual([]);
    // And the demo answered from its own world rather than failing quietly.
    expect(failed).toEqual([]);
    // The Pricing screen agrees with the simulated, running stack: the table is with its provider.
    const applied = await call('pricing.set', { patch: { defaultGpuUsdPerHour: 0.35 } });
    expect(applied.ok, JSON.stringify(applied)).toBe(true);
    const pricing = await call('pricing.get');
    expect(pricing).toMatchObject({ ok: true, value: { bidScript: { provider: { state: 'delivered', message: expect.stringMatching(/^Simulated \(demo mode\)/) } } } });
    expect(rec.dockerConnections).toBe(0);
    const net2 = await call('network.get');
    expect(net2).toMatchObject({ ok: true, value: { rpc: [demo.world.chainUrl], rpcSource: 'env' } });
  }, 60_000);
});
