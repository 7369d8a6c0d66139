import { useSyncExternalStore } from 'react';
import type { RigStatus } from '../../../src/api/schemas/dashboard.js';

export type StatusLevel = RigStatus['level'];

/**
 * The rig's one state as the agent derived it (rig.status, or the dashboard's own answer, which
 * is the same derivation). Screens never write their own line here: a screen that just learned
 * something (a new scan, a wallet created) asks for a fresh derivation instead, so the top bar,
 * the Dashboard card and the tray cannot disagree.
 */
let latest: { status: RigStatus; at: number } | null = null;
let refreshes = 0;
const listeners = new Set<() => void>();
const notify = (): void => {
  for (const l of [...listeners]) l();
};

/** An agent answer arrived (rig.status or dashboard.summary): the top bar shows it. */
export function publishRigStatus(status: RigStatus): void {
  latest = { status, at: Date.now() };
  notify();
}

/** Something changed on this screen: the top bar asks the agent again. */
export function requestStatusRefresh(): void {
  refreshes += 1;
  notify();
}

/** For screens not yet moved over: their words are ignored, the agent is asked again. */
export function postStatus(_source: string, _level: StatusLevel, _text: string): void {
  requestStatusRefresh();
}

const subscribe = (l: () => void): (() => void) => {
  listeners.add(l);
  return () => listeners.delete(l);
};

export function useRigStatus(): RigStatus | null {
  return useSyncExternalStore(subscribe, () => latest?.status ?? null);
}

/** Grows by one at each refresh request; the status line re-asks when it changes. */
export function useRefreshRequests(): number {
  return useSyncExternalStore(subscribe, () => refreshes);
}
