import { describe, expect, it } from 'vitest';
import { withdrawalPays, type EscrowAccountView, type EscrowPaymentView } from './escrow-pending.js';

const DEC = 10n ** 18n;
const P = 'akash1provider';
const open = (xid: string, rate: string, balance = 0n): EscrowPaymentView => ({ xid, state: 'open', denom: 'uact', rateAtomics: BigInt(rate), balanceAtomics: balance, unsettledAtomics: 0n });
const account = (funds: bigint, settledAt = 100n, state: EscrowAccountView['state'] = 'open'): EscrowAccountView => ({ state, settledAt, fundsAtomics: new Map([['uact', funds * DEC]]) });

describe('what MsgWithdrawLease pays, as the x/escrow keeper settles (node x/escrow/keeper/keeper.go @3efe26bf)', () => {
  it('rate × blocks since settled_at, truncated to whole micro per settlement, plus the stored balance', () => {
    // 250000.5 uact a block for 13 blocks = 3,250,006.5 → the keeper settles 3,250,006 (TruncateDec).
    const pays = withdrawalPays(account(1_000_000_000n), [open(`1/1/${P}`, (2_500_005n * 10n ** 17n).toString(), 3n * DEC + DEC / 2n)], 113n);
    expect(pays.get(`1/1/${P}`)).toBe(3n + 3_250_006n); // the stored half micro stays behind (TruncateInt)
  });

  it('nothing new in the block it was settled in; an account settled later than the height pays only its balance', () => {
    expect(withdrawalPays(account(10n), [open(`1/1/${P}`, (5n * DEC).toString(), 7n * DEC)], 100n).get(`1/1/${P}`)).toBe(7n);
  });

  it('capped by the account funds, payment after payment in key order: the first takes what is left', () => {
    const a = open(`1/1/${P}`, (10n * DEC).toString());
    const b = open(`1/2/${P}`, (10n * DEC).toString());
    // 10 blocks: each is due 100, the account holds 150.
    const pays = withdrawalPays(account(150n), [b, a], 110n);
    expect(pays.get(a.xid)).toBe(100n);
    expect(pays.get(b.xid)).toBe(50n);
  });

  it('an overdrawn account does not settle new blocks; a closed one or negative funds pay only what is settled', () => {
    const p = open(`1/1/${P}`, (10n * DEC).toString(), 4n * DEC);
    expect(withdrawalPays(account(1000n, 100n, 'overdrawn'), [p], 200n).get(p.xid)).toBe(4n);
    expect(withdrawalPays(account(1000n, 100n, 'closed'), [p], 200n).get(p.xid)).toBe(4n);
    expect(withdrawalPays({ ...account(0n), fundsAtomics: new Map([['uact', -5n * DEC]]), firstFundsNegative: true }, [p], 200n).get(p.xid)).toBe(4n);
  });

  it('a payment that is not open pays nothing (PaymentWithdraw refuses it)', () => {
    expect(withdrawalPays(account(1000n), [{ ...open(`1/1/${P}`, DEC.toString(), 9n * DEC), state: 'closed' }], 200n).get(`1/1/${P}`)).toBe(0n);
  });
});
