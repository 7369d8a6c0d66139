import { writeFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { BmeStatus, ConvertPreview, ConvertResult } from '../api/schemas/bme.js';
import { Balance, Earnings, LeasePage, WalletInfo, WithdrawResult } from '../api/schemas/chain.js';
import { generateMnemonic } from '../provider/chain/mnemonic.js';
import { runBundledCli, type CliRun } from '../../test/cli-bundle.js';
import { TEST_CHAIN_ID, TEST_TENANT, useChainCli } from '../../test/chain-cli.js';

const cli = useChainCli('money-cli-test');

function riglease(args: string[], stdin = ''): Promise<CliRun> {
  const env = { ...process.env, RIGLEASE_HOME: cli.home, RIGLEASE_CHAIN_RPC: cli.node.url, RIGLEASE_CHAIN_ID: TEST_CHAIN_ID, RIGLEASE_PASSPHRASE: 'cli money passphrase 1' };
  return runBundledCli(cli.main, args, env, { stdin });
}

/** Human outputs kept for a reader who wants to see them (RIGLEASE_SAMPLE_OUT=file). */
const samples: string[] = [];
const keep = (cmd: string, run: CliRun) => samples.push(`$ riglease ${cmd}\n${run.stdout}${run.stderr ? run.stderr : ''}`);

describe('money on today’s Akash through the real CLI: one ledger, ACT earnings, AKT fees, conversion', () => {
  let provider = '';
  let withdrawTx: { hash: string; feeUakt: string };
  let withdrawnUact = 0n;

  it('the same figures in earnings, leases and the wallet, to the micro-unit, after a withdrawal in ACT', async () => {
    const imported = await riglease(['wallet', 'import', '--json'], generateMnemonic());
    expect(imported.code, imported.stderr).toBe(0);
    provider = WalletInfo.parse(JSON.parse(imported.stdout)).address!;
    cli.node.chain.fund(provider, 'uakt', 3_000_000n);
    cli.node.chain.seed({
      leases: [
        { owner: TEST_TENANT, dseq: 900, provider, denom: 'uact', pricePerBlock: '1000000', createdAt: cli.node.chain.state.height, escrowFunds: '900000000' },
        { owner: TEST_TENANT, dseq: 901, provider, denom: 'uact', pricePerBlock: '250000.5', createdAt: cli.node.chain.state.height, escrowFunds: '900000000' },
      ],
      bme: { aktUsd: '1.25', settleSpreadBps: 30, minEpochBlocks: 5 },
    });
    cli.node.chain.advance(12);
    // Pending is what a withdrawal in the next block pays: the keeper's settlement since settled_at.
    const shown = Earnings.parse(JSON.parse((await riglease(['earnings', '--json'])).stdout));
    const w = await riglease(['withdraw', '--json']);
    expect(w.code, w.stderr).toBe(0);
    withdrawTx = WithdrawResult.parse(JSON.parse(w.stdout)).txs[0]!;

    const earnings = Earnings.parse(JSON.parse((await riglease(['earnings', '--json'])).stdout));
    const leases = LeasePage.parse(JSON.parse((await riglease(['leases', '--json'])).stdout));
    const balance = Balance.parse(JSON.parse((await riglease(['wallet', 'balance', '--json'])).stdout));
    const sum = (f: (l: (typeof leases.leases)[number]) => number) => leases.leases.reduce((a, l) => a + f(l), 0);
    expect(earnings.denom).toBe('uact');
    expect(earnings.withdrawn.micro).toBe(sum((l) => l.escrow?.withdrawn ?? 0));
    expect(BigInt(earnings.withdrawn.micro)).toBe(BigInt(balance.uact)); // withdrawn = the ACT that reached the wallet
    expect(BigInt(balance.uact)).toBe(BigInt(shown.pendingWithdrawal.micro)); // paid = the pending figure shown just before
    withdrawnUact = BigInt(balance.uact);
    expect(shown.pendingWithdrawal.micro).toBe(13 * 1_000_000 + 3_250_006); // 13 blocks × 250,000.5 = 3,250,006.5, truncated
    expect(earnings.pendingWithdrawal.micro).toBe(sum((l) => Number(l.ledger?.pendingMicro ?? 'x')));
    expect(earnings.withdrawn.micro).toBeLessThanOrEqual(earnings.earned.micro);
    expect(earnings.usdSource).toBe('peg');
    keep('earnings', await riglease(['earnings']));
    keep('wallet balance', await riglease(['wallet', 'balance']));
  }, 90_000);

  it('wallet convert: preview (exit 1, nothing sent), --yes queues, the next epoch pays the previewed AKT', async () => {
    const txs = cli.node.chain.acceptedTxs;
    const dry = await riglease(['wallet', 'convert', '--amount', '5', '--json']);
    expect(dry.code).toBe(1);
    const p = ConvertPreview.parse(JSON.parse(dry.stdout));
    expect(p).toMatchObject({ allowed: true, uact: '5000000', aktUsd: '1.25', settleSpreadBps: 30, expectedMintedUakt: '4000000', expectedSpreadUakt: '12000', expectedPaidUakt: '3988000', epochBlocks: 5 });
    expect(cli.node.chain.acceptedTxs).toBe(txs);
    keep('wallet convert --amount 5', await riglease(['wallet', 'convert', '--amount', '5']));

    const before = cli.node.chain.state.balances.get(provider)!.get('uakt')!;
    const run = await riglease(['wallet', 'convert', '--amount', '5', '--yes', '--json']);
    expect(run.code, run.stderr).toBe(0);
    const r = ConvertResult.parse(JSON.parse(run.stdout));
    cli.node.chain.advance(6);
    const s = BmeStatus.parse(JSON.parse((await riglease(['wallet', 'convert', '--json'])).stdout));
    expect(s.conversions.find((c) => c.height === r.tx.height)).toMatchObject({ status: 'executed', paidUakt: '3988000', spreadUakt: '12000' });
    expect(cli.node.chain.state.balances.get(provider)!.get('uakt')!).toBe(before - BigInt(r.tx.feeUakt) + 3_988_000n);
    keep('wallet convert', await riglease(['wallet', 'convert']));

    cli.node.chain.setBme({ oracleHealthy: false });
    const held = await riglease(['wallet', 'convert', '--amount', '1']);
    expect(held.code).toBe(1);
    expect(held.stdout).toMatch(/Cannot convert now: The chain holds ACT → AKT conversions: its price oracle is halted/);
    keep('wallet convert --amount 1   (oracle halted)', held);
    cli.node.chain.setBme({ oracleHealthy: true });
    const csv = await riglease(['earnings', '--csv']);
    expect(csv.code, csv.stderr).toBe(0);
    const rows = csv.stdout.trim().split('\n').map((r) => r.split(','));
    expect(rows[0]).toEqual(['kind', 'time', 'height', 'tx_hash', 'id', 'denom', 'amount_micro', 'withdrawn_micro', 'pending_micro', 'usd', 'akt_usd', 'note']);
    const e = Earnings.parse(JSON.parse((await riglease(['earnings', '--json'])).stdout));
    const income = rows.filter((r) => r[0] === 'income');
    expect(income).toHaveLength(2);
    // The one ledger: the rows add up to the totals to the micro-unit.
    expect(income.reduce((a, r) => a + BigInt(r[6]!), 0n)).toBe(BigInt(e.earned.micro));
    expect(income.reduce((a, r) => a + BigInt(r[7]!), 0n)).toBe(BigInt(e.withdrawn.micro));
    expect(income.reduce((a, r) => a + BigInt(r[8]!), 0n)).toBe(BigInt(e.pendingWithdrawal.micro));
    // The withdrawal tx: its hash, what escrow paid (the ACT that reached the wallet), its fee.
    const withdrawals = rows.filter((r) => r[0] === 'withdrawal');
    expect(withdrawals).toHaveLength(1);
    expect(withdrawals[0]).toMatchObject({ 3: withdrawTx.hash, 5: 'uact', 6: withdrawnUact.toString(), 10: '1.25' });
    const queued = rows.find((r) => r[0] === 'conversion_queued');
    expect(queued).toMatchObject({ 2: String(r.tx.height), 3: r.tx.hash, 5: 'uact', 6: '5000000', 9: '$5.00', 10: '1.25' });
    expect(rows.find((x) => x[0] === 'conversion' && x[11]?.startsWith('paid 3988000 uakt; spread 12000 uakt'))).toMatchObject({ 3: r.tx.hash, 5: 'uact', 6: '5000000', 9: '$5.00', 10: '1.25' });
    // A fee row for each tx this RigLease sent (withdraw + convert), in uakt at the oracle price then.
    const fees = rows.filter((x) => x[0] === 'fee');
    expect(fees.map((x) => [x[3], x[6]])).toEqual([
      [withdrawTx.hash, withdrawTx.feeUakt],
      [r.tx.hash, r.tx.feeUakt],
    ]);
    expect(fees[1]![9]).toBe(`$${(Number(r.tx.feeUakt) * 1.25 / 1e6).toFixed(2)}`);
    keep('earnings --csv', csv);
    if (process.env['RIGLEASE_SAMPLE_OUT']) await writeFile(process.env['RIGLEASE_SAMPLE_OUT'], samples.join('\n'));
  }, 90_000);
});
