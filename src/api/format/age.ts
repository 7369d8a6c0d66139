/**
 * The one age formatter: how long ago something happened, or how long it has lasted, in the
 * words every screen and the CLI use. Pure and import-free, so the renderer compiles it too
 * (renderer/tsconfig.json takes src/api) and both sides say "3 min" for the same 180 s.
 */

/** Below this many seconds a past moment reads "just now": a few seconds are noise to a person. */
const JUST_NOW_S = 10;

/**
 * A span in its largest sensible unit, rounded: "45 s", "3 min", "2 h", "3 days". Seconds up
 * to 90 s, minutes up to 90 min, hours up to 48 h, then days; negative spans (clock skew) read 0 s.
 */
export function formatSpan(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 90) return `${s} s`;
  if (s < 5_400) return `${Math.round(s / 60)} min`;
  if (s < 172_800) return `${Math.round(s / 3_600)} h`;
  return `${Math.round(s / 86_400)} days`;
}

/** "just now", "3 min ago", "2 h ago"; `null` (it never happened) reads `never`. */
export function formatAgo(seconds: number | null, never = 'never'): string {
  if (seconds === null) return never;
  return seconds < JUST_NOW_S ? 'just now' : `${formatSpan(seconds)} ago`;
}

/** "3 min old" for data fetched earlier (a market snapshot); `null` reads `never`. */
export function formatOld(seconds: number | null, never = 'never fetched'): string {
  return seconds === null ? never : `${formatSpan(seconds)} old`;
}

/** Seconds from an ISO time until `now` (ms): the input of the formatters above for a timestamp. */
export function secondsSince(iso: string, now: number = Date.now()): number {
  return Math.max(0, (now - new Date(iso).getTime()) / 1_000);
}
