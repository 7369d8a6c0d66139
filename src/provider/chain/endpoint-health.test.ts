import http from 'node:http';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChainSettings } from '../../api/schemas/settings/chain.js';
import { silentLogger } from '../../util/logger.js';
import { startTestChainNode } from '../../simulation/chain-node/server.js';
import { ChainContext } from './chain-context.js';
import { EndpointHealthStore, FAILURE_MEMORY_MS } from './endpoint-health-store.js';

const CHAIN_ID = 'riglease-testnode-1';

/** An RPC endpoint that is up but broken (HTTP 500 to everything), counting who asks. */
async function brokenEndpoint(): Promise<{ url: string; hits: () => number; reset: () => void; close: () => Promise<void> }> {
  let n = 0;
  const server = http.createServer((req, res) => {
    n++;
    req.resume();
    res.writeHead(500, { connection: 'close' }).end('broken');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as { port: number }).port;
  return { url: `http://127.0.0.1:${port}`, hits: () => n, reset: () => (n = 0), close: () => new Promise((r) => server.close(() => r())) };
}

describe('RPC endpoint health is remembered across restarts', () => {
  let node: Awaited<ReturnType<typeof startTestChainNode>>;
  let broken: Awaited<ReturnType<typeof brokenEndpoint>>;
  let stateDir: string;
  const chain = ChainSettings.parse({});

  beforeAll(async () => {
    node = await startTestChainNode({ chainId: CHAIN_ID });
    broken = await brokenEndpoint();
    stateDir = await mkdtemp(path.join(os.tmpdir(), 'riglease-endpoints-'));
  });
  afterAll(async () => {
    await node?.stop();
    await broken?.close();
    await rm(stateDir, { recursive: true, force: true });
  });

  /** One app run: a fresh context and store over the same state folder (what a restart builds). */
  function run(now: () => number = Date.now) {
    const store = new EndpointHealthStore(stateDir, silentLogger, now);
    const ctx = new ChainContext(async () => ({ network: 'mainnet', chain }), { RIGLEASE_CHAIN_RPC: `${broken.url},${node.url}`, RIGLEASE_CHAIN_ID: CHAIN_ID }, silentLogger, store);
    return { store, ctx };
  }

  it('a restarted app goes straight to the node that answered, and shows what it remembers before any call', async () => {
    const first = run();
    const h1 = await first.ctx.get();
    expect(h1.client.health().map((h) => h.healthy)).toEqual([null, null]);
    await h1.client.run('status', (c) => c.status());
    expect(broken.hits()).toBeGreaterThan(0);
    await first.store.flush();
    first.ctx.stop();

    const saved = JSON.parse(await readFile(path.join(stateDir, 'chain-endpoints.json'), 'utf8')) as { version: number; data: { endpoints: { url: string; healthy: boolean }[] } };
    expect(saved.version).toBe(1);
    expect(saved.data.endpoints).toEqual(
      expect.arrayContaining([expect.objectContaining({ url: broken.url, healthy: false }), expect.objectContaining({ url: node.url, healthy: true, chainId: CHAIN_ID })]),
    );

    broken.reset();
    const second = run();
    const h2 = await second.ctx.get();
    expect(h2.client.health()).toEqual([expect.objectContaining({ url: broken.url, healthy: false, failures: 1 }), expect.objectContaining({ url: node.url, healthy: true })]);
    await h2.client.run('status', (c) => c.status());
    expect(broken.hits(), 'the remembered broken endpoint was asked first again').toBe(0);
    second.ctx.stop();
  });

  it('forgets a failure after an hour: the endpoint is tried again in its configured place', async () => {
    broken.reset();
    const later = run(() => Date.now() + FAILURE_MEMORY_MS + 60_000);
    const h = await later.ctx.get();
    expect(h.client.health()[0]).toMatchObject({ url: broken.url, healthy: null });
    await h.client.run('status', (c) => c.status());
    expect(broken.hits()).toBeGreaterThan(0);
    await later.store.flush();
    later.ctx.stop();
  });

  it('a damaged health file is kept aside and the app starts without it', async () => {
    const file = path.join(stateDir, 'chain-endpoints.json');
    await writeFile(file, '{"version":1,"data":{"endpoints":[{"url":5}]}}');
    const fresh = run();
    const h = await fresh.ctx.get();
    expect(h.client.health().map((e) => e.healthy)).toEqual([null, null]);
    expect((await readdir(stateDir)).some((f) => f.startsWith('chain-endpoints.json.corrupt-'))).toBe(true);
    fresh.ctx.stop();
  });
});
