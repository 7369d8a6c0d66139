import { useCallback, useEffect, useState, type ReactNode } from 'react';
import type { OnboardingState, OnboardingStepView } from '../../../src/api/schemas/onboarding.js';
import type { TaskRef } from '../../../src/api/schemas/task.js';
import { useClient } from '../api/client-context.js';
import { toRigError, useCall, useEvent, useTask } from '../api/hooks.js';
import { ErrorView } from '../components/error-view.js';
import { FixesBody, NetworkBody, PricingBody, ReviewBody, StepTrouble, WalletBody, type WizardActions } from '../components/onboarding/step-bodies.js';
import { StepList } from '../components/onboarding/step-list.js';
import { ReachabilityCard } from '../components/network/reachability-card.js';
import type { Reachability } from '../../../src/api/schemas/network.js';
import { UpProgress } from '../components/stack/up-progress.js';
import { postStatus } from '../components/status-store.js';
import { hrefFor } from '../routing.js';

/** Step list beside the current step; fits 1024×640 (nav + 220 px list + the step). */
const LAYOUT = { display: 'grid', gridTemplateColumns: 'minmax(180px, 240px) minmax(0, 1fr)', gap: 16, alignItems: 'start' } as const;
const REASON = { margin: 0, padding: '8px 12px', borderLeft: '4px solid var(--warn)', background: 'var(--warn-bg)', borderRadius: 6 } as const;

const LINK = { textDecoration: 'none' } as const;

/** The agent's task for "Start providing" (src/app/onboarding/start-providing.ts). */
const START_TASK = 'onboarding.start-providing';

/**
 * The onboarding wizard: the agent's step engine drives it (`onboarding.*`), this screen shows
 * each step with what it needs, its progress and live log, failures with a retry. Opening it
 * calls `onboarding.next`, which is what resumes a step an app restart or a crash interrupted.
 */
export function OnboardingPage(): ReactNode {
  const client = useClient();
  const [state, setState] = useState<OnboardingState | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [task, setTask] = useState<TaskRef | null>(null);
  const demo = useCall('app.info', {}).data?.demo === true;

  useEvent('onboarding.changed', setState);
  useEvent('task.progress', (t) => {
    if (t.kind === START_TASK && t.state === 'running' && t.task !== task?.id) setTask({ id: t.task, kind: t.kind });
  });

  // Long actions (Start providing) can outlast a call's timeout: the events carry the truth.
  const run = useCallback(
    (work: Promise<OnboardingState>) => {
      setBusy(true);
      setError(null);
      work
        .then(setState)
        .catch((err: unknown) => {
          const e = toRigError(err);
          if (e.code !== 'timeout') setError(e);
        })
        .finally(() => setBusy(false));
    },
    [],
  );
  const act: WizardActions = {
    next: (confirm) => run(client.call('onboarding.next', confirm ? { confirm } : {})),
    retry: (step) => run(client.call('onboarding.retry', { step })),
    busy,
  };

  useEffect(() => {
    let current = true;
    client
      .call('onboarding.state', {})
      .then((s) => current && setState((prev) => prev ?? s))
      .catch(() => undefined);
    client
      .call('task.list', {})
      .then((list) => {
        const last = list.find((t) => t.kind === START_TASK);
        if (current && last) setTask((prev) => prev ?? { id: last.task, kind: last.kind });
      })
      .catch(() => undefined);
    run(client.call('onboarding.next', {}));
    return () => {
      current = false;
    };
  }, [client, run]);

  useEffect(() => {
    if (!state) return;
    const step = state.steps.find((s) => s.id === state.current);
    // Finished is said by the Finished panel, once the outside check has passed (it posts the status).
    if (state.finished) return;
    if (step) postStatus('onboarding', step.status === 'failed' ? 'block' : 'warn', `Onboarding: ${step.title} — ${step.status === 'failed' ? 'failed' : step.status === 'running' ? 'working' : 'needs you'}`);
  }, [state]);

  const step = state?.steps.find((s) => s.id === state.current) ?? null;
  return (
    <div className="page" data-testid="onboarding-page">
      <div className="page-header">
        <div className="stack">
          <h1>Set up this rig</h1>
          <span className="muted">From a gaming PC to an Akash GPU provider. Every step is saved: close the app at any point and it carries on from here.</span>
        </div>
      </div>
      {demo ? (
        // The demo's rig earns from the start: its steps are a walk-through, not what it still lacks.
        <p className="small" data-testid="demo-setup-note">
          Demo: the simulated rig is already set up and earning. These steps show how a new rig gets there; nothing you confirm here changes what it earns.
        </p>
      ) : null}
      {error ? <ErrorView error={error} /> : null}
      {!state ? (
        <div className="card skeleton skeleton-block" />
      ) : (
        <div className="onboarding-layout" style={LAYOUT}>
          <section className="card">
            <StepList state={state} />
          </section>
          {state.finished ? <Finished task={task} /> : step ? <CurrentStep step={step} act={act} task={task} /> : null}
        </div>
      )}
    </div>
  );
}

