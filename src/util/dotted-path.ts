import { RigError } from '../api/errors.js';

/**
 * Keys that reach an object's prototype machinery instead of a field: a setter that walks
 * `__proto__.x` writes onto Object.prototype and changes every object in the process.
 */
export const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(['__proto__', 'prototype', 'constructor']);

export function isForbiddenKey(key: string): boolean {
  return FORBIDDEN_KEYS.has(key);
}

/** The parts of `a.b.c`; refuses empty parts and prototype keys with a message naming the path. */
export function splitDottedPath(key: string): string[] {
  const parts = key.split('.');
  if (key.length > 200 || parts.some((p) => p === '')) {
    throw new RigError('invalid_input', `"${key.slice(0, 200)}" is not a setting path (names joined by dots, like hardware.telemetryIntervalMs).`, 'Run `riglease settings get` to list them.');
  }
  const bad = parts.find(isForbiddenKey);
  if (bad !== undefined) throw new RigError('invalid_input', `"${key}" is not a setting path: "${bad}" is never a setting name.`, 'Run `riglease settings get` to list them.');
  return parts;
}
