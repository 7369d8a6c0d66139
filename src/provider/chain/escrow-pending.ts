/**
 * What MsgWithdrawLease pays, computed the way the x/escrow keeper would in a given block
 * (akash-network/node x/escrow/keeper/keeper.go @3efe26bf: `PaymentWithdraw` → `accountSettle` →
 * `accountSettleFullBlocks` / `deductFromBalance`, then `paymentWithdraw`). Pure bigint, no chain
 * imports, so the ledger and tests use it directly.
 *
 * - An account is settled for every block since its `settled_at` (an overdrawn account is not:
 *   its height delta is 0). Each open payment gets rate × blocks **truncated to whole micro-units**
 *   (`TruncateDec`); an overdrawn payment gets its `unsettled` instead.
 * - Transfers are taken from the account's funds of the rate's denom, payment after payment in
 *   store order (overdrawn payments first, then open, each by key); a payment that cannot be paid
 *   in full takes what is left and the account is overdrawn.
 * - The payment then pays the whole micro-units of its balance (`TruncateInt`); the fraction stays.
 *   When the account ends overdrawn every payment is paid out that way, so the figure is the same.
 * - A closed account, or funds already negative, pays nothing. Not modelled: the AKT fallback
 *   (`settleFromAktFallback`) that pays an overdrawn uact payment in uakt while x/bme is halted.
 */

export type EscrowState = 'open' | 'closed' | 'overdrawn';

export interface EscrowAccountView {
  state: EscrowState;
  settledAt: bigint;
  /** The account's funds per denom, Dec atomics (micro × 1e18); the keeper's `Funds`. */
  fundsAtomics: ReadonlyMap<string, bigint>;
  /** Funds[0] is negative: the keeper returns before settling anything. */
  firstFundsNegative?: boolean;
}

export interface EscrowPaymentView {
  /** `<gseq>/<oseq>/<provider>`: the payment's xid, its order in the store. */
  xid: string;
  state: EscrowState;
  denom: string;
  rateAtomics: bigint;
  balanceAtomics: bigint;
  unsettledAtomics: bigint;
}

const DEC = 10n ** 18n;

/** Micro-units a withdrawal of each payment (by xid) pays when included in block `height`. */
export function withdrawalPays(account: EscrowAccountView, payments: readonly EscrowPaymentView[], height: bigint): Map<string, bigint> {
  const out = new Map<string, bigint>();
  for (const p of payments) out.set(p.xid, p.state === 'open' ? p.balanceAtomics / DEC : 0n);
  if (account.state === 'closed' || account.firstFundsNegative) return out;
  const delta = account.state === 'overdrawn' ? 0n : height > account.settledAt ? height - account.settledAt : 0n;
  const order = (s: EscrowState) => (s === 'overdrawn' ? 0 : 1);
  const settling = payments
    .filter((p) => p.state === 'overdrawn' || (p.state === 'open' && delta > 0n))
    .sort((a, b) => order(a.state) - order(b.state) || (a.xid < b.xid ? -1 : a.xid > b.xid ? 1 : 0));
  const funds = new Map(account.fundsAtomics);
  for (const p of settling) {
    const transfer = p.state === 'overdrawn' ? p.unsettledAtomics : ((p.rateAtomics * delta) / DEC) * DEC;
    const have = funds.get(p.denom) ?? 0n;
    const settled = have <= 0n ? 0n : transfer <= have ? transfer : have;
    funds.set(p.denom, have - transfer);
    // Only an open payment can be withdrawn (PaymentWithdraw refuses others), but an overdrawn
    // settlement pays every payment of the account out; count what reaches open ones.
    if (p.state === 'open') out.set(p.xid, (p.balanceAtomics + settled) / DEC);
  }
  return out;
}
