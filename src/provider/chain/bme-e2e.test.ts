import { beforeAll, describe, expect, it } from 'vitest';
import { testAccount, useChainTestFrame } from '../../../test/chain-node/chain-test-frame.js';
import { quoteActToAkt } from './money.js';
import { TYPE_URL } from './registry.js';

const TENANT = testAccount(9);

/**
 * Money after BME, end to end: a uact lease pays the provider ACT on withdrawal; MsgBurnACT queues
 * ACT, which the node's x/bme model settles into AKT at the next epoch at the oracle price minus the
 * settle spread; the fee is AKT throughout; the circuit breaker holds conversions only when the
 * oracle is halted.
 */
describe('ACT earnings → AKT through x/bme (test chain node)', () => {
  const frame = useChainTestFrame({ name: 'bme', fundUakt: 5_000_000n });
  const balance = (denom: string) => frame.chain.state.balances.get(frame.provider)?.get(denom) ?? 0n;

  beforeAll(() => {
    const { chain, provider } = frame;
    chain.seed({
      leases: [{ owner: TENANT, dseq: 700, provider, denom: 'uact', pricePerBlock: '1000000', createdAt: chain.state.height, escrowFunds: '500000000' }],
      bme: { aktUsd: '1.14', settleSpreadBps: 50, minEpochBlocks: 10 },
    });
    chain.advance(20);
  });

  it('a withdrawal from a uact lease pays ACT; its fee is AKT', async () => {
    const aktBefore = balance('uakt');
    const out = await frame.svc.leases.withdrawAll({ dryRun: false });
    expect(out.txs).toHaveLength(1);
    const paid = balance('uact');
    expect(paid).toBeGreaterThanOrEqual(20_000_000n); // 1 ACT a block × ~21 blocks
    expect(aktBefore - balance('uakt')).toBe(BigInt(out.txs[0]!.feeUakt));
  });

  it('earnings are in ACT (1 ACT = $1) with the AKT equivalent at the oracle price; withdrawn never exceeds earned', async () => {
    frame.chain.advance(3);
    const e = await frame.svc.leases.earnings(null);
    expect(e.denom).toBe('uact');
    expect(e.usdSource).toBe('peg');
    expect(e.usdPerUnit).toBe(1);
    expect(e.aktUsd).toBe('1.14');
    expect(BigInt(e.withdrawn.micro)).toBe(balance('uact'));
    expect(e.withdrawn.micro).toBeLessThanOrEqual(e.earned.micro);
    expect(e.earned.usd).toBe(Math.round(e.earned.micro / 1e4) / 100);
    // earned in AKT = uact ÷ 1.14, truncated (no spread: it is a valuation, not a conversion).
    expect(e.aktEquivalent?.earnedUakt).toBe(quoteActToAkt(BigInt(e.earned.micro), '1.14', 0).minted.toString());
  });

  it('previews a conversion at the oracle price minus the spread, within one epoch', async () => {
    const p = await frame.svc.bme.preview(10_000_000n);
    expect(p.allowed).toBe(true);
    expect(p.aktUsd).toBe('1.14');
    expect(p.settleSpreadBps).toBe(50);
    // 10 ACT / $1.14 = 8.771929 AKT; 0.5 % spread = 0.043859 AKT.
    expect(p.expectedMintedUakt).toBe('8771929');
    expect(p.expectedSpreadUakt).toBe('43859');
    expect(p.expectedPaidUakt).toBe('8728070');
    expect(p.epochBlocks).toBe(10);
    expect(BigInt(p.feeUakt ?? '0')).toBeGreaterThan(0n);
  });

  it('queues MsgBurnACT, then pays AKT at the next epoch exactly as the preview said', async () => {
    const uactBefore = balance('uact');
    const uaktBefore = balance('uakt');
    const r = await frame.svc.bme.convert(10_000_000n);
    expect(r.conversion.status).toBe('pending');
    expect(balance('uact')).toBe(uactBefore - 10_000_000n);
    expect(balance('uakt')).toBe(uaktBefore - BigInt(r.tx.feeUakt));
    frame.chain.advance(11);
    const s = await frame.svc.bme.status();
    const done = s.conversions.find((c) => c.height === r.tx.height);
    expect(done).toMatchObject({ status: 'executed', uact: '10000000', mintedUakt: '8771929', spreadUakt: '43859', paidUakt: '8728070', aktUsd: '1.14' });
    expect(balance('uakt')).toBe(uaktBefore - BigInt(r.tx.feeUakt) + 8_728_070n);
  });

  it('converts while the collateral-ratio breaker halts minting, and says so', async () => {
    frame.chain.setBme({ collateralRatio: '0.85' });
    const s = await frame.svc.bme.status();
    expect(s.status).toBe('halt_cr');
    expect(s.mintsAllowed).toBe(false);
    expect(s.conversionsAllowed).toBe(true);
    expect(s.note).toMatch(/converting ACT to AKT still works/);
    expect((await frame.svc.bme.preview(1_000_000n)).allowed).toBe(true);
    frame.chain.setBme({ collateralRatio: '2' });
  });

  it('holds conversions while the oracle is halted: the app refuses first, the chain refuses too', async () => {
    frame.chain.setBme({ oracleHealthy: false });
    const p = await frame.svc.bme.preview(1_000_000n);
    expect(p.status).toBe('halt_oracle');
    expect(p.allowed).toBe(false);
    expect(p.whyNot).toMatch(/holds ACT → AKT conversions/);
    await expect(frame.svc.bme.convert(1_000_000n)).rejects.toThrow(/Nothing was sent/);
    const { wallet, address } = await frame.svc.wallet.signer();
    const before = frame.chain.acceptedTxs;
    const msg = { typeUrl: TYPE_URL.burnAct, value: { owner: address, to: address, coinsToBurn: { denom: 'uact', amount: '1000000' } } };
    await expect((await frame.svc.context.get()).sender.send(wallet, address, [msg])).rejects.toThrow(/price stalled/);
    expect(frame.chain.acceptedTxs).toBe(before);
    frame.chain.setBme({ oracleHealthy: true });
  });

  it('a queued conversion waits while the oracle stalls and is refunded after the keeper’s attempts', async () => {
    const uactBefore = balance('uact');
    const r = await frame.svc.bme.convert(2_000_000n);
    frame.chain.setBme({ oracleHealthy: false });
    frame.chain.advance(35); // three burn epochs
    frame.chain.setBme({ oracleHealthy: true });
    const s = await frame.svc.bme.status();
    expect(s.conversions.find((c) => c.height === r.tx.height)?.status).toBe('canceled');
    expect(balance('uact')).toBe(uactBefore);
  });

  it('refuses more ACT than the wallet holds before signing anything', async () => {
    const p = await frame.svc.bme.preview(balance('uact') + 1n);
    expect(p.allowed).toBe(false);
    expect(p.whyNot).toMatch(/less than/);
  });

  it('the app’s quote is the keeper’s arithmetic (spread truncated after a half-even rate)', () => {
    expect(quoteActToAkt(10_000_000n, '1.14', 50)).toEqual({ minted: 8_771_929n, spread: 43_859n, paid: 8_728_070n });
    expect(quoteActToAkt(1n, '3', 0)).toEqual({ minted: 0n, spread: 0n, paid: 0n });
    expect(quoteActToAkt(3_000_000n, '3', 1000)).toEqual({ minted: 999_999n, spread: 99_999n, paid: 900_000n });
  });
});
