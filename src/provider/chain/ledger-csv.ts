import type { LeaseRow } from '../../api/schemas/chain.js';
import type { Conversion } from '../../api/schemas/bme.js';
import { leaseFigures } from './lease-ledger.js';
import { formatUsd } from './money.js';
import type { TxJournalEntry } from './tx-journal.js';

export const LEDGER_CSV_HEADER = ['kind', 'time', 'height', 'tx_hash', 'id', 'denom', 'amount_micro', 'withdrawn_micro', 'pending_micro', 'usd', 'akt_usd', 'note'] as const;

/**
 * The provider's money as CSV, for taxes. Amounts are integer micro-units of the row's denom,
 * the same figures every screen shows (lease-ledger.ts):
 * - `income`: one row per lease — earned over its life at its price, withdrawn, and what a
 *   withdrawal in the next block pays; valued at 1 ACT = $1 (the chain's peg), AKT at the oracle
 *   price at export time.
 * - `withdrawal`: one row per withdrawal (or close) tx this RigLease sent — what escrow paid in it
 *   (the tx's events), with its hash, time and the oracle AKT price then (tx-journal.ts).
 * - `conversion_queued`: each MsgBurnACT tx (ACT handed to x/bme); `conversion`: each ledger record
 *   the chain holds for this wallet (executed: AKT minted, the spread and what was paid, at the
 *   price it executed at; with the queuing tx's hash when this RigLease sent it).
 * - `fee`: the gas fee (uakt) of every tx this RigLease sent, at the oracle AKT price then.
 * Transactions sent by another tool with the same key are not in the journal (README).
 */
export function ledgerCsv(leases: readonly LeaseRow[], conversions: readonly Conversion[], journal: readonly TxJournalEntry[], height: number, aktUsd: string | null): string {
  const rows: string[][] = [[...LEDGER_CSV_HEADER]];
  const value = (micro: bigint | string, denom: string, price: string | null) => (denom === 'uact' ? formatUsd(micro, '1') : denom === 'uakt' && price ? formatUsd(micro, price) : '');
  for (const l of leases) {
    const f = leaseFigures(l, height);
    rows.push(['income', '', String(l.createdAt), '', `${l.owner}/${l.dseq}/${l.gseq}/${l.oseq}`, l.denom, f.earned.toString(), f.withdrawn.toString(), f.pending.toString(), value(f.earned, l.denom, aktUsd), aktUsd ?? '', l.state]);
  }
  for (const t of journal) {
    for (const p of t.paid) rows.push(['withdrawal', t.at, String(t.height), t.hash, '', p.denom, p.amount, '', '', value(p.amount, p.denom, t.aktUsd), t.aktUsd ?? '', `${t.msgTypes.length} message(s)`]);
    if (t.burnUact) rows.push(['conversion_queued', t.at, String(t.height), t.hash, '', 'uact', t.burnUact, '', '', value(t.burnUact, 'uact', null), t.aktUsd ?? '', 'MsgBurnACT: ACT → AKT at the next burn epoch']);
  }
  for (const c of conversions) {
    const queuedBy = journal.find((t) => t.height === c.height && t.burnUact !== null);
    rows.push([
      'conversion',
      '',
      String(c.height),
      queuedBy?.hash ?? '',
      `${c.height}/${c.sequence}`,
      'uact',
      c.uact,
      '',
      '',
      value(c.uact, 'uact', null),
      c.aktUsd ?? '',
      c.status === 'executed' ? `paid ${c.paidUakt ?? '0'} uakt; spread ${c.spreadUakt ?? '0'} uakt; minted ${c.mintedUakt ?? '0'} uakt` : c.status,
    ]);
  }
  for (const t of journal) rows.push(['fee', t.at, String(t.height), t.hash, '', 'uakt', t.feeUakt, '', '', value(t.feeUakt, 'uakt', t.aktUsd), t.aktUsd ?? '', t.msgTypes.map((m) => m.split('.').pop()).join(' ')]);
  return rows.map((r) => r.map(cell).join(',')).join('\n') + '\n';
}

function cell(v: string): string {
  // A leading = + - @ would run as a formula in a spreadsheet.
  const safe = /^[=+\-@]/.test(v) ? `'${v}` : v;
  return /[",\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}
