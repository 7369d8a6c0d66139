import type { ReactNode } from 'react';
import type { Check, CheckStatus } from '../../../../src/api/schemas/hardware.js';
import { FixText } from '../copy-code.js';

const BADGE: Record<CheckStatus, { className: string; text: string }> = {
  ok: { className: 'badge-ok', text: 'OK' },
  warn: { className: 'badge-warn', text: 'Warning' },
  block: { className: 'badge-block', text: 'Blocks' },
};
const ORDER: Record<CheckStatus, number> = { block: 0, warn: 1, ok: 2 };

/** The checks, worst first: each with why, and the concrete fix when there is one. */
export function ChecksList({ checks }: { checks: Check[] }): ReactNode {
  const sorted = [...checks].sort((a, b) => ORDER[a.status] - ORDER[b.status]);
  const passed = sorted.filter((c) => c.status === 'ok');
  return (
    <section className="card" data-testid="checks">
      <h2>Checks</h2>
      {sorted.length === 0 ? <p className="muted">The scan returned no checks.</p> : null}
      <CheckItems checks={sorted.filter((c) => c.status !== 'ok')} />
      {passed.length > 0 ? (
        // Problems first and in full; what passed is one click away, not in the way.
        <details className="passed" open={passed.length === sorted.length}>
          <summary>{passed.length === sorted.length ? `All ${passed.length} checks passed` : `Show the ${passed.length} checks that passed`}</summary>
          <CheckItems checks={passed} />
        </details>
      ) : null}
    </section>
  );
}

function CheckItems({ checks }: { checks: Check[] }): ReactNode {
  return (
    <ul className="plain-list">
      {checks.map((c) => (
        <li key={c.id} className="check" data-testid="check" data-check-id={c.id} data-status={c.status}>
          <span>
            <span className={BADGE[c.status].className}>{BADGE[c.status].text}</span>
          </span>
          <div className="check-body">
            <span className="check-title">{c.title}</span>
            <span className="muted">{c.detail}</span>
            {c.fix ? <FixText fix={c.fix} /> : null}
            {c.link ? (
              <a href={c.link} target="_blank" rel="noreferrer noopener">
                Learn more
              </a>
            ) : null}
          </div>
        </li>
      ))}
    </ul>
  );
}
