import { OrderLogLine, REFUSAL_WORDS, trimDec, type OrderDecision, type OrderLogSummary, type RefusalCode } from '../../api/schemas/order-log.js';

/** Lines longer than this are not the script's (its lines are well under 2 KB): skipped unread. */
const MAX_LINE = 16_384;

/**
 * The bid script's order log (`riglease-orders.jsonl`, and `.1` after a rotation), oldest file
 * first. Every line is checked against `OrderLogLine`; a line that does not parse (cut short by a
 * full disk, written by another version, edited by hand) is skipped and counted, never fatal.
 */
export function parseOrderLog(files: readonly string[], sinceSeconds: number): { lines: OrderLogLine[]; skipped: number } {
  const lines: OrderLogLine[] = [];
  let skipped = 0;
  for (const text of files) {
    for (const raw of text.split('\n')) {
      if (raw.trim() === '') continue;
      const line = raw.length > MAX_LINE ? null : parseLine(raw);
      if (!line) skipped++;
      else if (line.t >= sinceSeconds) lines.push(line);
    }
  }
  lines.sort((a, b) => a.t - b.t);
  return { lines, skipped };
}

function parseLine(raw: string): OrderLogLine | null {
  try {
    const r = OrderLogLine.safeParse(JSON.parse(raw));
    return r.success ? r.data : null;
  } catch {
    return null;
  }
}

/** A log line as the screen and the CLI show it: ISO time and the decision in plain words. */
export function toDecision(line: OrderLogLine): OrderDecision {
  const { v: _v, t, ...rest } = line;
  return { ...rest, at: new Date(t * 1000).toISOString(), words: decisionWords(line) };
}

export function decisionWords(line: Pick<OrderLogLine, 'decision' | 'price' | 'denom' | 'code' | 'maxPrice'>): string {
  if (line.decision === 'bid') return `bid ${line.price ?? '?'} ${line.denom ?? ''} per block`.trimEnd();
  const code = line.code ?? 'script_error';
  if (code === 'price_too_low' && line.price) return `not bid: the order pays at most ${trimDec(line.maxPrice ?? '?')}, your price is ${line.price} ${line.denom ?? ''} per block`.trimEnd();
  return `not bid: ${REFUSAL_WORDS[code]}`;
}

/** A GPU order is one that asks for at least one GPU. */
export function isGpuOrder(line: Pick<OrderLogLine, 'gpus'>): boolean {
  return (line.gpus ?? []).some((g) => g.units > 0);
}

/**
 * The Dashboard line: "12 GPU orders today: bid on 9, 3 below your price". Counts GPU orders when
 * there are any (what a GPU rig cares about), else all orders.
 */
export function summarizeOrders(lines: readonly OrderLogLine[], period = 'today'): OrderLogSummary {
  const gpu = lines.filter(isGpuOrder);
  const counted = gpu.length > 0 ? gpu : lines;
  const bid = counted.filter((l) => l.decision === 'bid').length;
  const byCode = new Map<RefusalCode, number>();
  for (const l of counted) if (l.decision === 'refused') byCode.set(l.code ?? 'script_error', (byCode.get(l.code ?? 'script_error') ?? 0) + 1);
  const refused = [...byCode].sort((a, b) => b[1] - a[1]).map(([code, count]) => ({ code, words: REFUSAL_WORDS[code], count }));
  const what = gpu.length > 0 ? 'GPU order' : 'order';
  const n = counted.length;
  const line =
    n === 0
      ? `No orders reached your bid script ${period}.`
      : `${n} ${what}${n === 1 ? '' : 's'} ${period}: bid on ${bid}${refused.map((r) => `, ${r.count} ${r.words}`).join('')}`;
  return { total: lines.length, gpuOrders: gpu.length, bid, refused, line };
}

