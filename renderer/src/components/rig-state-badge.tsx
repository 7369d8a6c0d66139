import type { ReactNode } from 'react';
import type { RigStatus } from '../../../src/api/schemas/dashboard.js';

const BADGE: Record<RigStatus['level'], string> = { ok: 'badge-ok', warn: 'badge-warn', block: 'badge-block', info: 'badge' };
/** One word per state, the same in the top bar and on the Dashboard. */
const WORD: Record<RigStatus['state'], string> = {
  earning: 'Earning',
  bidding: 'Online',
  not_bidding: 'Not earning',
  paused: 'Paused',
  gaming: 'Gaming',
  offline: 'Offline',
  setup: 'Not set up',
  not_ready: 'Not ready',
  unknown: 'Checking',
};

export function rigStateWord(state: RigStatus['state']): string {
  return WORD[state];
}

export function RigStateBadge({ status, testId }: { status: RigStatus; testId?: string }): ReactNode {
  return (
    <span className={BADGE[status.level]} data-testid={testId}>
      {WORD[status.state]}
    </span>
  );
}
