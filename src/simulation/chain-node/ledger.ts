import { sdkError } from './errors.js';
import { DEC, deploymentKey, type Account, type ChainState, type LeaseRecord } from './state.js';

export function ensureAccount(state: ChainState, address: string): Account {
  let acc = state.accounts.get(address);
  if (!acc) {
    // Like x/auth: an account gets its number the first time it receives funds.
    acc = { address, accountNumber: state.nextAccountNumber++, sequence: 0n, pubkey: null };
    state.accounts.set(address, acc);
  }
  return acc;
}

export function balanceOf(state: ChainState, address: string, denom: string): bigint {
  return state.balances.get(address)?.get(denom) ?? 0n;
}

export function addBalance(state: ChainState, address: string, denom: string, amount: bigint): void {
  let m = state.balances.get(address);
  if (!m) {
    m = new Map();
    state.balances.set(address, m);
  }
  m.set(denom, (m.get(denom) ?? 0n) + amount);
}

export function subBalance(state: ChainState, address: string, denom: string, amount: bigint): void {
  const have = balanceOf(state, address, denom);
  if (have < amount) throw sdkError.insufficientFunds(`spendable balance ${have}${denom} is smaller than ${amount}${denom}`);
  state.balances.get(address)!.set(denom, have - amount);
}

/**
 * x/escrow keeper `accountSettle` (akash-network/node x/escrow/keeper/keeper.go @3efe26bf,
 * `accountSettle` + `accountSettleFullBlocks` + `deductFromBalance`), for the lease's deployment
 * account: every open payment of the account gets rate × (height − the account's `settled_at`),
 * truncated to whole micro-units (`TruncateDec`), taken from the account's funds payment after
 * payment in store order; `settled_at` moves to the height. When the funds cannot pay in full the
 * account and all its payments are overdrawn and every payment's whole balance is paid out
 * (`paymentWithdraw`); here the leases then turn `insufficient_funds` (the real module's hooks
 * close them; see README).
 */
export function settleLease(state: ChainState, lease: LeaseRecord): void {
  settleAccount(state, lease.owner, lease.dseq, BigInt(state.height));
}

/** The open payments of a deployment account, in the order the keeper's store iterates them (payment key). */
export function accountPayments(state: ChainState, owner: string, dseq: bigint): LeaseRecord[] {
  const out = [...state.leases.values()].filter((l) => l.owner === owner && l.dseq === dseq && (l.state === 'active' || l.state === 'reclaiming'));
  const key = (l: LeaseRecord) => `${l.gseq}/${l.oseq}/${l.provider}`;
  return out.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

export function settleAccount(state: ChainState, owner: string, dseq: bigint, height: bigint): void {
  const esc = state.escrow.get(deploymentKey(owner, dseq));
  // An overdrawn account does not move settled_at (keeper: heightDelta stays 0).
  if (!esc || esc.overdrawn || height <= esc.settledAt) return;
  const delta = height - esc.settledAt;
  esc.settledAt = height;
  const payments = accountPayments(state, owner, dseq);
  let overdrawn = false;
  for (const p of payments) {
    const transfer = ((p.priceAtomics * delta) / DEC) * DEC;
    const settled = transfer <= esc.fundsAtomics ? transfer : esc.fundsAtomics;
    esc.fundsAtomics -= settled;
    p.balanceAtomics += settled;
    if (settled < transfer) overdrawn = true;
  }
  if (!overdrawn) return;
  esc.overdrawn = true;
  for (const p of payments) {
    payOut(state, p);
    p.state = 'insufficient_funds';
    p.closedOn = height;
  }
}

/** keeper `paymentWithdraw`: the balance's whole micro-units to the provider; the fraction stays. */
export function payOut(state: ChainState, lease: LeaseRecord): bigint {
  const whole = lease.balanceAtomics / DEC;
  if (whole > 0n) {
    lease.balanceAtomics -= whole * DEC;
    lease.withdrawn += whole;
    ensureAccount(state, lease.provider);
    addBalance(state, lease.provider, lease.denom, whole);
  }
  return whole;
}
