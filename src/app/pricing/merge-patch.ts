/**
 * JSON merge patch (RFC 7396 without deletion): objects merge key by key, anything else
 * (numbers, arrays, null) replaces. The result is validated by the caller as a whole.
 */
export function mergePatch(base: unknown, patch: unknown): unknown {
  if (!isPlainObject(patch) || !isPlainObject(base)) return patch;
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(patch)) out[k] = Object.hasOwn(base, k) ? mergePatch(base[k], v) : v;
  return out;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
