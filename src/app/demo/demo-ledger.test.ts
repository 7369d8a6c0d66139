import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { DashboardSummary } from '../../api/schemas/dashboard.js';
import type { z } from 'zod';
import type { Balance, Earnings, LeasePage as LeasePageSchema } from '../../api/schemas/chain.js';

type LeasePage = z.infer<typeof LeasePageSchema>;
import { formatTokens } from '../../api/money-format.js';
import { earningsText } from '../../cli/commands/earnings.js';
import { leaseLine } from '../../cli/commands/leases.js';
import { startDemoSession } from './demo-session.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

describe('the demo on today’s Akash: one ledger across Dashboard, Leases and Wallet', () => {
  it('every figure the same in the Dashboard service, the Leases API, the Wallet API, the CLI’s text and the CSV, to the micro-unit', async () => {
    const session = await startDemoSession({ baseEnv: { HOME: process.env['HOME'] ?? '/' }, appRoot: repoRoot, version: '0.0.0-test', staticDir: null });
    try {
      const token = new URL(session.loginUrl).searchParams.get('token');
      const call = async <T>(method: string, input: unknown = {}): Promise<T> => {
        const res = await fetch(`${session.origin}/api/rpc`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ method, input }) });
        const body = (await res.json()) as { ok: boolean; value: T; error?: unknown };
        expect(body.ok, JSON.stringify(body.error)).toBe(true);
        return body.value;
      };
      // The demo chain makes a block every few seconds: read everything within one block (retry otherwise).
      let earnings: Earnings, leases: LeasePage, wallet: { balance: Balance }, dash: DashboardSummary, csv: string;
      for (let attempt = 0; ; attempt++) {
        const before = await call<Earnings>('earnings.get');
        [leases, wallet, dash, { csv }] = await Promise.all([
          call<LeasePage>('leases.list', { limit: 100 }),
          call<{ balance: Balance }>('wallet.status'),
          call<DashboardSummary>('dashboard.summary'),
          call<{ csv: string }>('earnings.csv'),
        ]);
        earnings = await call<Earnings>('earnings.get');
        const heights = new Set([before.blockTime.height, earnings.blockTime.height, ...leases.leases.map((l) => l.ledger?.height)]);
        if (heights.size === 1 || attempt === 6) break;
      }
      expect(earnings.denom).toBe('uact');
      expect(leases.leases.every((l) => l.denom === 'uact')).toBe(true);
      const ledger = (l: LeasePage['leases'][number]) => l.ledger!;
      const sum = (f: (l: LeasePage['leases'][number]) => string) => leases.leases.reduce((a, l) => a + BigInt(f(l)), 0n).toString();

      // Each lease's earned: the Dashboard service, the Leases API, the CSV and the CLI's line are one figure.
      const income = csv.trim().split('\n').map((r) => r.split(',')).filter((r) => r[0] === 'income');
      expect(dash.leases).toHaveLength(leases.leases.filter((l) => l.state === 'active' || l.state === 'reclaiming').length);
      for (const l of leases.leases) {
        const id = `${l.owner}/${l.dseq}/${l.gseq}/${l.oseq}`;
        const row = income.find((r) => r[4] === id)!;
        expect([row[6], row[7], row[8]]).toEqual([ledger(l).earnedMicro, ledger(l).withdrawnMicro, ledger(l).pendingMicro]);
        const d = dash.leases.find((x) => x.id === `${id}/${l.bseq}`);
        if (d) expect(String(d.earnedMicro)).toBe(ledger(l).earnedMicro);
        expect(leaseLine(l)).toContain(`earned ${formatTokens(ledger(l).earnedMicro, 'ACT')} / withdrawn ${formatTokens(ledger(l).withdrawnMicro, 'ACT')} / pending ${formatTokens(ledger(l).pendingMicro, 'ACT')}`);
      }
      // Totals: earnings.get (the Wallet and Leases screens' summary and `riglease earnings`) = the sums of the rows.
      expect(String(earnings.earned.micro)).toBe(sum((l) => ledger(l).earnedMicro));
      expect(String(earnings.withdrawn.micro)).toBe(sum((l) => ledger(l).withdrawnMicro));
      expect(String(earnings.pendingWithdrawal.micro)).toBe(sum((l) => ledger(l).pendingMicro));
      const text = earningsText(earnings);
      expect(text).toContain(`earned       ${formatTokens(earnings.earned.micro, 'ACT')}`);
      expect(text).toContain(`withdrawn    ${formatTokens(earnings.withdrawn.micro, 'ACT')}`);
      expect(text).toContain(`pending      ${formatTokens(earnings.pendingWithdrawal.micro, 'ACT')}`);
      // The Wallet: the demo wallet holds exactly what it withdrew; withdrawn never exceeds earned.
      expect(wallet.balance.uact).toBe(String(earnings.withdrawn.micro));
      expect(earnings.withdrawn.micro).toBeLessThanOrEqual(earnings.earned.micro);
      expect(wallet.balance.aktUsd).toBe('1.5');
    } finally {
      await session.close();
    }
  }, 60_000);
});
