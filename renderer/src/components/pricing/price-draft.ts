import type { PricingView } from '../../../../src/api/schemas/pricing.js';

/** Editable number fields of the pricing settings, by dotted path, with their label and unit. */
export const RESOURCE_FIELDS: ReadonlyArray<{ path: string; label: string; unit: string; max: number }> = [
  { path: 'resources.cpuThreadHour', label: 'CPU thread', unit: 'per hour', max: 10 },
  { path: 'resources.memoryGbHour', label: 'Memory', unit: 'per GB-hour', max: 10 },
  { path: 'resources.storageGbHour.ephemeral', label: 'Ephemeral storage', unit: 'per GB-hour', max: 1 },
  { path: 'resources.storageGbHour.beta1', label: 'Persistent HDD (beta1)', unit: 'per GB-hour', max: 1 },
  { path: 'resources.storageGbHour.beta2', label: 'Persistent SSD (beta2)', unit: 'per GB-hour', max: 1 },
  { path: 'resources.storageGbHour.beta3', label: 'Persistent NVMe (beta3)', unit: 'per GB-hour', max: 1 },
  { path: 'resources.endpointHour', label: 'Endpoint', unit: 'per hour', max: 10 },
  { path: 'resources.ipHour', label: 'Dedicated IP', unit: 'per hour', max: 100 },
];

export const OTHER_FIELDS: ReadonlyArray<{ path: string; max: number; nullable?: boolean }> = [
  { path: 'power.pricePerKwh', max: 100 },
  { path: 'power.rigShareWatts', max: 5000 },
  { path: 'followMarket.percentOfMedian', max: 1000 },
  { path: 'followMarket.ceilingUsdPerHour', max: 1000, nullable: true },
  { path: 'defaultGpuUsdPerHour', max: 1000 },
];

export type Fields = Record<string, string>;

function get(root: unknown, dotted: string): unknown {
  return dotted.split('.').reduce<unknown>((node, part) => (node && typeof node === 'object' ? (node as Record<string, unknown>)[part] : undefined), root);
}

function put(root: Record<string, unknown>, dotted: string, value: unknown): void {
  const parts = dotted.split('.');
  let node = root;
  for (const part of parts.slice(0, -1)) {
    node[part] ??= {};
    node = node[part] as Record<string, unknown>;
  }
  node[parts.at(-1)!] = value;
}

/** The text each input starts with: the current settings. GPU prices are keyed `gpu:<key>`. */
export function fieldsOf(view: PricingView): Fields {
  const out: Fields = {};
  for (const f of [...RESOURCE_FIELDS, ...OTHER_FIELDS]) {
    const v = get(view.settings, f.path);
    out[f.path] = v === null || v === undefined ? '' : String(v);
  }
  for (const g of view.resolved.gpus) {
    const rule = view.settings.gpus.find((r) => r.key === g.key);
    // A model that follows the market has no price of its own: the field stays empty (typing one sets it).
    out[`gpu:${g.key}`] = rule ? String(rule.usdPerHour) : g.source === 'market' ? '' : String(g.baseUsdPerHour);
  }
  return out;
}

export interface Draft {
  /** Only what changed; null when nothing did. */
  patch: Record<string, unknown> | null;
  /** Per field: why the text is not a price. Apply is off while any exists. */
  errors: Record<string, string>;
}

/**
 * Inputs → the patch `pricing.set` takes. Refuses here what can never be right (not a number,
 * negative, NaN, beyond the schema's bound) so the person sees it at the field; the agent
 * checks again and also refuses absurd prices against the market.
 */
export function draftOf(view: PricingView, fields: Fields, extra: { strategy: string; allowBelowFloor: boolean; marketPosition?: string; newGpu: { key: string; price: string } }): Draft {
  const base = fieldsOf(view);
  const patch: Record<string, unknown> = {};
  const errors: Record<string, string> = {};
  const num = (path: string, text: string, max: number, nullable = false): number | null | undefined => {
    const t = text.trim();
    if (t === '' && nullable) return null;
    if (t === '') {
      errors[path] = 'Enter a number.';
      return undefined;
    }
    const n = Number(t.replace(',', '.'));
    if (!Number.isFinite(n)) errors[path] = 'Not a number.';
    else if (n < 0) errors[path] = 'A price cannot be negative.';
    else if (n > max) errors[path] = `At most ${max}.`;
    else return n;
    return undefined;
  };
  for (const f of [...RESOURCE_FIELDS, ...OTHER_FIELDS]) {
    const text = fields[f.path] ?? '';
    if (text === base[f.path]) continue;
    const v = num(f.path, text, f.max, 'nullable' in f && f.nullable === true);
    if (v !== undefined) put(patch, f.path, v);
  }
  const rules = view.settings.gpus.map((r) => ({ ...r }));
  let gpusChanged = false;
  for (const g of view.resolved.gpus) {
    const path = `gpu:${g.key}`;
    const text = fields[path] ?? '';
    if (text === base[path]) continue;
    const v = num(path, text, 1000);
    if (v === undefined || v === null) continue;
    const at = rules.findIndex((r) => r.key === g.key);
    if (at >= 0) rules[at] = { ...rules[at]!, usdPerHour: v };
    else rules.push({ key: g.key, usdPerHour: v, ceilingUsdPerHour: null });
    gpusChanged = true;
  }
  if (extra.newGpu.key.trim() !== '') {
    const key = extra.newGpu.key.trim().toLowerCase();
    if (!/^[a-z0-9][a-z0-9_+-]*(\.[A-Za-z0-9_+-]+){0,2}$/.test(key)) errors['gpu:new'] = 'A model is written like rtx4090 or rtx4090.24Gi.pcie.';
    else {
      const v = num('gpu:new', extra.newGpu.price, 1000);
      if (v !== undefined && v !== null) {
        rules.push({ key, usdPerHour: v, ceilingUsdPerHour: null });
        gpusChanged = true;
      }
    }
  }
  if (gpusChanged) patch['gpus'] = rules;
  if (extra.strategy !== view.settings.strategy) patch['strategy'] = extra.strategy;
  if (extra.allowBelowFloor !== view.settings.allowBelowFloor) patch['allowBelowFloor'] = extra.allowBelowFloor;
  if (extra.marketPosition !== undefined && extra.marketPosition !== view.settings.marketPosition) patch['marketPosition'] = extra.marketPosition;
  return { patch: Object.keys(patch).length > 0 ? patch : null, errors };
}

export function formatUsd(n: number | null | undefined): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return '—';
  if (n !== 0 && Math.abs(n) < 0.01) return `$${n.toPrecision(3)}`;
  return `$${n.toFixed(Math.abs(n) < 10 ? 3 : 2)}`;
}

/** GPUs of this model on the market (free / total), summed over the entries the key covers. */
export function marketSupply(view: PricingView, key: string): { available: number; total: number } | null {
  const models = view.market.snapshot?.gpuPrices.models;
  if (!models) return null;
  const [model, ...rest] = key.toLowerCase().split('.');
  const ifaces = new Set(['pcie', 'sxm', 'mig']);
  const iface = rest.find((p) => ifaces.has(p)) ?? null;
  const ram = rest.find((p) => !ifaces.has(p)) ?? null;
  const hits = models.filter((m) => m.vendor.toLowerCase() === 'nvidia' && m.model.toLowerCase() === model && (ram === null || m.ram.toLowerCase() === ram) && (iface === null || m.interface.toLowerCase() === iface));
  if (hits.length === 0) return null;
  return hits.reduce((s, m) => ({ available: s.available + m.availability.available, total: s.total + m.availability.total }), { available: 0, total: 0 });
}
