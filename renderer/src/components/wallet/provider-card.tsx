import { useState, type ReactNode } from 'react';
import type { Out } from '../../../../src/api/contract.js';
import type { TaskRef } from '../../../../src/api/schemas/task.js';
import { useClient } from '../../api/client-context.js';
import { toRigError, useCall, useTask } from '../../api/hooks.js';
import { ErrorView } from '../error-view.js';
import { KeyValues } from '../readiness/key-values.js';
import { formatAkt } from './akt.js';

type Plan = NonNullable<Out<'provider.register'>['plan']>;
interface Outcome {
  alreadyDone: boolean;
  receipt: { hash: string; height: number; feeUakt: string; explorerUrl: string | null } | null;
}

/**
 * The provider record on chain: what is there now, then a review of exactly what would be
 * signed (messages with type URLs, attributes from the hardware scan, simulated fee), then the
 * signing task and its transaction hash with an explorer link.
 */
export function ProviderCard(): ReactNode {
  const client = useClient();
  const shown = useCall('provider.show', {});
  const [plan, setPlan] = useState<Plan | null>(null);
  const [task, setTask] = useState<TaskRef | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const { snapshot } = useTask(task);
  const outcome = snapshot?.state === 'succeeded' ? (snapshot.result as Outcome) : null;

  const review = (): void => {
    setBusy(true);
    setError(null);
    setTask(null);
    client
      .call('provider.register', { dryRun: true })
      .then((r) => setPlan(r.plan))
      .catch((e: unknown) => setError(toRigError(e)))
      .finally(() => setBusy(false));
  };
  const sign = (): void => {
    setBusy(true);
    setError(null);
    client
      .call('provider.register', {})
      .then((r) => setTask(r.task))
      .catch((e: unknown) => setError(toRigError(e)))
      .finally(() => setBusy(false));
  };

  const p = shown.data;
  return (
    <section className="card stack" data-testid="provider-card">
      <div className="card-header">
        <h3>Provider on chain</h3>
        {p ? <span className={`badge ${p.registered ? 'badge-ok' : 'badge-warn'}`} data-testid="provider-registered">{p.registered ? 'registered' : 'not registered'}</span> : null}
      </div>
      {shown.error ? <ErrorView error={shown.error} onRetry={shown.refresh} /> : null}
      {p?.registered ? (
        <span className="small muted">
          {p.hostUri} · {p.attributes.length} attributes · certificates: {p.certificates.map((c) => `${c.serial} (${c.state})`).join(', ') || 'none'}
        </span>
      ) : null}
      {p?.certificate ? (
        <span className={`small ${p.certificate.renewDue ? 'warn-text' : 'muted'}`} data-testid="provider-certificate" data-renew-due={p.certificate.renewDue}>
          {p.certificate.note}
        </span>
      ) : null}
      {!plan ? (
        <div>
          <button type="button" className="button" onClick={review} disabled={busy} data-testid="provider-review">
            {busy ? 'Simulating…' : p?.registered ? 'Review an update' : 'Review the registration'}
          </button>
        </div>
      ) : (
        <div className="stack" data-testid="provider-plan" data-action={plan.action}>
          <strong>{plan.action === 'none' ? 'The chain already matches: nothing to sign.' : `${plan.action === 'create' ? 'Register' : 'Update'} ${plan.owner}`}</strong>
          <KeyValues
            rows={[
              ['Host URI', plan.hostUri || '(not set)'],
              ['Messages', <ul className="plain-list mono small" data-testid="provider-messages">{plan.messages.map((m, i) => <li key={i}>{m.typeUrl}</li>)}</ul>],
              ['Certificate', `${plan.certificate.needed ? 'a new one is created and published' : `in use: ${plan.certificate.serial ?? '—'}`}${plan.certificate.expiresAt ? `, valid until ${plan.certificate.expiresAt.slice(0, 10)}` : ''}`],
              ...(plan.certificate.revoke.length > 0 ? [['Revoked (replaced)', plan.certificate.revoke.join(', ')] as [string, ReactNode]] : []),
              ['Fee (simulated)', plan.fee ? `${formatAkt(plan.fee.feeUakt)} (gas ${plan.fee.gasLimit})` : '—'],
              ...(plan.changes.length > 0 ? [['Changes', plan.changes.join('; ')] as [string, ReactNode]] : []),
            ]}
          />
          <details>
            <summary>{plan.attributes.length} attributes</summary>
            <ul className="plain-list mono small" data-testid="provider-attributes">
              {plan.attributes.map((a) => (
                <li key={a.key}>
                  {a.key} = {a.value}
                </li>
              ))}
            </ul>
          </details>
          {plan.warnings.map((w) => (
            <span key={w} className="small warn-text">
              {w}
            </span>
          ))}
          {!task ? (
            <div className="row">
              <button type="button" className="button button-primary" onClick={sign} disabled={busy || !plan.fee || (plan.action === 'none' && !plan.certificate.needed && plan.certificate.revoke.length === 0)} data-testid="provider-sign">
                Sign and send
              </button>
              <button type="button" className="button" onClick={() => setPlan(null)}>
                Back
              </button>
            </div>
          ) : null}
        </div>
      )}
      {task ? (
        <div className="stack" data-testid="provider-result" data-state={snapshot?.state ?? 'running'}>
          {!snapshot || snapshot.state === 'running' ? <span className="muted">{snapshot?.message ?? 'Starting…'}</span> : null}
          {snapshot?.state === 'failed' ? <ErrorView error={snapshot.error} /> : null}
          {outcome?.receipt ? (
            <KeyValues
              rows={[
                ['Transaction', <span className="mono" data-testid="provider-hash">{outcome.receipt.hash}</span>],
                ['Block', String(outcome.receipt.height)],
                ['Explorer', outcome.receipt.explorerUrl ? <a href={outcome.receipt.explorerUrl} target="_blank" rel="noreferrer">{outcome.receipt.explorerUrl}</a> : 'no public explorer for this network'],
              ]}
            />
          ) : outcome?.alreadyDone ? (
            <span>Already registered exactly like this; nothing was sent.</span>
          ) : null}
          {snapshot && snapshot.state !== 'running' ? (
            <div>
              <button
                type="button"
                className="button"
                onClick={() => {
                  setTask(null);
                  setPlan(null);
                  shown.refresh();
                }}
              >
                Done
              </button>
            </div>
          ) : null}
        </div>
      ) : null}
      {error ? <ErrorView error={error} /> : null}
    </section>
  );
}
