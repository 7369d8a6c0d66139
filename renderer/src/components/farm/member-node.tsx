import { useState, type ReactNode } from 'react';
import type { AvailabilitySetInput } from '../../../../src/api/methods/availability.js';
import { useClient } from '../../api/client-context.js';
import { toRigError, useCall } from '../../api/hooks.js';
import { navigate } from '../../routing.js';
import { ErrorView } from '../error-view.js';

/**
 * On a farm member: its own node as the controller made it of this machine's availability, and
 * the switch for it (the same as its tray). Offline goes through the Availability screen, which
 * first lists the leases the controller says would end.
 */
export function MemberNode(): ReactNode {
  const client = useClient();
  const avail = useCall('availability.get', {});
  const [error, setError] = useState<unknown>(null);
  const a = avail.data;
  const f = a?.farm;
  if (!a || !f) return null;
  const set = (input: AvailabilitySetInput) => {
    setError(null);
    client
      .call('availability.set', input)
      .then(() => avail.refresh())
      .catch((err: unknown) => setError(toRigError(err)));
  };
  const cordoned = f.intent === 'cordoned';
  return (
    <div className="stack small" data-testid="fleet-member-node">
      <div className="row">
        <span className="mono">{f.nodeName}</span>
        <span className={cordoned ? 'badge-warn' : 'badge-ok'} data-testid="member-node-intent">
          {a.mode === 'offline' ? 'offline (drained)' : cordoned ? 'paused (cordoned)' : 'takes new leases'}
        </span>
        {f.told ? null : <span className="badge-warn">{f.controller} not told yet{f.error ? ' (unreachable)' : ''}</span>}
        {f.told && !f.applied ? <span className="muted">recorded on {f.controller}; k3s not updated yet</span> : null}
      </div>
      {f.reason ? <span className="muted">Why: {f.reason}</span> : null}
      <div className="row">
        {a.mode === 'online' ? (
          <button type="button" className="button button-small" onClick={() => set({ mode: 'pause', reason: 'from the Fleet screen' })} data-testid="member-pause">
            Pause this machine
          </button>
        ) : (
          <button type="button" className="button button-small" onClick={() => set({ mode: 'online' })} data-testid="member-resume">
            Resume
          </button>
        )}
        {a.mode !== 'offline' ? (
          <button type="button" className="button button-small" onClick={() => navigate('/availability')} data-testid="member-offline">
            Go offline…
          </button>
        ) : null}
      </div>
      {error ? <ErrorView error={error} /> : null}
    </div>
  );
}
