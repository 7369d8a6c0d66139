import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { toBech32 } from '@cosmjs/encoding';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChainSettings } from '../../api/schemas/settings/chain.js';
import { passphraseSecretStore } from '../../store/passphrase-secret-store.js';
import { silentLogger } from '../../util/logger.js';
import { startTestChainNode } from '../../simulation/chain-node/server.js';
import { rtx4090Report } from '../../simulation/chain-node/sample-report.js';
import { createChainService, type ChainService } from './index.js';

const CHAIN_ID = 'riglease-testnode-1';
const TENANT = toBech32('akash', new Uint8Array(20).fill(7));

/** The whole on-chain life, real cosmjs clients against the chain test node. */
describe('wallet → fund → register → certificate → leases → earnings → withdraw', () => {
  let node: Awaited<ReturnType<typeof startTestChainNode>>;
  let svc: ChainService;
  const chain = ChainSettings.parse({
    txTimeoutMs: 5000,
    provider: { hostUri: 'https://provider.rig.example.com:8443', email: 'ops@example.com', locationRegion: 'eu-central', country: 'DE', memoryType: 'ddr5' },
  });

  beforeAll(async () => {
    node = await startTestChainNode({ chainId: CHAIN_ID });
    const home = await mkdtemp(path.join(os.tmpdir(), 'riglease-chain-'));
    svc = createChainService({
      secrets: passphraseSecretStore(path.join(home, 'secrets'), async () => 'test passphrase 1'),
      stateDir: path.join(home, 'state'),
      env: { RIGLEASE_CHAIN_RPC: node.url, RIGLEASE_CHAIN_ID: CHAIN_ID },
      logger: silentLogger,
      settings: async () => ({ network: 'mainnet', chain }),
    });
  });
  afterAll(async () => {
    svc?.stop();
    await node?.stop();
  });

  it('creates a wallet that is saved only after three words are confirmed', async () => {
    const created = await svc.wallet.create(false);
    expect(created.mnemonic.split(' ')).toHaveLength(24);
    expect(created.address).toMatch(/^akash1/);
    expect((await svc.wallet.info()).exists).toBe(false);
    const words = created.mnemonic.split(' ');
    const wrong = created.confirmPositions.map((p) => ({ position: p, word: p === created.confirmPositions[0] ? 'zoo' : words[p - 1]! }));
    await expect(svc.wallet.confirm(created.pendingId, wrong, false)).rejects.toThrow(/does not match/);
    expect((await svc.wallet.info()).exists).toBe(false);
    const right = created.confirmPositions.map((p) => ({ position: p, word: words[p - 1]! }));
    const info = await svc.wallet.confirm(created.pendingId, right, false);
    expect(info).toMatchObject({ exists: true, address: created.address, source: 'created' });
    await expect(svc.wallet.create(false)).rejects.toThrow(/already exists/);
    expect((await svc.wallet.reveal('test passphrase 1')).mnemonic).toBe(created.mnemonic);
    await expect(svc.wallet.reveal('not the passphrase')).rejects.toThrow(/Wrong passphrase/);
  });

  it('shows the exact shortfall before funding and none after', async () => {
    const address = await svc.wallet.address();
    node.chain.fund(address, 'uakt', 1_000_000n);
    const before = await svc.wallet.balance();
    // 3 × 200000 gas × 0.025 × 1.5 = 22500; + 500000 deposit + 1000000 minimum balance.
    expect(before.shortfall).toMatchObject({ requiredUakt: '1522500', missingUakt: '522500', ok: false });
    node.chain.fund(address, 'uakt', 9_000_000n);
    const after = await svc.wallet.balance();
    expect(after.uakt).toBe('10000000');
    expect(after.shortfall.ok).toBe(true);
  });

  it('dry run shows messages with type URLs and a simulated fee; register creates provider + certificate once', async () => {
    const report = rtx4090Report();
    const plan = await svc.provider.plan(report, chain.provider);
    expect(plan.action).toBe('create');
    expect(plan.messages.map((m) => m.typeUrl)).toEqual(['/akash.provider.v1beta4.MsgCreateProvider', '/akash.cert.v1.MsgCreateCertificate']);
    expect(plan.attributes).toEqual(expect.arrayContaining([
      { key: 'capabilities/gpu/vendor/nvidia/model/rtx4090/ram/24Gi/interface/pcie', value: 'true' },
      { key: 'capabilities/cpu', value: 'amd' },
      { key: 'location-region', value: 'eu-central' },
      { key: 'host', value: 'akash' },
      { key: 'cuda', value: '12.2' },
    ]));
    expect(Number(plan.fee?.feeUakt)).toBeGreaterThan(0);
    expect(node.chain.state.providers.size).toBe(0);

    const steps: string[] = [];
    const done = await svc.provider.register(report, chain.provider, { step: (_n, m) => steps.push(m) });
    expect(done.receipt?.hash).toMatch(/^[0-9A-F]{64}$/);
    const shown = await svc.provider.show();
    expect(shown.registered).toBe(true);
    expect(shown.certificates).toHaveLength(1);
    expect(shown.certificates[0]?.state).toBe('valid');

    const again = await svc.provider.register(report, chain.provider, { step: () => undefined });
    expect(again.alreadyDone).toBe(true);
    expect(node.chain.acceptedTxs).toBe(1);

    const changed = await svc.provider.register(report, { ...chain.provider, city: 'FRA' }, { step: () => undefined });
    expect(changed.plan.action).toBe('update');
    expect(changed.plan.certificate.needed).toBe(false);
    expect(changed.plan.changes).toContain('add city=FRA');
    expect(node.chain.state.providers.get(shown.owner)?.attributes.find((a) => a.key === 'city')?.value).toBe('FRA');
  });

  it('lists seeded leases with escrow, computes earnings, and withdraws them in batches', async () => {
    const provider = await svc.wallet.address();
    const tenant = TENANT;
    const h = node.chain.state.height;
    node.chain.seed({
      leases: [
        ...Array.from({ length: 60 }, (_, i) => ({ owner: tenant, dseq: 100 + i, provider, pricePerBlock: '2.5', createdAt: h })),
        { owner: tenant, dseq: 999, provider, pricePerBlock: '7', createdAt: h, state: 'closed' as const, withdrawn: '1234' },
      ],
    });
    node.chain.advance(100);
    const page = await svc.leases.page({ state: 'active', limit: 25 });
    expect(page.leases).toHaveLength(25);
    expect(page.total).toBe(60);
    expect(page.nextKey).not.toBeNull();
    const e1 = await svc.leases.earnings(2);
    expect(e1.activeLeases).toBe(60);
    // Accrued: 60 leases × 2.5 uakt × the blocks since they began (the closed one closed where it began).
    const blocks = node.chain.state.height - h;
    expect(e1.perDay.micro).toBe(60 * 2.5 * blocks);
    expect(e1.perMonth.micro).toBe(60 * 2.5 * blocks);
    expect(e1.perMonth.usd).toBeCloseTo((60 * 2.5 * blocks * 2) / 1e6, 2);
    expect(e1.withdrawn.micro).toBe(1234);
    // Lifetime = withdrawn + what a withdrawal in the next block pays (each lease: 2.5 × (blocks + 1), truncated).
    expect(e1.lifetime.micro).toBe(1234 + 60 * Math.floor(2.5 * (blocks + 1)));
    expect(e1.pendingWithdrawal.micro).toBe(60 * Math.floor(2.5 * (blocks + 1)));

    const before = BigInt((await svc.wallet.balance()).uakt);
    const w = await svc.leases.withdrawAll({ dryRun: false });
    expect(w.leases).toBe(60);
    expect(w.txs).toHaveLength(2); // 50 + 10
    const e2 = await svc.leases.earnings(2);
    const accrued = 60 * 2.5 * (node.chain.state.height + 1 - h);
    expect(e2.lifetime.micro).toBeGreaterThan(1234);
    expect(e2.lifetime.micro).toBeLessThanOrEqual(1234 + accrued);
    const after = BigInt((await svc.wallet.balance()).uakt);
    const fees = w.txs.reduce((a, t) => a + BigInt(t.feeUakt), 0n);
    const withdrawn = (await svc.leases.all()).leases.reduce((a, l) => a + (l.escrow?.withdrawn ?? 0), 0);
    expect(withdrawn - 1234).toBeGreaterThan(0);
    expect(after - before + fees).toBe(BigInt(withdrawn - 1234));
  });

  it('sends AKT only after a preview and an explicit confirmation', async () => {
    const to = TENANT;
    const preview = await svc.wallet.previewSend(to, 250_000n);
    expect(BigInt(preview.feeUakt)).toBeGreaterThan(0n);
    await expect(svc.wallet.send(preview.previewId, false)).rejects.toThrow(/confirmation/);
    const p2 = await svc.wallet.previewSend(to, 250_000n);
    const receipt = await svc.wallet.send(p2.previewId, true);
    expect(receipt.explorerUrl).toBeNull(); // a local chain has no public explorer page
    expect(node.chain.state.balances.get(to)?.get('uakt')).toBe(250_000n);
    await expect(svc.wallet.send(p2.previewId, true)).rejects.toThrow(/expired or was already used/);
    await expect(svc.wallet.previewSend(to, 10n ** 12n)).rejects.toThrow(/Not enough AKT/);
  });
});
