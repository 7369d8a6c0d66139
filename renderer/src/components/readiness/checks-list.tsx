import type { ReactNode } from 'react';
import type { Check, CheckStatus } from '../../../../src/api/schemas/hardware.js';
import { CheckList, type CheckRow } from '../check-list.js';

const BADGE: Record<CheckStatus, { className: string; text: string }> = {
  ok: { className: 'badge-ok', text: 'OK' },
  warn: { className: 'badge-warn', text: 'Warning' },
  block: { className: 'badge-block', text: 'Blocks' },
};
const ORDER: Record<CheckStatus, number> = { block: 0, warn: 1, ok: 2 };

/** A readiness check as a row: its title, detail, and the fix and link whatever its status. */
function row(c: Check): CheckRow {
  return { id: c.id, status: c.status, problem: c.status !== 'ok', rank: ORDER[c.status], badge: BADGE[c.status], title: c.title, detail: c.detail, fix: c.fix, link: c.link };
}

/** The checks, worst first: each with why, and the concrete fix when there is one. */
export function ChecksList({ checks }: { checks: Check[] }): ReactNode {
  return (
    <section className="card" data-testid="checks">
      <h2>Checks</h2>
      {checks.length === 0 ? <p className="muted">The scan returned no checks.</p> : null}
      <CheckList rows={checks.map(row)} rowTestId="check" />
    </section>
  );
}
