import { QueryOrdersRequest, QueryOrdersResponse, type Order } from '@akashnetwork/chain-sdk/private-types/akash.v1beta5';
import { ASSUMED_SECONDS_PER_BLOCK } from './accrual.js';
import { DEC_SCALE } from './amounts.js';
import type { ChainContext } from './chain-context.js';

/** Orders per page, and at most this many pages per look (mainnet has a few hundred open orders). */
const PAGE_LIMIT = 500;
const MAX_PAGES = 10;

export interface OrderGpuAsk {
  vendor: string | null;
  model: string | null;
  ram: string | null;
  interface: string | null;
  units: number;
}

/** An open order as the bid engine would see it, without chain types. */
export interface OpenOrder {
  owner: string;
  dseq: string;
  gseq: number;
  oseq: number;
  createdHeight: number;
  /** Estimated from the latest block's time and the height difference; null without a block time. */
  createdAtMs: number | null;
  gpus: OrderGpuAsk[];
  /** The JSON the provider's bid engine writes to the price script's stdin for this order. */
  scriptInput: { resources: unknown[]; price: { denom: string; amount: string } };
}

/**
 * Open deployment orders on chain (`/akash.market.v1beta5.Query/Orders`, filters.state "open"),
 * each turned into the price script's input the way provider bidengine/shellscript.go
 * (`newDataForScript`, `parseGPU`, `parseStorage` @391a74a9) builds it, with the order's max price
 * = GroupSpec.Price() (sum of each unit's price × count, chain-sdk go/node/deployment GroupSpec).
 */
export class OrdersService {
  constructor(private readonly chain: ChainContext) {}

  async open(opts: { sinceMs: number }): Promise<{ orders: OpenOrder[]; scanned: number }> {
    const { client } = await this.chain.get();
    const latest = await client.blockHeader();
    const sinceHeight = latest.height - Math.ceil((latest.timeMs - opts.sinceMs) / 1000 / ASSUMED_SECONDS_PER_BLOCK);
    const out: OpenOrder[] = [];
    let key: Uint8Array = new Uint8Array();
    let scanned = 0;
    for (let page = 0; page < MAX_PAGES; page++) {
      const req = QueryOrdersRequest.fromPartial({ filters: { owner: '', dseq: 0, gseq: 0, oseq: 0, state: 'open' }, pagination: { key, limit: PAGE_LIMIT } });
      const res = QueryOrdersResponse.decode(await client.query('/akash.market.v1beta5.Query/Orders', QueryOrdersRequest.encode(req).finish()));
      for (const o of res.orders) {
        scanned++;
        const row = toOpenOrder(o, latest);
        if (row && row.createdHeight >= sinceHeight) out.push(row);
      }
      const next = res.pagination?.nextKey;
      if (!next || next.length === 0) break;
      key = next;
    }
    return { orders: out, scanned };
  }
}

function toOpenOrder(o: Order, latest: { height: number; timeMs: number }): OpenOrder | null {
  const id = o.id;
  const units = o.spec?.resources ?? [];
  if (!id || units.length === 0) return null;
  const denom = units[0]?.price?.denom ?? '';
  let max = 0n;
  const resources: unknown[] = [];
  const gpus: OrderGpuAsk[] = [];
  for (const u of units) {
    // A group priced in two denoms cannot be summed (the Go code panics): the bid engine never sees it.
    if (!u.price || u.price.denom !== denom || !/^\d+$/.test(u.price.amount)) return null;
    max += BigInt(u.price.amount) * BigInt(u.count);
    const r = u.resource;
    const gpu = parseGpu(r?.gpu?.attributes ?? []);
    const gpuUnits = Number(r?.gpu?.units?.val ?? 0n);
    if (gpuUnits > 0) {
      const asks = Object.entries(gpu);
      if (asks.length === 0) gpus.push({ vendor: null, model: null, ram: null, interface: null, units: gpuUnits * u.count });
      for (const [vendor, a] of asks) gpus.push({ vendor, model: a.model, ram: a.ram ?? null, interface: a.interface ?? null, units: gpuUnits * u.count });
    }
    resources.push({
      cpu: Number(r?.cpu?.units?.val ?? 0n),
      memory: Number(r?.memory?.quantity?.val ?? 0n),
      gpu: { units: gpuUnits, attributes: { vendor: gpu } },
      storage: (r?.storage ?? []).map((s) => ({ class: s.attributes.find((a) => a.key === 'class')?.value || 'ephemeral', size: Number(s.quantity?.val ?? 0n) })),
      count: u.count,
      endpoint_quantity: r?.endpoints.length ?? 0,
      // Endpoint.Kind LEASED_IP = 2 (akash.base.resources.v1beta4 endpoint.proto).
      ip_lease_quantity: (r?.endpoints ?? []).filter((e) => e.kind === 2).length,
    });
  }
  const createdHeight = Number(o.createdAt);
  return {
    owner: id.owner,
    dseq: id.dseq.toString(),
    gseq: id.gseq,
    oseq: id.oseq,
    createdHeight,
    createdAtMs: latest.timeMs > 0 ? Math.round(latest.timeMs - (latest.height - createdHeight) * ASSUMED_SECONDS_PER_BLOCK * 1000) : null,
    gpus,
    scriptInput: { resources, price: { denom, amount: formatDec(max) } },
  };
}

/** `vendor/nvidia/model/rtx4090/ram/24Gi/interface/pcie` → {nvidia: {model, ram, interface}} (parseGPU). */
function parseGpu(attrs: { key: string; value: string }[]): Record<string, { model: string; ram?: string; interface?: string }> {
  const out: Record<string, { model: string; ram?: string; interface?: string }> = {};
  for (const a of attrs) {
    const t = a.key.split('/');
    if (t[0] !== 'vendor' || t.length < 4 || !t[1] || !t[3]) continue;
    const v: { model: string; ram?: string; interface?: string } = { model: t[3] };
    for (let i = 4; i + 1 < t.length; i += 2) {
      if (t[i] === 'ram') v.ram = t[i + 1]!;
      else if (t[i] === 'interface') v.interface = t[i + 1]!;
    }
    out[t[1]] = v;
  }
  return out;
}

/** LegacyDec atomics as its String(): whole part, a point, 18 decimals. */
function formatDec(atomics: bigint): string {
  return `${atomics / DEC_SCALE}.${(atomics % DEC_SCALE).toString().padStart(18, '0')}`;
}
