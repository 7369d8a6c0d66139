/**
 * nvidia-smi writes numbers with units ("24576 MiB", "35.06 W", "0 %", "32 C") and says
 * "N/A", "[N/A]", "[Not Supported]", "Requested functionality has been deprecated" or nothing
 * when it cannot tell. Everything here turns that into a number or `null`, never a guess.
 */
const NUMBER_WITH_UNIT = /^\s*(-?\d+(?:\.\d+)?)\s*(?:[A-Za-z%]+(?:\/s)?)?\s*$/;

export function numberOrNull(raw: unknown): number | null {
  if (typeof raw === 'number') return Number.isFinite(raw) ? raw : null;
  if (typeof raw !== 'string') return null;
  const m = NUMBER_WITH_UNIT.exec(raw);
  if (!m?.[1]) return null;
  const n = Number(m[1]);
  return Number.isFinite(n) ? n : null;
}

const UNKNOWN = new Set(['', 'n/a', '[n/a]', 'not supported', '[not supported]', 'unknown', 'unknown error', 'none']);

/** A text field, or null when nvidia-smi says it does not know. */
export function textOrNull(raw: unknown): string | null {
  if (typeof raw === 'number') return String(raw);
  if (typeof raw !== 'string') return null;
  const t = raw.trim();
  if (UNKNOWN.has(t.toLowerCase())) return null;
  if (t.toLowerCase().startsWith('requested functionality has been deprecated')) return null;
  return t;
}

/** A child element as a record; empty elements (`<processes/>`) and text nodes become `{}`. */
export function rec(raw: unknown): Record<string, unknown> {
  return typeof raw === 'object' && raw !== null && !Array.isArray(raw) ? (raw as Record<string, unknown>) : {};
}

export function list(raw: unknown): unknown[] {
  if (Array.isArray(raw)) return raw;
  return raw === undefined || raw === null || raw === '' ? [] : [raw];
}
