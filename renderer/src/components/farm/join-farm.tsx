import { useEffect, useState, type ReactNode } from 'react';
import { FarmJoinResult } from '../../../../src/api/schemas/farm.js';
import type { TaskRef } from '../../../../src/api/schemas/task.js';
import { useClient } from '../../api/client-context.js';
import { toRigError, useTask } from '../../api/hooks.js';
import { ErrorView } from '../error-view.js';

/**
 * "Join a farm": this machine joins with a controller's code, step by step as a task. In the demo
 * it is the simulated second computer that joins, through the same join path.
 */
export function JoinFarm({ onJoined, demo = false }: { onJoined: () => void; demo?: boolean }): ReactNode {
  const client = useClient();
  const [code, setCode] = useState('');
  const [ref, setRef] = useState<TaskRef | null>(null);
  const [error, setError] = useState<unknown>(null);
  const { snapshot } = useTask(ref);
  const busy = ref !== null && (snapshot === null || snapshot.state === 'running');
  const parsed = snapshot?.state === 'succeeded' ? FarmJoinResult.safeParse(snapshot.result) : null;
  const result = parsed?.success ? parsed.data : null;
  const failed = snapshot?.state === 'failed' || snapshot?.state === 'cancelled' ? snapshot.error ?? null : null;
  useEffect(() => {
    if (snapshot?.state === 'succeeded') {
      setCode('');
      onJoined();
    }
  }, [snapshot?.state, onJoined]);
  const join = () => {
    setError(null);
    setRef(null);
    client
      .call('farm.joinStart', { code })
      .then(setRef)
      .catch((err: unknown) => setError(toRigError(err)));
  };
  return (
    <section className="card stack" data-testid="fleet-join">
      <h2>{demo ? 'Join as a second machine (simulated)' : 'Join a farm'}</h2>
      <p className="muted small">
        {demo
          ? 'Paste the code from "Add a machine": a simulated second computer joins with it, checked as a real one would be (the code, its expiry, and that this controller made it).'
          : "Paste the code from the controller's Fleet screen. This machine's readiness is checked first; it keeps no wallet of its own."}
      </p>
      <textarea className="input mono" rows={4} value={code} onChange={(e) => setCode(e.target.value)} aria-label="Join code" data-testid="fleet-join-code" autoComplete="off" spellCheck={false} />
      <div className="row">
        <button type="button" className="button button-primary" disabled={busy || code.trim() === ''} onClick={join} data-testid="fleet-join-button">
          {busy ? 'Joining…' : 'Join'}
        </button>
      </div>
      {busy && snapshot ? (
        <span className="small muted" data-testid="fleet-join-progress">
          Step {snapshot.step} of {snapshot.of}: {snapshot.message}
        </span>
      ) : null}
      {result ? (
        <span data-testid="fleet-join-result">
          Joined the farm of {result.controller} as {result.nodeName}, offering {result.gpus.map((g) => g.name).join(', ')}.
        </span>
      ) : null}
      {error ? <ErrorView error={error} /> : null}
      {failed ? <ErrorView error={failed} /> : null}
    </section>
  );
}
