import type { OpenOrdersView, OpenOrderView, OrderLogView } from '../../api/schemas/order-log.js';
import { REFUSAL_WORDS } from '../../api/schemas/order-log.js';
import type { Quote } from '../../api/schemas/pricing.js';
import type { OpenOrder } from '../../provider/chain/orders-service.js';
import { anyModel, trimDec } from '../../api/schemas/order-log.js';
import { decisionWords, parseOrderLog, summarizeOrders, toDecision } from '../../provider/pricing/order-log.js';

/** Where the bid script's log is read from: the stack's node, or the demo's simulation. */
export interface OrderLogSource {
  /** The log's files, oldest first (`.1`, then the current one). */
  read(): Promise<{ source: OrderLogView['source']; files: string[]; message: string }>;
}

export interface OrdersViewDeps {
  log: OrderLogSource;
  /** `unavailable` says why the chain was not asked (no wallet yet). */
  openOrders: (sinceMs: number) => Promise<{ orders: OpenOrder[]; scanned: number; unavailable?: string }>;
  /** What the current price table bids for a bid-engine order (pricing.quote: the script's numbers). */
  quote: (order: unknown) => Promise<Quote>;
  /** This rig's (or farm's) GPU models as Akash names them (`rtx4090`). */
  localModels: () => Promise<string[]>;
  now?: () => Date;
}

export const NOT_SEEN =
  'Orders the provider turns away before pricing (a GPU model or attribute this provider does not offer, not enough free capacity) never reach the bid script, so they are not listed here (the provider\'s own log names them only with debug logging on).';

/** The order log and the open orders on chain, as the screen, the Dashboard and the CLI show them. */
export class OrdersViewService {
  private readonly now: () => Date;

  constructor(private readonly deps: OrdersViewDeps) {
    this.now = deps.now ?? (() => new Date());
  }

  async log(sinceHours: number): Promise<OrderLogView> {
    const read = await this.deps.log.read();
    const since = Math.floor(this.now().getTime() / 1000 - sinceHours * 3600);
    const { lines, skipped } = parseOrderLog(read.files, since);
    const period = sinceHours === 24 ? 'today' : `in the last ${sinceHours} h`;
    return {
      source: read.source,
      message: skipped > 0 ? `${read.message} ${skipped} line${skipped === 1 ? '' : 's'} could not be read and ${skipped === 1 ? 'was' : 'were'} skipped.` : read.message,
      sinceHours,
      orders: lines.map(toDecision).reverse(),
      skipped,
      summary: summarizeOrders(lines, period),
      notSeen: NOT_SEEN,
    };
  }

  async openOrders(sinceHours: number): Promise<OpenOrdersView> {
    const models = await this.deps.localModels();
    const { orders, scanned, unavailable } = await this.deps.openOrders(this.now().getTime() - sinceHours * 3600_000);
    const mine = orders.filter((o) => o.gpus.length > 0 && reachesScript(o, models));
    const rows: OpenOrderView[] = [];
    for (const o of mine) rows.push(await this.row(o));
    rows.sort((a, b) => b.createdHeight - a.createdHeight);
    const message = unavailable
      ? unavailable
      : models.length === 0
        ? 'No GPU of this rig has an Akash model name yet, so only orders that take any GPU model are listed.'
        : `${rows.length} open order${rows.length === 1 ? '' : 's'} from the last ${sinceHours} h ask for ${models.join(', ')} (or any GPU), of ${scanned} open on chain.`;
    return { models, sinceHours, orders: rows, scanned, message };
  }

  private async row(o: OpenOrder): Promise<OpenOrderView> {
    const base = {
      id: `${o.owner}/${o.dseq}/${o.gseq}/${o.oseq}`,
      owner: o.owner,
      dseq: o.dseq,
      createdHeight: o.createdHeight,
      createdAt: o.createdAtMs === null ? null : new Date(o.createdAtMs).toISOString(),
      gpus: o.gpus,
      denom: o.scriptInput.price.denom,
      maxPrice: o.scriptInput.price.amount,
    };
    let q: Quote;
    try {
      q = await this.deps.quote(o.scriptInput);
    } catch (err) {
      // An order the quote refuses to read (e.g. a quantity past 2^53) is one the script refuses too.
      const reason = `order not understood: ${err instanceof Error ? err.message : String(err)}`;
      return { ...base, wouldBid: false, price: null, code: 'order_not_understood', reason, words: `would not bid: ${REFUSAL_WORDS.order_not_understood}` };
    }
    const decision = q.bid ? ('bid' as const) : ('refused' as const);
    const words = decisionWords({ decision, price: q.price ?? undefined, denom: q.denom, maxPrice: trimDec(q.maxPrice), code: q.code ?? 'script_error' })
      .replace(/^bid /, 'would bid ')
      .replace(/^not bid: /, 'would not bid: ');
    return { ...base, wouldBid: q.bid, price: q.price, code: q.code, reason: q.reason, words };
  }
}

/**
 * Whether the provider's bid engine would hand this order to the script at all: every GPU it asks
 * for is one of `models` (NVIDIA, as the provider's attributes say) or any model. Orders for other
 * GPUs are refused earlier, on attributes (provider bidengine/order.go).
 */
export function reachesScript(o: Pick<OpenOrder, 'gpus'>, models: readonly string[]): boolean {
  return o.gpus.every((g) => g.units === 0 || anyModel(g.model) || ((g.vendor ?? 'nvidia') === 'nvidia' && g.model !== null && models.includes(g.model)));
}
