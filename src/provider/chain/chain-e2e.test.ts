import { describe, expect, it } from 'vitest';
import { ChainSettings } from '../../api/schemas/settings/chain.js';
import { TEST_PASSPHRASE, testAccount, useChainTestFrame } from '../../../test/chain-node/chain-test-frame.js';
import { rtx4090Report } from '../../simulation/chain-node/sample-report.js';

const TENANT = testAccount(7);

/** The whole on-chain life, real cosmjs clients against the chain test node. */
describe('wallet → fund → register → certificate → leases → earnings → withdraw', () => {
  const chain = ChainSettings.parse({
    txTimeoutMs: 5000,
    provider: { hostUri: 'https://provider.rig.example.com:8443', email: 'ops@example.com', locationRegion: 'eu-central', country: 'DE', memoryType: 'ddr5' },
  });
  const frame = useChainTestFrame({ name: 'chain', chain });

  it('creates a wallet that is saved only after three words are confirmed', async () => {
    const created = await frame.svc.wallet.create(false);
    expect(created.mnemonic.split(' ')).toHaveLength(24);
    expect(created.address).toMatch(/^akash1/);
    expect((await frame.svc.wallet.info()).exists).toBe(false);
    const words = created.mnemonic.split(' ');
    const wrong = created.confirmPositions.map((p) => ({ position: p, word: p === created.confirmPositions[0] ? 'zoo' : words[p - 1]! }));
    await expect(frame.svc.wallet.confirm(created.pendingId, wrong, false)).rejects.toThrow(/does not match/);
    expect((await frame.svc.wallet.info()).exists).toBe(false);
    const right = created.confirmPositions.map((p) => ({ position: p, word: words[p - 1]! }));
    const info = await frame.svc.wallet.confirm(created.pendingId, right, false);
    expect(info).toMatchObject({ exists: true, address: created.address, source: 'created' });
    await expect(frame.svc.wallet.create(false)).rejects.toThrow(/already exists/);
    expect((await frame.svc.wallet.reveal(TEST_PASSPHRASE)).mnemonic).toBe(created.mnemonic);
    await expect(frame.svc.wallet.reveal('not the passphrase')).rejects.toThrow(/Wrong passphrase/);
  });

  it('shows the exact shortfall before funding and none after', async () => {
    const address = await frame.svc.wallet.address();
    frame.chain.fund(address, 'uakt', 1_000_000n);
    const before = await frame.svc.wallet.balance();
    // 3 × 200000 gas × 0.025 × 1.5 = 22500; + 500000 deposit + 1000000 minimum balance.
    expect(before.shortfall).toMatchObject({ requiredUakt: '1522500', missingUakt: '522500', ok: false });
    frame.chain.fund(address, 'uakt', 9_000_000n);
    const after = await frame.svc.wallet.balance();
    expect(after.uakt).toBe('10000000');
    expect(after.shortfall.ok).toBe(true);
  });

  it('dry run shows messages with type URLs and a simulated fee; register creates provider + certificate once', async () => {
    const report = rtx4090Report();
    const plan = await frame.svc.provider.plan(report, chain.provider);
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
    expect(frame.chain.state.providers.size).toBe(0);

    const steps: string[] = [];
    const done = await frame.svc.provider.register(report, chain.provider, { step: (_n, m) => steps.push(m) });
    expect(done.receipt?.hash).toMatch(/^[0-9A-F]{64}$/);
    const shown = await frame.svc.provider.show();
    expect(shown.registered).toBe(true);
    expect(shown.certificates).toHaveLength(1);
    expect(shown.certificates[0]?.state).toBe('valid');

    const again = await frame.svc.provider.register(report, chain.provider, { step: () => undefined });
    expect(again.alreadyDone).toBe(true);
    expect(frame.chain.acceptedTxs).toBe(1);

    const changed = await frame.svc.provider.register(report, { ...chain.provider, city: 'FRA' }, { step: () => undefined });
    expect(changed.plan.action).toBe('update');
    expect(changed.plan.certificate.needed).toBe(false);
    expect(changed.plan.changes).toContain('add city=FRA');
    expect(frame.chain.state.providers.get(shown.owner)?.attributes.find((a) => a.key === 'city')?.value).toBe('FRA');
  });

  it('lists seeded leases with escrow, computes earnings, and withdraws them in batches', async () => {
    const provider = await frame.svc.wallet.address();
    const tenant = TENANT;
    const h = frame.chain.state.height;
    frame.chain.seed({
      leases: [
        ...Array.from({ length: 60 }, (_, i) => ({ owner: tenant, dseq: 100 + i, provider, pricePerBlock: '2.5', createdAt: h })),
        { owner: tenant, dseq: 999, provider, pricePerBlock: '7', createdAt: h, state: 'closed' as const, withdrawn: '1234' },
      ],
    });
    frame.chain.advance(100);
    const page = await frame.svc.leases.page({ state: 'active', limit: 25 });
    expect(page.leases).toHaveLength(25);
    expect(page.total).toBe(60);
    expect(page.nextKey).not.toBeNull();
    const e1 = await frame.svc.leases.earnings(2);
    expect(e1.activeLeases).toBe(60);
    // Accrued: 60 leases × 2.5 uakt × the blocks since they began (the closed one closed where it began).
    const blocks = frame.chain.state.height - h;
    expect(e1.perDay.micro).toBe(60 * 2.5 * blocks);
    expect(e1.perMonth.micro).toBe(60 * 2.5 * blocks);
    expect(e1.perMonth.usd).toBeCloseTo((60 * 2.5 * blocks * 2) / 1e6, 2);
    expect(e1.withdrawn.micro).toBe(1234);
    // Lifetime = withdrawn + what a withdrawal in the next block pays (each lease: 2.5 × (blocks + 1), truncated).
    expect(e1.lifetime.micro).toBe(1234 + 60 * Math.floor(2.5 * (blocks + 1)));
    expect(e1.pendingWithdrawal.micro).toBe(60 * Math.floor(2.5 * (blocks + 1)));

    const before = BigInt((await frame.svc.wallet.balance()).uakt);
    const w = await frame.svc.leases.withdrawAll({ dryRun: false });
    expect(w.leases).toBe(60);
    expect(w.txs).toHaveLength(2); // 50 + 10
    const e2 = await frame.svc.leases.earnings(2);
    const accrued = 60 * 2.5 * (frame.chain.state.height + 1 - h);
    expect(e2.lifetime.micro).toBeGreaterThan(1234);
    expect(e2.lifetime.micro).toBeLessThanOrEqual(1234 + accrued);
    const after = BigInt((await frame.svc.wallet.balance()).uakt);
    const fees = w.txs.reduce((a, t) => a + BigInt(t.feeUakt), 0n);
    const withdrawn = (await frame.svc.leases.all()).leases.reduce((a, l) => a + (l.escrow?.withdrawn ?? 0), 0);
    expect(withdrawn - 1234).toBeGreaterThan(0);
    expect(after - before + fees).toBe(BigInt(withdrawn - 1234));
  });

  it('sends AKT only after a preview and an explicit confirmation', async () => {
    const to = TENANT;
    const preview = await frame.svc.wallet.previewSend(to, 250_000n);
    expect(BigInt(preview.feeUakt)).toBeGreaterThan(0n);
    await expect(frame.svc.wallet.send(preview.previewId, false)).rejects.toThrow(/confirmation/);
    const p2 = await frame.svc.wallet.previewSend(to, 250_000n);
    const receipt = await frame.svc.wallet.send(p2.previewId, true);
    expect(receipt.explorerUrl).toBeNull(); // a local chain has no public explorer page
    expect(frame.chain.state.balances.get(to)?.get('uakt')).toBe(250_000n);
    await expect(frame.svc.wallet.send(p2.previewId, true)).rejects.toThrow(/expired or was already used/);
    await expect(frame.svc.wallet.previewSend(to, 10n ** 12n)).rejects.toThrow(/Not enough AKT/);
  });
});
