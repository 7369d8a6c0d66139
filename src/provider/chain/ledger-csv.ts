import type { LeaseRow } from '../../api/schemas/chain.js';
import type { Conversion } from '../../api/schemas/bme.js';
import { accruedAtomics, atomicsToMicro, priceAtomicsOf } from './accrual.js';
import { formatUsd } from './money.js';

export const LEDGER_CSV_HEADER = ['kind', 'id', 'height', 'denom', 'amount_micro', 'withdrawn_micro', 'pending_micro', 'usd', 'akt_usd', 'note'] as const;

/**
 * The provider's money as CSV, one row per lease (income: accrued over its life, withdrawn,
 * pending) and per ACT → AKT conversion (with the AKT price it executed at). Amounts are integer
 * micro-units of the row's denom, exactly as the other screens show them (accrual.ts). Income is
 * valued at 1 ACT = $1 (the chain's peg) and AKT at `aktUsd`, the oracle price when exported;
 * network fees are not in the export (see the README's BME section: no per-tx history is read).
 */
export function ledgerCsv(leases: readonly LeaseRow[], conversions: readonly Conversion[], height: number, aktUsd: string | null): string {
  const rows: string[][] = [[...LEDGER_CSV_HEADER]];
  for (const l of leases) {
    const earned = atomicsToMicro(accruedAtomics([{ createdAt: l.createdAt, closedOn: l.state === 'closed' ? l.closedOn || l.createdAt : l.closedOn, priceAtomics: priceAtomicsOf(l) }], 0, height, height));
    const usd = l.denom === 'uact' ? formatUsd(earned, '1') : l.denom === 'uakt' && aktUsd ? formatUsd(earned, aktUsd) : '';
    rows.push([
      'income',
      `${l.owner}/${l.dseq}/${l.gseq}/${l.oseq}`,
      String(l.createdAt),
      l.denom,
      earned.toString(),
      String(l.escrow?.withdrawn ?? 0),
      String(Math.round(l.escrow?.balance ?? 0)),
      usd,
      aktUsd ?? '',
      l.state,
    ]);
  }
  for (const c of conversions) {
    rows.push(['conversion', `${c.height}/${c.sequence}`, String(c.height), 'uact', c.uact, '', '', formatUsd(c.uact, '1'), c.aktUsd ?? '', c.status === 'executed' ? `paid ${c.paidUakt ?? '0'} uakt; spread ${c.spreadUakt ?? '0'} uakt` : c.status]);
  }
  return rows.map((r) => r.map(cell).join(',')).join('\n') + '\n';
}

function cell(v: string): string {
  // A leading = + - @ would run as a formula in a spreadsheet.
  const safe = /^[=+\-@]/.test(v) ? `'${v}` : v;
  return /[",\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}
