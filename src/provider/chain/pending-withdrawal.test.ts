import { beforeAll, describe, expect, it } from 'vitest';
import { testAccount, useChainTestFrame } from '../../../test/chain-node/chain-test-frame.js';
import { leaseEarned } from './lease-ledger.js';
import { formatTokens } from '../../api/money-format.js';
import { dashboardSummary, type DashboardSources } from '../../app/dashboard/dashboard-service.js';
import { earningsText } from '../../cli/commands/earnings.js';
import { leaseLine } from '../../cli/commands/leases.js';

const TENANT = testAccount(7);

/**
 * "Pending withdrawal" against the chain test node, whose escrow settles as the x/escrow keeper
 * does (per account since settled_at, truncated per settlement, capped by funds): the pending
 * figure shown the block before a withdrawal is what the withdrawal pays, to the micro-unit.
 */
describe('pending withdrawal = what MsgWithdrawLease pays', () => {
  const frame = useChainTestFrame({ name: 'pending', fundUakt: 5_000_000n });

  beforeAll(() => {
    const { chain, provider } = frame;
    const lease = (dseq: number, price: string, extra: Record<string, unknown> = {}) => ({ owner: TENANT, dseq, provider, denom: 'uact', pricePerBlock: price, createdAt: 1000, ...extra });
    chain.seed({
      height: 1000,
      leases: [
        lease(1, '1000.5'), // fractional: each settlement truncates the half micro
        lease(2, '700', { escrowFunds: '5000' }), // runs dry after 7 blocks
        lease(3, '333.333333333333333333', { gseq: 1 }), // two leases of one deployment: one account, one settled_at
        lease(3, '50', { gseq: 2 }),
      ],
    });
    chain.advance(20);
    chain.seed({ leases: [lease(4, '10', { withdrawn: '95' })] }); // paid before: its account was settled to block 1010
  });

  it('per lease and in total, the figure shown is what the next block pays', async () => {
    const shown = await frame.svc.leases.earnings(null);
    const rows = (await frame.svc.leases.all()).leases;
    const pending = (dseq: string, gseq = 1) => rows.find((l) => l.dseq === dseq && l.gseq === gseq)!.ledger!.pendingMicro;
    const h = shown.blockTime.height;
    // The next block is h + 1 = 1021: 21 blocks since creation.
    expect(pending('1')).toBe(String((21n * 10005n) / 10n)); // 21,010.5 → 21,010
    expect(pending('2')).toBe('5000'); // capped by the account's funds
    expect(pending('3', 1)).toBe('6999'); // 21 × 333.33… = 6,999.99… → 6,999
    expect(pending('3', 2)).toBe('1050');
    expect(pending('4')).toBe('115'); // settled to 1010 (100, 95 paid, 5 left) + 11 blocks × 10
    expect(shown.pendingWithdrawal.micro).toBe(rows.reduce((a, l) => a + Number(l.ledger!.pendingMicro), 0));
    expect(h).toBe(1020);

    const uactBefore = frame.chain.state.balances.get(frame.provider)?.get('uact') ?? 0n;
    const w = await frame.svc.leases.withdrawAll({ dryRun: false });
    // Deployment 3's two leases go in separate txs (the keeper panics on a second withdrawal of one account in a block).
    expect(w.txs).toHaveLength(2);
    const paidIn = (hash: string) => frame.chain.getTx(hash)!.events.filter((e) => e.type.endsWith('EventPaymentWithdrawn')).reduce((a, e) => a + BigInt(/^(\d+)/.exec(e.attributes.find((x) => x.key === 'amount')!.value)![1]!), 0n);
    const first = paidIn(w.txs[0]!.hash);
    // The first tx (block 1021) pays every lease but deployment 3's second exactly what was shown.
    expect(first).toBe(BigInt(shown.pendingWithdrawal.micro) - BigInt(pending('3', 2)));
    expect(frame.chain.state.balances.get(frame.provider)!.get('uact')! - uactBefore).toBe(first + paidIn(w.txs[1]!.hash));

    // Withdrawn never exceeds earned, per lease and in total; the dry lease stops paying.
    const after = (await frame.svc.leases.all()).leases;
    for (const l of after) {
      expect(BigInt(l.ledger!.withdrawnMicro)).toBeLessThanOrEqual(BigInt(l.ledger!.earnedMicro));
      // Pending is the next block's payment: with it, still within what the price earns by that block.
      expect(BigInt(l.ledger!.withdrawnMicro) + BigInt(l.ledger!.pendingMicro)).toBeLessThanOrEqual(leaseEarned(l, l.ledger!.height + 1));
    }
    const e = await frame.svc.leases.earnings(null);
    expect(e.withdrawn.micro).toBeLessThanOrEqual(e.earned.micro);
    expect(after.find((l) => l.dseq === '2')).toMatchObject({ state: 'insufficient_funds', ledger: { withdrawnMicro: '5000', pendingMicro: '0' } });
  });

  it('every way the app shows a figure gives the same one: Dashboard service, leases, earnings, the CLI text, the CSV, the wallet', async () => {
    frame.chain.advance(3);
    const [rows, e, csv, dash, balance] = await Promise.all([
      frame.svc.leases.all().then((r) => r.leases),
      frame.svc.leases.earnings(null),
      frame.svc.bme.ledgerCsv(frame.svc.leases),
      dashboardSummary({
        demo: false,
        // Only the leases part matters here; the others become gaps.
        handlers: {} as DashboardSources['handlers'],
        hardware: () => Promise.reject(new Error('not asked')),
        activeLeases: async () => ({ leases: (await frame.svc.leases.open()), height: frame.chain.state.height }),
      }),
      frame.svc.wallet.balance(),
    ]);
    const income = csv.trim().split('\n').map((r) => r.split(',')).filter((r) => r[0] === 'income');
    for (const l of rows) {
      const id = `${l.owner}/${l.dseq}/${l.gseq}/${l.oseq}`;
      expect(income.find((r) => r[4] === id)!.slice(6, 9)).toEqual([l.ledger!.earnedMicro, l.ledger!.withdrawnMicro, l.ledger!.pendingMicro]);
      const d = dash.leases.find((x) => x.id === `${id}/${l.bseq}`);
      if (l.state === 'active') expect(String(d!.earnedMicro)).toBe(l.ledger!.earnedMicro);
      expect(leaseLine(l)).toContain(`earned ${formatTokens(l.ledger!.earnedMicro, 'ACT')} / withdrawn ${formatTokens(l.ledger!.withdrawnMicro, 'ACT')} / pending ${formatTokens(l.ledger!.pendingMicro, 'ACT')}`);
    }
    const total = (f: (l: (typeof rows)[number]) => string) => rows.reduce((a, l) => a + BigInt(f(l)), 0n);
    expect([e.earned.micro, e.withdrawn.micro, e.pendingWithdrawal.micro].map(BigInt)).toEqual([total((l) => l.ledger!.earnedMicro), total((l) => l.ledger!.withdrawnMicro), total((l) => l.ledger!.pendingMicro)]);
    expect(earningsText(e)).toContain(`withdrawn    ${formatTokens(e.withdrawn.micro, 'ACT')}`);
    // The wallet holds exactly what was withdrawn (it started with no ACT); the CSV's withdrawal rows add up to it.
    expect(balance.uact).toBe(String(e.withdrawn.micro - 95));
    const withdrawals = csv.trim().split('\n').map((r) => r.split(',')).filter((r) => r[0] === 'withdrawal');
    expect(withdrawals.reduce((a, r) => a + BigInt(r[6]!), 0n).toString()).toBe(balance.uact);
  });
});
