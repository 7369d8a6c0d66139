import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { marketFixture, startMarketApi, type MarketApi } from '../../simulation/market-api/server.js';
import { GpuPricesResponse } from '../../api/schemas/pricing.js';
import { marketCacheFile } from '../../store/market-cache-file.js';
import { MarketClient, marketBaseUrl, DEFAULT_MARKET_URL } from './market-client.js';
import { marketMedian } from './market-lookup.js';

let dir: string;
let api: MarketApi;
let clock: Date;

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'riglease-market-'));
  api = await startMarketApi();
  clock = new Date('2026-11-25T12:00:00Z');
});
afterEach(async () => {
  await api.close();
  await rm(dir, { recursive: true, force: true });
});

const client = (timeoutMs = 2000) =>
  new MarketClient({ baseUrl: async () => marketBaseUrl({ RIGLEASE_MARKET_URL: api.url }, null), cache: marketCacheFile(path.join(dir, 'market.json')), timeoutMs, now: () => clock });

describe('market client', () => {
  it('parses the Console API response recorded in its own functional test', () => {
    const parsed = GpuPricesResponse.parse(marketFixture('console-gpu-spec-gpu-prices'));
    expect(parsed.models.map((m) => m.model)).toEqual(['gpu2', 'gpu3', 'gpu0', 'gpu1']);
    expect(marketMedian(parsed, 'gpu0.1024.pcie')).toBe(0.58);
    expect(marketMedian(parsed, 'gpu1')).toBeNull(); // price null: no market
    expect(marketMedian(parsed, 'gpu3')).toBeNull(); // AMD entries never price NVIDIA keys
  });

  it('fetches over HTTP, caches on disk with its age, and a new client reads the cache offline', async () => {
    const view = await client().refresh();
    expect(view.offline).toBe(false);
    expect(view.snapshot?.aktUsd).toBe(1.5);
    expect(view.snapshot?.gpuPrices.models.length).toBe(5);
    expect(api.hits).toEqual(['/v1/gpu-prices', '/v1/market-data']);
    const onDisk = JSON.parse(await readFile(path.join(dir, 'market.json'), 'utf8')) as { version: number };
    expect(onDisk.version).toBe(1);

    await api.close();
    api = await startMarketApi();
    api.mode = 'error500';
    clock = new Date('2026-11-25T13:00:00Z');
    const later = await client().refresh();
    expect(later.offline).toBe(true);
    expect(later.error).toMatch(/HTTP 500/);
    expect(later.snapshot?.aktUsd).toBe(1.5);
    expect(later.ageSeconds).toBe(3600);
  });

  it.each([
    ['not-json', /did not answer with JSON/],
    ['wrong-shape', /unexpected shape/],
    ['hang', /did not answer within/],
  ] as const)('keeps the last snapshot when the API answers %s', async (mode, message) => {
    const c = client(300);
    await c.refresh();
    api.mode = mode;
    const view = await c.refresh();
    expect(view.offline).toBe(true);
    expect(view.error).toMatch(message);
    expect(view.snapshot?.gpuPrices.models.length).toBe(5);
  });

  it('says offline with no snapshot when the API was never reached', async () => {
    await api.close();
    api = await startMarketApi();
    api.mode = 'error500';
    const view = await client().refresh();
    expect(view).toMatchObject({ snapshot: null, ageSeconds: null, offline: true });
  });

  it('sets a damaged cache file aside instead of trusting it', async () => {
    await writeFile(path.join(dir, 'market.json'), '{"version":1,"data":{"source":1}}');
    const view = await client().view();
    expect(view.snapshot).toBeNull();
  });

  it('takes the URL from env first, then the setting, then the default', () => {
    expect(marketBaseUrl({ RIGLEASE_MARKET_URL: 'http://x:1/' }, 'https://y')).toBe('http://x:1');
    expect(marketBaseUrl({}, 'https://y/')).toBe('https://y');
    expect(marketBaseUrl({ RIGLEASE_MARKET_URL: '  ' }, null)).toBe(DEFAULT_MARKET_URL);
  });
});
