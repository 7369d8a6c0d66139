import type { z } from 'zod';
import { Settings } from '../api/schemas/settings.js';

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Removes one field (an own key) so the schema's default takes its place; an array element takes its whole list with it. */
function removeAt(root: Record<string, unknown>, path: readonly PropertyKey[]): string | null {
  const firstIndex = path.findIndex((p) => typeof p !== 'string');
  const keys = (firstIndex < 0 ? path : path.slice(0, firstIndex)) as string[];
  if (keys.length === 0) return null;
  let node: unknown = root;
  for (const k of keys.slice(0, -1)) {
    if (!isRecord(node) || !Object.hasOwn(node, k)) return null;
    node = node[k];
  }
  const last = keys[keys.length - 1]!;
  if (!isRecord(node) || !Object.hasOwn(node, last)) return null;
  delete node[last];
  return keys.join('.');
}

/**
 * A settings file whose JSON is fine but some fields are not: only those fields go back to
 * their defaults, each named with what was wrong. Null when the damage is not in named fields
 * (then the whole file is set aside as before).
 */
export function repairSettings(data: unknown, error: z.ZodError): { data: unknown; problems: string[] } | null {
  if (!isRecord(data)) return null;
  const draft = structuredClone(data);
  const problems: string[] = [];
  let issues = error.issues;
  // Removing a field can reveal another problem beneath it; a few rounds settle any real file.
  for (let round = 0; round < 8; round++) {
    for (const issue of issues) {
      if (issue.code === 'unrecognized_keys') {
        for (const key of issue.keys) {
          const name = removeAt(draft, [...issue.path, key]);
          if (name === null) return null;
          problems.push(`${name}: not a setting this RigLease knows; removed`);
        }
        continue;
      }
      const name = removeAt(draft, issue.path);
      if (name === null) return null;
      problems.push(`${name}: ${issue.message}; reset to its default`);
    }
    const again = Settings.safeParse(draft);
    if (again.success) return { data: draft, problems };
    issues = again.error.issues;
  }
  return null;
}
