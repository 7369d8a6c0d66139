import type { ReactNode } from 'react';
import type { StackStatus } from '../../../../src/api/schemas/stack.js';

const BADGE = { labelled: 'badge-ok', missing: 'badge-warn', unknown: 'badge' } as const;
const WORD = { labelled: 'listed', missing: 'not listed', unknown: 'unknown' } as const;

/**
 * Each GPU the scan sees, as the cluster's inventory sees it. RigLease cannot label a GPU in
 * (Akash's inventory operator replaces such labels); each row says what the user can check.
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
          : {missing.map((g) => g.name).join(', ')}. Until Akash's inventory recognises {missing.length === 1 ? 'it' : 'them'}, the provider does not bid with
          {missing.length === 1 ? ' it' : ' them'}; what to check is under each GPU below.
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
