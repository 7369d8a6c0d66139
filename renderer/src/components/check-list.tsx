import type { ReactNode } from 'react';
import { FixText } from './copy-code.js';

/** One check as the list shows it; each screen maps its own check type onto this (Readiness, Diagnostics). */
export interface CheckRow {
  id: string;
  /** Its status word, for `data-status`. */
  status: string;
  /** False for a check that passed: it goes under "Show the N checks that passed". */
  problem: boolean;
  /** Lower sorts first (worst first). */
  rank: number;
  badge: { className: string; text: string };
  title: ReactNode;
  detail: ReactNode;
  fix: string | null;
  link: string | null;
}

export interface CheckListProps {
  rows: CheckRow[];
  /** `data-testid` of each row (the e2e page objects find rows by it). */
  rowTestId: string;
  /** When set, the fix is wrapped in an element with this `data-testid`. */
  fixTestId?: string;
}

/**
 * Checks, worst first and in full; what passed is one click away, not in the way (open when
 * everything passed). Shared by the Readiness and Diagnostics screens, which show different fields.
 */
export function CheckList({ rows, rowTestId, fixTestId }: CheckListProps): ReactNode {
  const problems = rows.filter((r) => r.problem).sort((a, b) => a.rank - b.rank);
  const passed = rows.filter((r) => !r.problem);
  const items = (list: CheckRow[]) => <CheckItems rows={list} rowTestId={rowTestId} {...(fixTestId ? { fixTestId } : {})} />;
  return (
    <>
      {items(problems)}
      {passed.length > 0 ? (
        <details className="passed" open={passed.length === rows.length}>
          <summary>{passed.length === rows.length ? `All ${passed.length} checks passed` : `Show the ${passed.length} checks that passed`}</summary>
          {items(passed)}
        </details>
      ) : null}
    </>
  );
}

function CheckItems({ rows, rowTestId, fixTestId }: CheckListProps): ReactNode {
  return (
    <ul className="plain-list">
      {rows.map((c) => (
        <li key={c.id} className="check" data-testid={rowTestId} data-check-id={c.id} data-status={c.status}>
          <span>
            <span className={c.badge.className}>{c.badge.text}</span>
          </span>
          <div className="check-body">
            <span className="check-title">{c.title}</span>
            <span className="muted">{c.detail}</span>
            {c.fix && fixTestId ? (
              <div data-testid={fixTestId}>
                <FixText fix={c.fix} />
              </div>
            ) : c.fix ? (
              <FixText fix={c.fix} />
            ) : null}
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
