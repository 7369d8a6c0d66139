import { anyModel, trimDec, type OpenOrdersView, type OrderGpu, type OrderLogView } from '../../api/schemas/order-log.js';


function gpuText(gpus: readonly OrderGpu[] | undefined): string {
  const asked = (gpus ?? []).filter((g) => g.units > 0);
  if (asked.length === 0) return 'no GPU';
  return asked.map((g) => `${g.units} × ${anyModel(g.model) ? 'any GPU' : g.model}${g.ram ? ` ${g.ram}` : ''}`).join(', ');
}

const short = (s: string | undefined) => (s ? `${s.slice(0, 12)}…` : '?');
const amount = (a: string | undefined) => (a ? trimDec(a) : '?');

/** `riglease market orders`: the summary line, then one line per order, newest first. */
export function formatOrderLog(v: OrderLogView): string {
  const out = [v.summary.line, v.message];
  for (const o of v.orders) {
    out.push(`${o.at.replace('T', ' ').slice(0, 19)}  ${gpuText(o.gpus).padEnd(18)} max ${amount(o.maxPrice)} ${o.denom ?? ''}  tenant ${short(o.owner)}  ${o.words}`);
  }
  out.push('', v.notSeen);
  return `${out.join('\n')}\n`;
}

/** `riglease market open-orders`: each open order for this rig's GPUs and what it would bid. */
export function formatOpenOrders(v: OpenOrdersView): string {
  const out = [v.message];
  for (const o of v.orders) {
    out.push(`${(o.createdAt ?? `block ${o.createdHeight}`).replace('T', ' ').slice(0, 19)}  ${o.id.split('/').slice(1).join('/')}  ${gpuText(o.gpus).padEnd(18)} max ${amount(o.maxPrice)} ${o.denom}  ${o.words}`);
  }
  return `${out.join('\n')}\n`;
}
