import { RigError } from '../../api/errors.js';
import { isForbiddenKey } from '../../util/dotted-path.js';

/**
 * JSON merge patch (RFC 7396 without deletion): objects merge key by key, anything else
 * (numbers, arrays, null) replaces. The result is validated by the caller as a whole.
 */
export function mergePatch(base: unknown, patch: unknown): unknown {
  if (!isPlainObject(patch) || !isPlainObject(base)) return patch;
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(patch)) {
    // JSON.parse makes "__proto__" an own key; assigning it would swap the prototype of `out`.
    if (isForbiddenKey(k)) throw new RigError('invalid_input', `"${k}" is not a pricing setting.`, 'Run `riglease pricing show --json` to see the pricing settings.');
    out[k] = Object.hasOwn(base, k) ? mergePatch(base[k], v) : v;
  }
  return out;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
