import type { ReactNode } from 'react';
import type { StackStatus } from '../../../../src/api/schemas/stack.js';
import { formatSpan } from '../../../../src/api/format/age.js';

type State = StackStatus['components'][number]['state'];

const BADGE: Record<State, string> = {
  ready: 'badge-ok',
  running: 'badge-warn',
  pending: 'badge-warn',
  unknown: 'badge',
  stopped: 'badge',
  missing: 'badge',
  failed: 'badge-block',
};

/** "3 min", "2 h": how long a component has been in its state. */
const formatAge = (sec: number | null): string => (sec === null ? '–' : formatSpan(sec));

const th = { width: 'auto' } as const;

/** Each component (container, k3s, each chart) with state, age and why it is not ready. */
export function ComponentsTable({ status }: { status: StackStatus }): ReactNode {
  return (
    <section className="card" data-testid="stack-components">
      <div className="card-header">
        <h2>Components</h2>
        {!status.upToDate && status.overall !== 'not_installed' ? (
          <span className="badge-warn" data-testid="not-up-to-date">
            Settings or versions changed: Start providing or Upgrade applies them
          </span>
        ) : null}
      </div>
      <table className="table">
        <thead>
          <tr>
            <th style={th}>Component</th>
            <th style={th}>State</th>
            <th style={th}>Age</th>
            <th style={th}>Details</th>
          </tr>
        </thead>
        <tbody>
          {status.components.map((c) => (
            <tr key={c.name} data-testid="stack-component" data-component={c.name} data-state={c.state}>
              <td className="mono">{c.name}</td>
              <td>
                <span className={BADGE[c.state]}>{c.state}</span>
              </td>
              <td data-testid="component-age">{formatAge(c.ageSec)}</td>
              <td>
                {c.whyNotReady ? <div data-testid="why-not-ready">{c.whyNotReady}</div> : null}
                <div className="muted small">{c.detail}</div>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
