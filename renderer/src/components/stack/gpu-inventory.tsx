import type { ReactNode } from 'react';
import type { StackStatus } from '../../../../src/api/schemas/stack.js';

const BADGE = { labelled: 'badge-ok', missing: 'badge-warn', unknown: 'badge' } as const;
const WORD = { labelled: 'listed', missing: 'not listed', unknown: 'unknown' } as const;

/**
 * Each GPU the scan sees, as the cluster's inventory sees it. Board-partner cards are the ones
 * Akash's inventory operator misses; RigLease labels the node from its own scan and says so.
 */
export function GpuInventory({ status }: { status: StackStatus }): ReactNode {
  if (status.gpus.length === 0) return null;
  const missing = status.gpus.filter((g) => g.state === 'missing');
  return (
    <section className="card stack" data-testid="stack-gpus">
      <h2>GPUs in the cluster inventory</h2>
      {missing.length ? (
        <div className="card" role="status" data-testid="gpu-mismatch" style={{ background: 'var(--warn-bg)', borderColor: 'var(--warn)' }}>
          <strong>
            The cluster does not list {missing.length === 1 ? 'a GPU' : `${missing.length} GPUs`} that this computer's scan sees
          </strong>
          : {missing.map((g) => g.name).join(', ')}. Start providing applies the node labels Akash expects from RigLease's own scan, so tenants can still lease
          {missing.length === 1 ? ' it' : ' them'}.
        </div>
      ) : null}
      <ul className="plain-list stack">
        {status.gpus.map((g) => (
          <li key={g.uuid ?? g.name} data-testid="stack-gpu" data-state={g.state}>
            <span className={BADGE[g.state]}>{WORD[g.state]}</span> <strong>{g.name}</strong> <span className="muted small mono">{g.uuid ?? ''}</span>
            <div className="muted small">{g.detail}</div>
          </li>
        ))}
      </ul>
    </section>
  );
}
