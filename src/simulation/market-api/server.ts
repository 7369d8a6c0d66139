import { readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));

export function marketFixture(name: 'console-gpu-spec-gpu-prices' | 'test-data-gpu-prices' | 'console-market-data-spec'): unknown {
  return JSON.parse(readFileSync(path.join(here, 'fixtures', `${name}.json`), 'utf8')) as unknown;
}

export type MarketApiMode = 'ok' | 'error500' | 'hang' | 'not-json' | 'wrong-shape';

export interface MarketApi {
  url: string;
  /** Requests seen, by path. */
  hits: string[];
  gpuPrices: unknown;
  marketData: unknown;
  mode: MarketApiMode;
  close(): Promise<void>;
}

/** A local HTTP server with the Console API's JSON shape (see README.md). */
export async function startMarketApi(init: { gpuPrices?: unknown; marketData?: unknown } = {}): Promise<MarketApi> {
  const sockets = new Set<import('node:net').Socket>();
  const api: MarketApi = {
    url: '',
    hits: [],
    gpuPrices: init.gpuPrices ?? marketFixture('test-data-gpu-prices'),
    marketData: init.marketData ?? marketFixture('console-market-data-spec'),
    mode: 'ok',
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  const server = http.createServer((req, res) => {
    api.hits.push(req.url ?? '');
    if (api.mode === 'hang') return; // never answers; the client's timeout must fire
    if (api.mode === 'error500') {
      res.writeHead(500).end('{"error":"boom"}');
      return;
    }
    const body = req.url === '/v1/gpu-prices' ? api.gpuPrices : req.url === '/v1/market-data' ? api.marketData : undefined;
    if (body === undefined) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    if (api.mode === 'not-json') res.end('<html>maintenance</html>');
    else if (api.mode === 'wrong-shape') res.end(JSON.stringify({ models: 'none' }));
    else res.end(JSON.stringify(body));
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  api.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return api;
}
