import { usdPerHourOfMicroPerBlock } from '../../../../src/api/format/block-time.js';
import { anyModel, trimDec, type OrderGpu } from '../../../../src/api/schemas/order-log.js';

/** "1 × rtx3090 24Gi", "2 × any GPU", or "no GPU". */
export function gpuText(gpus: readonly OrderGpu[] | undefined): string {
  const asked = (gpus ?? []).filter((g) => g.units > 0);
  if (asked.length === 0) return 'no GPU';
  return asked.map((g) => `${g.units} × ${anyModel(g.model) ? 'any GPU' : g.model}${g.ram ? ` ${g.ram}` : ''}`).join(', ');
}

/** "≈ $0.88/h" beside a per-block price in uact (1 ACT = $1), at the assumed block time; '' for other denoms. */
export function perHourText(amount: string | undefined, denom: string | undefined): string {
  if (!amount || denom !== 'uact') return '';
  const usd = usdPerHourOfMicroPerBlock(Number(amount));
  return Number.isFinite(usd) ? `≈ $${usd < 1 ? usd.toFixed(3) : usd.toFixed(2)}/h` : '';
}

export function maxText(amount: string | undefined, denom: string | undefined): string {
  return amount ? `${trimDec(amount)} ${denom ?? ''}`.trimEnd() : '—';
}

export function timeText(iso: string | null): string {
  return iso ? new Date(iso).toLocaleString() : '—';
}
