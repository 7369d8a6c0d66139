import type { ReactNode } from 'react';
import type { Ladder, RungState } from '../../../../src/api/schemas/bench.js';
import { FixText } from '../copy-code.js';

const BADGE: Record<RungState, { className: string; text: string }> = {
  green: { className: 'badge-ok', text: 'Green' },
  red: { className: 'badge-block', text: 'Red' },
  unknown: { className: 'badge-warn', text: 'Unknown' },
  skipped: { className: 'badge', text: 'Skipped' },
};

/** The pre-flight ladder, bottom rung first, each with its reason and (when red) the fix. */
export function LadderView({ ladder }: { ladder: Ladder }): ReactNode {
  const stop = ladder.rungs.find((r) => r.id === ladder.stopsAt);
  return (
    <div className="stack" data-testid="ladder" data-stops-at={ladder.stopsAt ?? 'none'}>
      <strong data-testid="ladder-summary">{stop ? `It stops at: ${stop.title}.` : 'Every rung is green: tenants can use this GPU.'}</strong>
      <ol className="plain-list">
        {ladder.rungs.map((r) => (
          <li key={r.id} className="check" data-testid="ladder-rung" data-rung={r.id} data-state={r.state}>
            <span>
              <span className={BADGE[r.state].className}>{BADGE[r.state].text}</span>
            </span>
            <div className="check-body">
              <span className="check-title">{r.title}</span>
              <span className="muted" data-testid="ladder-reason">
                {r.reason}
              </span>
              {r.fix && r.state !== 'green' ? <FixText fix={r.fix} /> : null}
            </div>
          </li>
        ))}
      </ol>
      <span className="muted small">Checked {new Date(ladder.checkedAt).toLocaleString()}</span>
    </div>
  );
}
