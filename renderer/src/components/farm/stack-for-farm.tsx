import type { ReactNode } from 'react';
import type { FarmToken } from '../../../../src/api/schemas/farm.js';
import { useTask } from '../../api/hooks.js';
import { ErrorView } from '../error-view.js';

/**
 * Under a join code: whether the provider stack accepts machines yet. A stack set up before this
 * machine was a controller is re-created (a task, its steps shown here) when no lease runs; with
 * leases running the user sees which restart and decides.
 */
export function StackForFarm({ stack, onRecreate, busy }: { stack: NonNullable<FarmToken['stack']>; onRecreate: () => void; busy: boolean }): ReactNode {
  const { snapshot, error } = useTask(stack.task);
  if (stack.action === 'ready') return null;
  if (stack.action === 'recreating') {
    const done = snapshot?.state === 'succeeded';
    const failed = snapshot && (snapshot.state === 'failed' || snapshot.state === 'cancelled');
    return (
      <div className="stack small" data-testid="fleet-stack-recreate">
        <span>{stack.message}</span>
        {snapshot && !done && !failed ? (
          <span className="muted" data-testid="fleet-stack-progress">
            Step {snapshot.step} of {snapshot.of}: {snapshot.message}
          </span>
        ) : null}
        {done ? <span className="badge-ok">The provider stack accepts machines now.</span> : null}
        {failed && snapshot.error ? <ErrorView error={snapshot.error} /> : null}
        {error ? <ErrorView error={error} /> : null}
      </div>
    );
  }
  return (
    <div className="stack small" data-testid="fleet-stack-confirm">
      <span>{stack.message}</span>
      {stack.leases.length ? (
        <ul className="mono">
          {stack.leases.map((l) => (
            <li key={l}>{l}</li>
          ))}
        </ul>
      ) : null}
      {stack.action === 'needs-confirmation' ? (
        <div className="row">
          <button type="button" className="button button-small" disabled={busy} onClick={onRecreate} data-testid="fleet-stack-recreate-button">
            Re-create it now{stack.leases.length ? ` (${stack.leases.length} lease${stack.leases.length === 1 ? '' : 's'} restart)` : ''}
          </button>
        </div>
      ) : null}
    </div>
  );
}
