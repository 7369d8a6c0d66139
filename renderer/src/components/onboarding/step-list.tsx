import type { ReactNode } from 'react';
import type { OnboardingState, OnboardingStepStatus } from '../../../../src/api/schemas/onboarding.js';

const LABEL: Record<OnboardingStepStatus, string> = {
  pending: 'to do',
  skipped: 'not needed',
  running: 'working…',
  todo: 'needs you',
  done: 'done',
  failed: 'failed',
};

const BADGE: Record<OnboardingStepStatus, string> = {
  pending: 'badge',
  skipped: 'badge',
  running: 'badge-warn',
  todo: 'badge-warn',
  done: 'badge-ok',
  failed: 'badge-block',
};

const ITEM = { flexWrap: 'nowrap' } as const;
const BADGE_STYLE = { marginLeft: 'auto', whiteSpace: 'nowrap' } as const;

/** The wizard's steps in order, each with its state; the current one is marked. */
export function StepList({ state }: { state: OnboardingState }): ReactNode {
  return (
    <ol className="plain-list stack onboarding-steps" data-testid="onboarding-steps">
      {state.steps.map((s, i) => (
        <li key={s.id} className="row" style={ITEM} data-testid={`step-${s.id}`} data-status={s.status} aria-current={s.id === state.current ? 'step' : undefined}>
          <span className="muted small">{i + 1}.</span>
          <span className={s.id === state.current ? 'check-title' : undefined}>{s.title}</span>
          <span className={BADGE[s.status]} style={BADGE_STYLE}>
            {LABEL[s.status]}
          </span>
        </li>
      ))}
    </ol>
  );
}
