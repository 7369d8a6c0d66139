import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { toBech32 } from '@cosmjs/encoding';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Method } from '../api/contract.js';
import { dispatch } from '../api/dispatch.js';
import { Earnings } from '../api/schemas/chain.js';
import { passphraseSecretStore } from '../store/passphrase-secret-store.js';
import { pathsUnder } from '../store/paths.js';
import { silentLogger } from '../util/logger.js';
import { startTestChainNode } from '../simulation/chain-node/server.js';
import { startMarketApi, type MarketApi } from '../simulation/market-api/server.js';
import { Agent } from './agent.js';

const CHAIN_ID = 'riglease-testnode-1';
const PHRASE = 'legal winner thank year wave sausage worth useful legal winner thank yellow';
const TENANT = toBech32('akash', new Uint8Array(20).fill(9));

describe('earnings in USD come from the pricing side (market snapshot, else the manual AKT price)', () => {
  let node: Awaited<ReturnType<typeof startTestChainNode>>;
  let market: MarketApi;
  let home: string;
  let agent: Agent;

  async function ok(method: Method, input: unknown): Promise<unknown> {
    const r = await dispatch(agent.handlers, method, input, { via: 'internal' });
    if (!r.ok) throw new Error(`${method}: ${JSON.stringify(r.error)}`);
    return r.value;
  }
  const earnings = async (input: unknown = {}) => Earnings.parse(await ok('earnings.get', input));

  beforeAll(async () => {
    node = await startTestChainNode({ chainId: CHAIN_ID });
    market = await startMarketApi();
    home = await mkdtemp(path.join(os.tmpdir(), 'riglease-earnings-usd-'));
    agent = new Agent({
      host: 'cli',
      paths: pathsUnder(home),
      secrets: passphraseSecretStore(path.join(home, 'secrets'), async () => 'earnings usd passphrase'),
      logger: silentLogger,
      version: '0.0.0-test',
      env: { RIGLEASE_HOME: home, PATH: '/nonexistent', RIGLEASE_CHAIN_RPC: node.url, RIGLEASE_CHAIN_ID: CHAIN_ID, RIGLEASE_MARKET_URL: market.url },
    });
    const { address } = (await ok('wallet.import', { mnemonic: PHRASE })) as { address: string };
    node.chain.seed({ leases: [1, 2, 3].map((i) => ({ owner: TENANT, dseq: 500 + i, provider: address, pricePerBlock: '4000', createdAt: node.chain.state.height })) });
    node.chain.advance(10);
  });
  afterAll(async () => {
    await agent?.stop();
    await market?.close();
    await node?.stop();
    await rm(home, { recursive: true, force: true });
  });

  it('unknown without a price; the manual AKT price; then the market price wins; an explicit price beats both', async () => {
    const none = await earnings();
    // Accrued since the leases began: 3 leases × 4000 uakt × 10 blocks.
    expect(none.perMonth.micro).toBe(120_000);
    expect(none).toMatchObject({ usdPerUnit: null, usdSource: null, perMonth: { usd: null } });
    expect(market.hits, 'earnings must never fetch market data itself').toEqual([]);

    await ok('settings.set', { key: 'pricing.aktUsdOverride', value: 3 });
    const manual = await earnings();
    expect(manual).toMatchObject({ usdPerUnit: 3, usdSource: 'manual', usdAt: null });
    expect(manual.perMonth.usd).toBe(0.36);

    const view = (await ok('market.gpuPrices', { refresh: true })) as { snapshot: { aktUsd: number; aktFetchedAt: string } };
    expect(view.snapshot.aktUsd).toBe((market.marketData as { price: number }).price);
    const fromMarket = await earnings();
    expect(fromMarket).toMatchObject({ usdPerUnit: view.snapshot.aktUsd, usdSource: 'market', usdAt: view.snapshot.aktFetchedAt });
    expect(fromMarket.perDay.usd).toBeCloseTo((fromMarket.perDay.micro / 1e6) * view.snapshot.aktUsd, 2);

    expect(await earnings({ usdPerAkt: 2 })).toMatchObject({ usdPerUnit: 2, usdSource: 'given' });
  });
});
