import { sdkError } from './errors.js';
import { deploymentKey, type Account, type ChainState, type LeaseRecord } from './state.js';

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
 * Escrow settlement of one lease payment up to the current height: rate × blocks moves from
 * the deployment's escrow funds into the payment balance. When funds run out the lease becomes
 * insufficient_funds (the real escrow module then closes it; see README).
 */
export function settleLease(state: ChainState, lease: LeaseRecord): void {
  // A reclaiming lease still runs and pays until it is closed (AEP-82).
  if (lease.state !== 'active' && lease.state !== 'reclaiming') return;
  const now = BigInt(state.height);
  if (now <= lease.settledAt) return;
  const esc = state.escrow.get(deploymentKey(lease.owner, lease.dseq));
  const due = lease.priceAtomics * (now - lease.settledAt);
  const available = esc?.fundsAtomics ?? 0n;
  const paid = due <= available ? due : available;
  if (esc) esc.fundsAtomics -= paid;
  lease.balanceAtomics += paid;
  lease.settledAt = now;
  if (paid < due) {
    lease.state = 'insufficient_funds';
    lease.closedOn = now;
  }
}
