import { QueryGroupRequest, QueryGroupResponse } from '@akashnetwork/chain-sdk/private-types/akash.v1beta4';
import type { LeaseResources } from '../../api/schemas/chain.js';
import { ChainQueryError, type ChainClient } from './chain-client.js';

/** Group specs never change once created, so a looked-up group is kept (bounded). */
const CACHE_MAX = 10_000;
/** Group queries in flight at once for one page of leases. */
const CONCURRENCY = 8;

/**
 * What a lease runs: the resources of its deployment group (`akash.deployment.v1beta4.Query/Group`),
 * summed over the group's resource units × count. GPU models come from the unit's GPU attributes
 * (`vendor/nvidia/model/rtx4090/ram/24Gi`, AKASH.md §6).
 */
export class LeaseResourceLookup {
  private readonly cache = new Map<string, LeaseResources | null>();

  async forGroups(client: ChainClient, groups: { owner: string; dseq: string; gseq: number }[]): Promise<Map<string, LeaseResources | null>> {
    const out = new Map<string, LeaseResources | null>();
    const todo = [...new Map(groups.map((g) => [groupKey(g), g])).values()];
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < todo.length) {
        const g = todo[next++]!;
        const key = groupKey(g);
        if (!this.cache.has(key)) this.remember(key, await fetchGroup(client, g));
        out.set(key, this.cache.get(key) ?? null);
      }
    };
    await Promise.all(Array.from({ length: Math.min(CONCURRENCY, todo.length) }, worker));
    return out;
  }

  private remember(key: string, value: LeaseResources | null): void {
    if (this.cache.size >= CACHE_MAX) this.cache.delete(this.cache.keys().next().value!);
    this.cache.set(key, value);
  }
}

export function groupKey(g: { owner: string; dseq: string; gseq: number }): string {
  return `${g.owner}/${g.dseq}/${g.gseq}`;
}

async function fetchGroup(client: ChainClient, g: { owner: string; dseq: string; gseq: number }): Promise<LeaseResources | null> {
  let res: QueryGroupResponse;
  try {
    const req = QueryGroupRequest.fromPartial({ id: { owner: g.owner, dseq: g.dseq, gseq: g.gseq } });
    res = QueryGroupResponse.decode(await client.query('/akash.deployment.v1beta4.Query/Group', QueryGroupRequest.encode(req).finish()));
  } catch (err) {
    // A group the node no longer has (pruned, closed long ago) leaves the column empty, not the page.
    if (err instanceof ChainQueryError) return null;
    throw err;
  }
  const units = res.group?.groupSpec?.resources ?? [];
  if (units.length === 0) return null;
  let cpuMilli = 0;
  let memoryBytes = 0;
  let storageBytes = 0;
  let gpus = 0;
  const models = new Set<string>();
  for (const u of units) {
    const n = u.count || 1;
    const r = u.resource;
    cpuMilli += n * num(r?.cpu?.units?.val);
    memoryBytes += n * num(r?.memory?.quantity?.val);
    for (const s of r?.storage ?? []) storageBytes += n * num(s.quantity?.val);
    const g = num(r?.gpu?.units?.val);
    gpus += n * g;
    for (const a of r?.gpu?.attributes ?? []) {
      const m = /^vendor\/([a-z0-9-]+)\/model\/([a-z0-9-]+)(?:\/ram\/([0-9]+[A-Za-z]+))?/.exec(a.key);
      if (m) models.add([m[2], m[3]].filter(Boolean).join(' '));
    }
  }
  const gpuModels = [...models];
  const parts = [
    gpus > 0 ? `${gpus} × GPU${gpuModels.length > 0 ? ` (${gpuModels.join(', ')})` : ''}` : null,
    `${round1(cpuMilli / 1000)} CPU`,
    `${round1(memoryBytes / 2 ** 30)} GiB RAM`,
    storageBytes > 0 ? `${round1(storageBytes / 2 ** 30)} GiB disk` : null,
  ].filter((p): p is string => p !== null);
  return { cpuMilli, memoryBytes, storageBytes, gpus, gpuModels, summary: parts.join(' · ') };
}

/** sdk.Int travels as its decimal string's bytes. */
/** chain-sdk (since the cosmjs 0.38 line) decodes `ResourceValue.val` to a bigint. */
function num(val: bigint | undefined): number {
  return val === undefined ? 0 : Number(val);
}

function round1(n: number): number {
  return Math.round(n * 10) / 10;
}
