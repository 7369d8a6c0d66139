import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { toBech32 } from '@cosmjs/encoding';
import { QueryOrdersRequest } from '@akashnetwork/chain-sdk/private-types/akash.v1beta5';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BidOrder } from '../../api/schemas/pricing.js';
import { ChainSettings } from '../../api/schemas/settings/chain.js';
import { passphraseSecretStore } from '../../store/passphrase-secret-store.js';
import { silentLogger } from '../../util/logger.js';
import { startTestChainNode } from '../../simulation/chain-node/server.js';
import { createChainService, type ChainService } from './index.js';

const CHAIN_ID = 'riglease-testnode-1';
const tenant = (n: number) => toBech32('akash', new Uint8Array(20).fill(n));
const GiB = 2 ** 30;

/** Open orders read over the real wire format from the chain test node, as the bid engine would price them. */
describe('open orders on chain', () => {
  let node: Awaited<ReturnType<typeof startTestChainNode>>;
  let svc: ChainService;
  let home: string;

  beforeAll(async () => {
    node = await startTestChainNode({ chainId: CHAIN_ID });
    home = await mkdtemp(path.join(os.tmpdir(), 'riglease-orders-'));
    svc = createChainService({
      secrets: passphraseSecretStore(path.join(home, 'secrets'), async () => 'unused'),
      stateDir: path.join(home, 'state'),
      env: { RIGLEASE_CHAIN_RPC: node.url, RIGLEASE_CHAIN_ID: CHAIN_ID },
      logger: silentLogger,
      settings: async () => ({ network: 'mainnet', chain: ChainSettings.parse({}) }),
    });
    const unit = { cpuMilli: 1000, memoryBytes: GiB, pricePerBlock: '1', denom: 'uact' };
    node.chain.seed({
      height: 100_000,
      orders: [
        {
          owner: tenant(1),
          dseq: 7,
          createdAt: 99_900,
          resources: [
            { cpuMilli: 4000, memoryBytes: 16 * GiB, storageBytes: 100 * GiB, storageClass: 'beta3', gpuUnits: 1, gpuAttributes: [{ key: 'vendor/nvidia/model/rtx4090/ram/24Gi/interface/pcie', value: 'true' }], endpoints: 2, count: 2, pricePerBlock: '600.25', denom: 'uact' },
            { cpuMilli: 500, memoryBytes: GiB, storageBytes: GiB, count: 1, endpoints: 0, pricePerBlock: '3', denom: 'uact' },
          ],
        },
        { owner: tenant(2), dseq: 8, createdAt: 99_000, resources: [{ ...unit, gpuUnits: 2, gpuAttributes: [{ key: 'vendor/nvidia/model/*', value: 'true' }] }] },
        // A day and more ago (24 h ≈ 14,125 blocks): outside the window.
        { owner: tenant(3), dseq: 9, createdAt: 80_000, resources: [unit] },
        // Matched or closed: not open.
        { owner: tenant(4), dseq: 10, createdAt: 99_950, state: 'active', resources: [unit] },
        { owner: tenant(5), dseq: 11, createdAt: 99_950, state: 'closed', resources: [unit] },
        // Many open orders: more than one page (500) of the query.
        ...Array.from({ length: 1_050 }, (_, i) => ({ owner: tenant(6), dseq: 1_000 + i, createdAt: 99_990, resources: [unit] })),
      ],
    });
  });
  afterAll(async () => {
    svc?.stop();
    await node?.stop();
    await rm(home, { recursive: true, force: true });
  });

  it('lists the open orders of the last day, page by page, as the bid script would receive each', async () => {
    const { orders, scanned } = await svc.orders.open({ sinceMs: Date.now() - 24 * 3600_000 });
    expect(scanned).toBe(1_053);
    expect(orders).toHaveLength(1_052);
    const gpu = orders.find((o) => o.dseq === '7')!;
    expect(gpu).toMatchObject({ owner: tenant(1), gseq: 1, oseq: 1, createdHeight: 99_900 });
    expect(gpu.gpus).toEqual([{ vendor: 'nvidia', model: 'rtx4090', ram: '24Gi', interface: 'pcie', units: 2 }]);
    // GroupSpec.Price(): each unit's price × its count, summed; LegacyDec's 18 decimals.
    expect(gpu.scriptInput.price).toEqual({ denom: 'uact', amount: '1203.500000000000000000' });
    expect(gpu.scriptInput.resources).toEqual([
      { cpu: 4000, memory: 16 * GiB, gpu: { units: 1, attributes: { vendor: { nvidia: { model: 'rtx4090', ram: '24Gi', interface: 'pcie' } } } }, storage: [{ class: 'beta3', size: 100 * GiB }], count: 2, endpoint_quantity: 2, ip_lease_quantity: 0 },
      { cpu: 500, memory: GiB, gpu: { units: 0, attributes: { vendor: {} } }, storage: [{ class: 'ephemeral', size: GiB }], count: 1, endpoint_quantity: 0, ip_lease_quantity: 0 },
    ]);
    expect(BidOrder.safeParse(gpu.scriptInput).success).toBe(true);
    const any = orders.find((o) => o.dseq === '8')!;
    expect(any.gpus).toEqual([{ vendor: 'nvidia', model: '*', ram: null, interface: null, units: 2 }]);
    // ~100 blocks ago at ~6 s a block.
    expect(Date.now() - gpu.createdAtMs!).toBeGreaterThan(300_000);
    expect(Date.now() - gpu.createdAtMs!).toBeLessThan(1_200_000);
    expect(orders.map((o) => o.dseq)).not.toContain('9');
  });

  it('refuses an unknown state as the market keeper does', async () => {
    const { client } = await svc.context.get();
    const req = QueryOrdersRequest.encode(QueryOrdersRequest.fromPartial({ filters: { state: 'pending' } })).finish();
    await expect(client.query('/akash.market.v1beta5.Query/Orders', req)).rejects.toThrow(/invalid state value/);
  });
});
