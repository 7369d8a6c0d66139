import { QueryOrdersRequest, QueryOrdersResponse } from '@akashnetwork/chain-sdk/private-types/akash.v1beta5';
import { z } from 'zod';
import { sdkError } from './errors.js';

/**
 * Deployment orders for the market's Orders query, after akash-network/node x/market
 * (`keeper/grpc_query.go` Orders @d520fa70: an unknown `filters.state` is refused with
 * InvalidArgument "invalid state value", orders are filtered by owner/dseq/gseq/oseq/state and
 * paginated over the order store in key order; `Order.created_at` is the block height).
 * Orders are seeded, never created by a message here: the tests need the open-orders view, not
 * the deployment module.
 */
export interface OrderRecord {
  owner: string;
  dseq: bigint;
  gseq: number;
  oseq: number;
  state: 'open' | 'active' | 'closed';
  createdAt: bigint;
  name: string;
  units: SeedOrder['resources'];
}

/** Order.State by name (market v1beta5 order.proto). */
const ORDER_STATE = { open: 1, active: 2, closed: 3 } as const;
const DEFAULT_LIMIT = 100;

const Dseq = z.union([z.number().int().positive(), z.string().regex(/^\d+$/)]);
export const SeedOrder = z
  .object({
    owner: z.string().startsWith('akash1'),
    dseq: Dseq,
    gseq: z.number().int().positive().default(1),
    oseq: z.number().int().positive().default(1),
    state: z.enum(['open', 'active', 'closed']).default('open'),
    /** Height the order was opened at. */
    createdAt: z.number().int().positive(),
    name: z.string().default('dcloud'),
    resources: z
      .array(
        z.object({
          cpuMilli: z.number().int().nonnegative(),
          memoryBytes: z.number().int().nonnegative(),
          storageBytes: z.number().int().nonnegative().default(0),
          /** Storage class attribute; absent = the bid engine's `ephemeral`. */
          storageClass: z.string().optional(),
          gpuUnits: z.number().int().nonnegative().default(0),
          /** e.g. `vendor/nvidia/model/rtx4090/ram/24Gi` = "true", as the SDL puts it on chain. */
          gpuAttributes: z.array(z.object({ key: z.string(), value: z.string() })).default([]),
          endpoints: z.number().int().nonnegative().default(1),
          count: z.number().int().min(1).default(1),
          /** The tenant's max price per block for one unit, decimal micro-units ("1200.5"). */
          pricePerBlock: z.string().regex(/^\d+(\.\d+)?$/),
          denom: z.string().default('uact'),
        }),
      )
      .min(1),
  })
  .strict();
export type SeedOrder = z.infer<typeof SeedOrder>;

export function orderKey(o: Pick<OrderRecord, 'owner' | 'dseq' | 'gseq' | 'oseq'>): string {
  return `${o.owner}/${o.dseq.toString().padStart(20, '0')}/${o.gseq}/${o.oseq}`;
}

export function seedOrders(orders: Map<string, OrderRecord>, seed: SeedOrder[]): void {
  for (const o of seed) {
    const rec: OrderRecord = { owner: o.owner, dseq: BigInt(o.dseq), gseq: o.gseq, oseq: o.oseq, state: o.state, createdAt: BigInt(o.createdAt), name: o.name, units: o.resources };
    orders.set(orderKey(rec), rec);
  }
}

/** `/akash.market.v1beta5.Query/Orders` with the keeper's filters and key pagination. */
export function answerOrders(orders: Map<string, OrderRecord>, data: Uint8Array): Uint8Array {
  const req = QueryOrdersRequest.decode(data);
  const f = req.filters;
  const state = f?.state ?? '';
  if (state && !(state in ORDER_STATE)) throw sdkError.invalidRequest('invalid state value');
  const dseq = f ? BigInt(f.dseq.toString()) : 0n;
  const accept = (o: OrderRecord): boolean =>
    (!f?.owner || o.owner === f.owner) && (dseq === 0n || o.dseq === dseq) && (!f?.gseq || o.gseq === f.gseq) && (!f?.oseq || o.oseq === f.oseq) && (!state || o.state === state);
  const page = req.pagination;
  const limit = page && Number(page.limit.toString()) > 0 ? Number(page.limit.toString()) : DEFAULT_LIMIT;
  const startKey = page && page.key.length > 0 ? Buffer.from(page.key).toString('utf8') : null;
  const keys = [...orders.keys()].sort().filter((k) => startKey === null || k >= startKey);
  const out: OrderRecord[] = [];
  let nextKey: string | null = null;
  let total = 0;
  for (const k of keys) {
    const o = orders.get(k)!;
    if (!accept(o)) continue;
    total++;
    if (out.length < limit) out.push(o);
    else if (nextKey === null) {
      nextKey = k;
      if (!page?.countTotal) break;
    }
  }
  return QueryOrdersResponse.encode(
    QueryOrdersResponse.fromPartial({
      orders: out.map(orderResponse),
      pagination: { nextKey: nextKey ? Buffer.from(nextKey, 'utf8') : new Uint8Array(), total: page?.countTotal ? total : 0 },
    }),
  ).finish();
}

const val = (n: number) => ({ val: BigInt(n) });

/** "12.5" → LegacyDec atomics (18 decimals), as DecCoin amounts travel in protobuf. */
function atomics(dec: string): bigint {
  const [whole = '0', frac = ''] = dec.split('.');
  return BigInt(whole) * 10n ** 18n + BigInt((frac + '0'.repeat(18)).slice(0, 18));
}

function orderResponse(o: OrderRecord) {
  return {
    id: { owner: o.owner, dseq: o.dseq.toString(), gseq: o.gseq, oseq: o.oseq },
    state: ORDER_STATE[o.state],
    createdAt: o.createdAt.toString(),
    spec: {
      name: o.name,
      requirements: { signedBy: { allOf: [], anyOf: [] }, attributes: [] },
      resources: o.units.map((r, i) => ({
        resource: {
          id: i + 1,
          cpu: { units: val(r.cpuMilli), attributes: [] },
          memory: { quantity: val(r.memoryBytes), attributes: [] },
          storage: [{ name: 'default', quantity: val(r.storageBytes), attributes: r.storageClass ? [{ key: 'class', value: r.storageClass }] : [] }],
          gpu: { units: val(r.gpuUnits), attributes: r.gpuAttributes },
          endpoints: Array.from({ length: r.endpoints }, (_, j) => ({ kind: 0, sequenceNumber: j })),
        },
        count: r.count,
        // DecCoin amounts travel as LegacyDec atomics (18 decimals, no point).
        price: { denom: r.denom, amount: atomics(r.pricePerBlock).toString() },
      })),
    },
  };
}
