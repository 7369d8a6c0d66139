import { useSyncExternalStore } from 'react';

export type StatusLevel = 'ok' | 'warn' | 'block' | 'info';

export interface StatusEntry {
  /** Who posted it (`readiness`, `dashboard`…); a newer post from the same source replaces it. */
  source: string;
  level: StatusLevel;
  /** Plain words, with the reason when something is wrong: "Blocked: Docker is not running". */
  text: string;
  at: number;
}

/**
 * What the status line at the top says. Screens post their one-line summary here; the line
 * shows the most severe. A module-level store because the status outlives the screen that
 * posted it (leave Readiness and the verdict stays in view).
 */
const entries = new Map<string, StatusEntry>();
const listeners = new Set<() => void>();
let snapshot: StatusEntry[] = [];

export function postStatus(source: string, level: StatusLevel, text: string): void {
  entries.set(source, { source, level, text, at: Date.now() });
  snapshot = [...entries.values()];
  for (const l of [...listeners]) l();
}

const RANK: Record<StatusLevel, number> = { block: 3, warn: 2, ok: 1, info: 0 };

/** The entry the status line should show: the most severe, newest first among equals. */
export function topStatus(list: StatusEntry[]): StatusEntry | null {
  return [...list].sort((a, b) => RANK[b.level] - RANK[a.level] || b.at - a.at)[0] ?? null;
}

export function useStatusEntries(): StatusEntry[] {
  return useSyncExternalStore(
    (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    () => snapshot,
  );
}