function CurrentStep({ step, act, task }: { step: OnboardingStepView; act: WizardActions; task: TaskRef | null }): ReactNode {
  return (
    <section className="card stack" data-testid="current-step" data-step={step.id} data-status={step.status}>
      <div className="card-header">
        <h2>{step.title}</h2>
        <span className="muted small">{step.action.label}</span>
      </div>
      {step.reason && step.status !== 'failed' && step.status !== 'running' ? (
        <p className="onboarding-reason" style={REASON} data-testid="step-reason">
          {step.reason}
        </p>
      ) : null}
      {step.status === 'failed' ? <StepTrouble step={step} act={act} /> : null}
      <StepBody step={step} act={act} task={task} />
    </section>
  );
}

function StepBody({ step, act, task }: { step: OnboardingStepView; act: WizardActions; task: TaskRef | null }): ReactNode {
  if (step.id === 'start-providing') return <StartProviding step={step} act={act} task={task} />;
  if (step.status === 'running' || step.status === 'pending') {
    return (
      <div className="stack" data-testid="step-working">
        <div className="progress progress-indeterminate" role="progressbar" aria-label={`${step.title}: working`}>
          <span />
        </div>
        <span className="muted small">{step.action.label}…</span>
      </div>
    );
  }
  if (step.status === 'failed') return null;
  switch (step.id) {
    case 'fixes':
      return <FixesBody step={step} act={act} />;
    case 'wallet':
      return <WalletBody step={step} act={act} />;
    case 'pricing':
      return <PricingBody step={step} act={act} />;
    case 'network':
      return <NetworkBody step={step} act={act} />;
    case 'review':
      return <ReviewBody step={step} act={act} />;
    default:
      return (
        <button type="button" className="button" disabled={act.busy} onClick={() => act.retry(step.id)} data-testid="check-again">
          {step.checkAgainLabel}
        </button>
      );
  }
}

function StartProviding({ step, act, task }: { step: OnboardingStepView; act: WizardActions; task: TaskRef | null }): ReactNode {
  const client = useClient();
  const { snapshot } = useTask(task);
  return (
    <div className="stack">
      {snapshot ? <UpProgress task={snapshot} onCancel={() => void client.call('task.cancel', { id: snapshot.task }).catch(() => undefined)} /> : null}
      {step.status === 'todo' ? (
        <div className="row">
          <button type="button" className="button button-primary" disabled={act.busy} onClick={() => act.retry(step.id)} data-testid="check-again">
            {step.checkAgainLabel}
          </button>
        </div>
      ) : null}
    </div>
  );
}

/**
 * The last panel. "Providing" is said only once the outside check passed (every provider port
 * answers at the outside probe and the DNS names resolve to the public address); until then the
 * set-up is done but tenants cannot be proven to reach the rig, and the panel says what is missing.
 */
function Finished({ task }: { task: TaskRef | null }): ReactNode {
  const { snapshot } = useTask(task);
  const [reach, setReach] = useState<Reachability | null>(null);
  const onResult = useCallback((r: Reachability) => setReach(r), []);
  const verified = reach?.verified === true;
  useEffect(() => {
    if (!reach) return;
    if (verified) postStatus('onboarding', 'ok', 'Onboarding finished: this rig is providing.');
    else postStatus('onboarding', 'warn', 'Set up, but not yet reachable from the internet: tenants cannot rent it until the outside check passes.');
  }, [reach, verified]);
  return (
    <section className="card stack" data-testid="onboarding-finished" data-verified={verified ? 'true' : 'false'}>
      <h2>{verified ? 'This rig is providing' : reach ? 'Set up — not yet reachable from the internet' : 'Set up — checking from outside…'}</h2>
      <p>The provider stack runs in Docker and the provider is registered on Akash with its certificate. The cluster may need a few more minutes to finish starting; the Provider stack screen follows it.</p>
      <ReachabilityCard onResult={onResult} />
      <div className="row">
        <a className="button button-primary" style={LINK} href={hrefFor('/stack')}>
          Provider stack
        </a>
        <a className="button" style={LINK} href={hrefFor('/leases')}>
          Leases &amp; earnings
        </a>
      </div>
      {snapshot ? <UpProgress task={snapshot} onCancel={() => undefined} /> : null}
    </section>
  );
}
