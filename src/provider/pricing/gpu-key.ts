/**
 * The lookup order of the official price script: model.ram.interface → (the key without its
 * last part) → model. The generated script's jq code builds the same list; keep them in step.
 */
export function gpuKeyCandidates(model: string, ram: string | null | undefined, iface: string | null | undefined): string[] {
  const hasRam = typeof ram === 'string' && ram !== '';
  const hasIface = typeof iface === 'string' && iface !== '';
  const full = model + (hasRam ? `.${ram}` : '') + (hasIface ? `.${iface}` : '');
  const out = [full, hasRam && hasIface ? `${model}.${ram}` : model, model];
  return [...new Set(out)];
}

/** Splits a settings key back into its parts (model, then ram and/or interface). */
export function splitGpuKey(key: string): { model: string; rest: string[] } {
  const [model, ...rest] = key.split('.');
  return { model: model ?? key, rest };
}

/** True when `key` (a rule) would be used for a GPU whose full key is `full` at some lookup step. */
export function keyCovers(key: string, model: string, ram: string, iface: string): boolean {
  return gpuKeyCandidates(model, ram, iface).includes(key) || key === `${model}.${iface}`;
}
