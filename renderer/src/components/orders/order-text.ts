import { anyModel, trimDec, type OrderGpu } from '../../../../src/api/schemas/order-log.js';

/** "1 × rtx3090 24Gi", "2 × any GPU", or "no GPU". */
export function gpuText(gpus: readonly OrderGpu[] | undefined): string {
  const asked = (gpus ?? []).filter((g) => g.units > 0);
  if (asked.length === 0) return 'no GPU';
  return asked.map((g) => `${g.units} × ${anyModel(g.model) ? 'any GPU' : g.model}${g.ram ? ` ${g.ram}` : ''}`).join(', ');
}

export function maxText(amount: string | undefined, denom: string | undefined): string {
  return amount ? `${trimDec(amount)} ${denom ?? ''}`.trimEnd() : '—';
}

export function timeText(iso: string | null): string {
  return iso ? new Date(iso).toLocaleString() : '—';
}
