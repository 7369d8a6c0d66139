import { accruedAtomics, atomicsToMicro, priceAtomicsOf } from './accrual.js';

/**
 * The one ledger: each lease's money as exact integer micro-units of its denom, and totals that
 * are the sums of those same per-lease figures — so a lease's figure on the Dashboard, the Leases
 * screen, the CLI and the CSV is one number, and the totals add up to the rows to the micro-unit.
 * Light on purpose (no chain imports), like accrual.ts.
 *
 * - `earned`: the lease price × its blocks (start to close block, or the current height), floored
 *   to micro-units per lease (accrual.ts). It is what the price says, not what escrow could pay.
 * - `withdrawn`: the escrow payment's `withdrawn` (paid to the provider).
 * - `pending`: what MsgWithdrawLease included in the next block would pay (escrow-pending.ts).
 *   The keeper truncates each settlement to whole micro-units, so withdrawn + pending never exceed
 *   earned; a lease whose escrow ran dry earns more than it can ever pay.
 */
export interface LedgerFigures {
  earned: bigint;
  withdrawn: bigint;
  pending: bigint;
}

export interface LedgerLease {
  state: string;
  createdAt: number;
  closedOn: number;
  pricePerBlock: number;
  priceAtomics?: string | undefined;
  escrow: { withdrawn: number } | null;
  /** Filled by the leases service at its height (digits); its earned wins over a recount. */
  ledger?: { earnedMicro?: string; pendingMicro: string } | undefined;
}

/** A lease's earned micro-units at `height`: one implementation for every screen. */
export function leaseEarned(l: Pick<LedgerLease, 'state' | 'createdAt' | 'closedOn' | 'pricePerBlock' | 'priceAtomics'>, height: number): bigint {
  // A closed lease without a close block (never on a real chain) is not guessed at: it counts nothing.
  const closedOn = l.state === 'closed' ? l.closedOn || l.createdAt : l.closedOn;
  return atomicsToMicro(accruedAtomics([{ createdAt: l.createdAt, closedOn, priceAtomics: priceAtomicsOf(l) }], 0, height, height));
}

export function leaseFigures(l: LedgerLease, height: number): LedgerFigures {
  return {
    earned: l.ledger?.earnedMicro !== undefined ? BigInt(l.ledger.earnedMicro) : leaseEarned(l, height),
    withdrawn: BigInt(l.escrow?.withdrawn ?? 0),
    pending: BigInt(l.ledger?.pendingMicro ?? '0'),
  };
}

/** Totals as the sum of the per-lease figures (never a separately rounded sum). */
export function ledgerTotals(leases: readonly LedgerLease[], height: number): LedgerFigures {
  const t: LedgerFigures = { earned: 0n, withdrawn: 0n, pending: 0n };
  for (const l of leases) {
    const f = leaseFigures(l, height);
    t.earned += f.earned;
    t.withdrawn += f.withdrawn;
    t.pending += f.pending;
  }
  return t;
}
