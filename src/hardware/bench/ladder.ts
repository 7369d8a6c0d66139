import type { Ladder, LadderRung, RungId } from '../../api/schemas/bench.js';

/** What one probe found. `skipped` is never a probe's answer: the ladder decides that. */
export interface RungOutcome {
  state: 'green' | 'red' | 'unknown';
  reason: string;
  fix: string | null;
  durationMs?: number;
}

/** The pre-flight proof, bottom to top: each rung only means something if the one below holds. */
export const RUNGS: ReadonlyArray<{ id: RungId; title: string }> = [
  { id: 'driver', title: 'Seen by the driver (nvidia-smi)' },
  { id: 'docker', title: 'Usable in a Docker container' },
  { id: 'kubernetes', title: 'Usable by a Kubernetes pod (k3s)' },
  { id: 'bid_engine', title: 'Offered by the bid engine' },
];

/**
 * Pure: outcomes in, ladder out. A rung above a red one is `skipped` (its probe is not run,
 * and any outcome given for it is ignored); a rung nobody checked is `unknown`.
 */
export function assembleLadder(outcomes: Partial<Record<RungId, RungOutcome>>, checkedAt: string): Ladder {
  let failed: string | null = null;
  const rungs: LadderRung[] = RUNGS.map(({ id, title }) => {
    if (failed !== null) {
      return { id, title, state: 'skipped', reason: `skipped: earlier rung failed (${failed})`, fix: null, durationMs: 0 };
    }
    const o = outcomes[id];
    if (!o) return { id, title, state: 'unknown', reason: 'not checked', fix: null, durationMs: 0 };
    if (o.state === 'red') failed = title;
    return { id, title, state: o.state, reason: o.reason, fix: o.fix, durationMs: o.durationMs ?? 0 };
  });
  return { checkedAt, rungs, stopsAt: rungs.find((r) => r.state !== 'green')?.id ?? null };
}

export type RungProbe = (signal: AbortSignal) => Promise<RungOutcome>;

/**
 * Runs the probes bottom-up and stops at the first red rung, so a machine without a driver
 * never tries to start GPU containers. A probe that throws is `unknown` with its message.
 */
export async function runLadder(
  probes: Record<RungId, RungProbe>,
  signal: AbortSignal,
  onRung?: (index: number, title: string) => void,
  now: () => Date = () => new Date(),
): Promise<Ladder> {
  const outcomes: Partial<Record<RungId, RungOutcome>> = {};
  for (const [i, { id, title }] of RUNGS.entries()) {
    if (signal.aborted) break;
    onRung?.(i, title);
    const t0 = performance.now();
    let o: RungOutcome;
    try {
      o = await probes[id](signal);
    } catch (err) {
      if (signal.aborted) break;
      o = { state: 'unknown', reason: err instanceof Error ? err.message : String(err), fix: null };
    }
    outcomes[id] = { ...o, durationMs: o.durationMs ?? performance.now() - t0 };
    if (o.state === 'red') break;
  }
  return assembleLadder(outcomes, now().toISOString());
}
