import { beforeAll, describe, expect, it } from 'vitest';
import { testAccount, useChainTestFrame } from '../../../test/chain-node/chain-test-frame.js';

const TENANT = testAccount(9);

/**
 * earnings.get's sums, real cosmjs clients against the chain test node, with leases seeded at
 * known heights and blocks 6 s apart (so a day is 14,400 blocks, a week 100,800, 30 days 432,000).
 */
describe('earnings: accrued per window from lease start/close blocks and the measured block time', () => {
  const frame = useChainTestFrame({ name: 'earnings', fundUakt: 5_000_000n });

  beforeAll(() => {
    const { chain, provider } = frame;
    const lease = (dseq: number, price: string, createdAt: number, closed = false, withdrawn = '0') => ({ owner: TENANT, dseq, provider, pricePerBlock: price, createdAt, withdrawn, ...(closed ? { state: 'closed' as const } : {}) });
    // A closed lease's close block is the height it is seeded at.
    chain.seed({ height: 500_000, leases: [lease(1, '3', 400_000, true, '1234')] }); // D: closed before the month
    chain.seed({ height: 950_000, leases: [lease(2, '0.333333333333333333', 800_000, true)] }); // C: closed inside the week, before the day
    chain.seed({ height: 1_000_000, leases: [lease(3, '2.5', 980_000), lease(4, '7', 990_000, true)] }); // A: open; B: closed inside the day
    chain.advance(600, { blockSeconds: 6 }); // height 1,000,600
  });

  it('sums price × blocks inside each window, exact to the uakt, in AKT and USD', async () => {
    expect(frame.chain.state.height).toBe(1_000_600);
    const e = await frame.svc.leases.earnings(2);
    expect(e.blockTime).toEqual({ height: 1_000_600, secondsPerBlock: 6, source: 'measured', sampledFrom: 1_000_100 });
    expect(e.leasesScanned).toBe(4);
    expect(e.activeLeases).toBe(1);
    // Day (986,200, 1,000,600]: A 14,400 × 2.5 + B (990,000, 1,000,000] 10,000 × 7.
    expect(e.perDay).toEqual({ micro: 106_000, usd: 0.21 });
    // Week (899,800, …]: A 20,600 × 2.5 + B 70,000 + C 50,200 × 0.333333333333333333 = 138,233.33…
    expect(e.perWeek.micro).toBe(138_233);
    // 30 days (568,600, …]: A 51,500 + B 70,000 + C 150,000 × 0.333333333333333333 = 171,499.99999999999995 (a float says 171,500).
    expect(e.perMonth).toEqual({ micro: 171_499, usd: 0.34 });
    // Lifetime, per lease floored then summed (the one ledger): D 300,000 + C 49,999 + B 70,000 + A 51,500.
    expect(e.earned.micro).toBe(471_499);
    expect(e.withdrawn.micro).toBe(1234);
    // A withdrawal in the next block settles A from its start: 20,601 × 2.5 = 51,502.5, truncated by the keeper.
    expect(e.pendingWithdrawal.micro).toBe(51_502);
  });

  it('moves what A accrued from earned-not-paid to withdrawn on withdrawal; earned itself only grows with blocks', async () => {
    const before = await frame.svc.leases.earnings(null);
    const w = await frame.svc.leases.withdrawAll({ dryRun: false });
    expect(w.txs).toHaveLength(1);
    const after = await frame.svc.leases.earnings(null);
    const blocks = after.blockTime.height - before.blockTime.height;
    expect(blocks).toBe(1); // the withdrawal's own block
    // The block time is cached: the withdrawal's wall-clock block does not change the windows' clock.
    expect(after.blockTime).toMatchObject({ secondsPerBlock: 6, source: 'measured' });
    // One more block of A: its 20,601 blocks × 2.5 = 51,502.5 → 51,502 (+ D, C, B as before).
    expect(after.earned.micro).toBe(471_501);
    // The withdrawal paid exactly the pending figure shown the block before.
    expect(after.withdrawn.micro - before.withdrawn.micro).toBe(before.pendingWithdrawal.micro);
    expect(after.withdrawn.micro).toBe(1234 + 51_502);
    expect(after.withdrawn.usd).toBeNull();
    // The keeper truncated the settlement (the half micro stays with the tenant); the next block settles 2.5 → 2.
    expect(after.pendingWithdrawal.micro).toBe(2);
    const a = (await frame.svc.leases.all('active')).leases[0]!;
    expect(a.escrow).toMatchObject({ withdrawn: 51_502, balance: 0 });
    expect(a.ledger).toMatchObject({ earnedMicro: '51502', withdrawnMicro: '51502', pendingMicro: '2' });
  });
});
