import { QueryAccountsRequest, QueryAccountsResponse } from '@akashnetwork/chain-sdk/private-types/akash.v1';
import type { LeaseRow } from '../../api/schemas/chain.js';
import type { ChainClient } from './chain-client.js';
import { decimalToAtomics } from './money.js';
import { withdrawalPays, type EscrowAccountView, type EscrowPaymentView, type EscrowState } from './escrow-pending.js';
import { leaseEarned } from './lease-ledger.js';

const STATES: Record<number, EscrowState> = { 1: 'open', 2: 'closed', 3: 'overdrawn' };
/** Account queries in flight at once (one per deployment with an open lease). */
const PARALLEL = 8;

/**
 * A deployment's escrow account (`akash.escrow.v1.Query/Accounts`, filtered by state and the
 * account key `deployment/<owner>/<dseq>`, node x/escrow/keeper/grpc_query.go; the key form is
 * chain-sdk go/node/escrow/id/v1/id.go `Account.Key`). Open first, then overdrawn; null: neither.
 */
export async function escrowAccount(client: ChainClient, owner: string, dseq: string): Promise<EscrowAccountView | null> {
  for (const state of ['open', 'overdrawn'] as const) {
    const req = QueryAccountsRequest.fromPartial({ state, xid: `deployment/${owner}/${dseq}`, pagination: { limit: 1 } });
    const res = QueryAccountsResponse.decode(await client.query('/akash.escrow.v1.Query/Accounts', QueryAccountsRequest.encode(req).finish()));
    const a = res.accounts[0]?.state;
    if (!a) continue;
    const funds = new Map<string, bigint>();
    let firstFundsNegative = false;
    for (const [i, f] of a.funds.entries()) {
      const neg = f.amount.startsWith('-');
      const atomics = decAtomics(neg ? f.amount.slice(1) : f.amount);
      funds.set(f.denom, neg ? -atomics : atomics);
      if (i === 0 && neg) firstFundsNegative = true;
    }
    return { state: STATES[Number(a.state)] ?? 'closed', settledAt: BigInt(a.settledAt), fundsAtomics: funds, firstFundsNegative };
  }
  return null;
}

/** A protobuf Dec: atomics as digits, or (some gateways) a decimal text. */
function decAtomics(amount: string): bigint {
  return /^\d+$/.test(amount) ? BigInt(amount) : decimalToAtomics(amount);
}

/**
 * Each row's ledger figures at `height`: earned (lease-ledger.ts), withdrawn, and what a
 * withdrawal in block height + 1 pays (escrow-pending.ts over the deployment's account and this
 * provider's payments in it). Payments of other providers in the same deployment are not listed
 * by the lease query; they share the funds only when the account runs short.
 */
export async function attachLedger(client: ChainClient, items: readonly { row: LeaseRow; payment: EscrowPaymentView | null }[], height: number): Promise<void> {
  const byDeployment = new Map<string, { row: LeaseRow; payment: EscrowPaymentView }[]>();
  for (const it of items) {
    if (!it.payment || (it.payment.state !== 'open' && it.payment.state !== 'overdrawn')) continue;
    const k = `${it.row.owner}/${it.row.dseq}`;
    byDeployment.set(k, [...(byDeployment.get(k) ?? []), { row: it.row, payment: it.payment }]);
  }
  const pays = new Map<LeaseRow, bigint>();
  const groups = [...byDeployment.values()];
  for (let i = 0; i < groups.length; i += PARALLEL) {
    await Promise.all(
      groups.slice(i, i + PARALLEL).map(async (ls) => {
        const account = await escrowAccount(client, ls[0]!.row.owner, ls[0]!.row.dseq);
        if (!account) return;
        const paid = withdrawalPays(account, ls.map((l) => l.payment), BigInt(height + 1));
        for (const l of ls) pays.set(l.row, paid.get(l.payment.xid) ?? 0n);
      }),
    );
  }
  for (const { row } of items) {
    row.ledger = { height, earnedMicro: leaseEarned(row, height).toString(), withdrawnMicro: String(row.escrow?.withdrawn ?? 0), pendingMicro: (pays.get(row) ?? 0n).toString() };
  }
}

/** The escrow payment of a lease as the keeper holds it (exact Dec atomics). */
export function paymentView(p: { state: number; rate?: { denom: string; amount: string } | undefined; balance?: { amount: string } | undefined; unsettled?: { amount: string } | undefined }, xid: string): EscrowPaymentView {
  return {
    xid,
    state: STATES[Number(p.state)] ?? 'closed',
    denom: p.rate?.denom ?? '',
    rateAtomics: decAtomics(p.rate?.amount ?? '0'),
    balanceAtomics: decAtomics(p.balance?.amount ?? '0'),
    unsettledAtomics: decAtomics(p.unsettled?.amount ?? '0'),
  };
}
