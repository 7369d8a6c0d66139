import { z } from 'zod';

/**
 * Which node each lease runs on, as the provider's cluster says: the provider puts every lease in
 * a namespace of its own labelled `akash.network=true` with the lease id
 * (`akash.network/lease.id.owner|dseq|gseq|oseq`), and the lease's pods carry `akash.network=true`
 * with the node they were scheduled on in `spec.nodeName`. One kubectl call lists both; pure, so
 * what runs and how its answer is read are tested where no cluster runs.
 */
export const LEASE_PODS_COMMAND = ['kubectl', 'get', 'namespaces,pods', '--all-namespaces', '-l', 'akash.network=true', '-o', 'json'];

const LABEL = {
  owner: 'akash.network/lease.id.owner',
  dseq: 'akash.network/lease.id.dseq',
  gseq: 'akash.network/lease.id.gseq',
  oseq: 'akash.network/lease.id.oseq',
} as const;

const Item = z.object({
  kind: z.string(),
  metadata: z.object({ name: z.string(), namespace: z.string().optional(), labels: z.record(z.string(), z.string()).optional() }),
  spec: z.object({ nodeName: z.string().optional() }).passthrough().optional(),
});
const KubeList = z.object({ items: z.array(z.unknown()) });

/** `owner/dseq/gseq/oseq`, the way the chain names a lease. */
export function leaseKey(l: { owner: string; dseq: string; gseq: number | string; oseq: number | string }): string {
  return `${l.owner}/${l.dseq}/${l.gseq}/${l.oseq}`;
}

/**
 * lease key → the nodes its pods run on (a lease with several services can span nodes). Items
 * that do not parse are skipped; a pod not scheduled yet has no node and adds none.
 */
export function parseLeaseNodes(stdout: string): Map<string, string[]> {
  const list = KubeList.parse(JSON.parse(stdout));
  const nsLease = new Map<string, string>();
  const pods: { ns: string; node: string; labels: Record<string, string> }[] = [];
  for (const raw of list.items) {
    const it = Item.safeParse(raw);
    if (!it.success) continue;
    const labels = it.data.metadata.labels ?? {};
    if (it.data.kind === 'Namespace') {
      const key = keyOf(labels);
      if (key) nsLease.set(it.data.metadata.name, key);
    } else if (it.data.kind === 'Pod' && it.data.spec?.nodeName && it.data.metadata.namespace) {
      pods.push({ ns: it.data.metadata.namespace, node: it.data.spec.nodeName, labels });
    }
  }
  const out = new Map<string, string[]>();
  for (const p of pods) {
    const key = keyOf(p.labels) ?? nsLease.get(p.ns);
    if (!key) continue;
    const nodes = out.get(key) ?? [];
    if (!nodes.includes(p.node)) nodes.push(p.node);
    out.set(key, nodes);
  }
  return out;
}

function keyOf(labels: Record<string, string>): string | null {
  const { owner, dseq, gseq, oseq } = { owner: labels[LABEL.owner], dseq: labels[LABEL.dseq], gseq: labels[LABEL.gseq], oseq: labels[LABEL.oseq] };
  return owner && dseq && gseq && oseq ? leaseKey({ owner, dseq, gseq, oseq }) : null;
}

export interface LeaseEarning {
  key: string;
  state: string;
  denom: string;
  /** Accrued to the provider so far (withdrawn + not yet withdrawn), micro units; null when the chain gave no escrow. */
  accruedMicro: number | null;
}

export interface MachineLeases {
  /** True when the cluster answered: `leases` is then what runs there. */
  known: boolean;
  leases: LeaseEarning[];
  accruedMicro: number;
  /** Share of the farm's accrued earnings, 0–100; null when nothing has accrued or the mapping is unknown. */
  sharePct: number | null;
}

/**
 * Leases per node and each node's share of the earnings (sum of its leases' accrued). Without a
 * mapping (`byLease` null: the cluster did not answer) every node is `known: false` and every
 * lease is returned as unplaced — never guessed onto a node. A lease on two nodes counts its
 * earnings once per node split evenly.
 */
export function leasesPerNode(nodes: string[], leases: LeaseEarning[], byLease: Map<string, string[]> | null): { perNode: Map<string, MachineLeases>; unplaced: LeaseEarning[] } {
  const perNode = new Map<string, MachineLeases>(nodes.map((n) => [n, { known: byLease !== null, leases: [], accruedMicro: 0, sharePct: null }]));
  const unplaced: LeaseEarning[] = [];
  const total = leases.reduce((s, l) => s + (l.accruedMicro ?? 0), 0);
  for (const l of leases) {
    const on = (byLease?.get(l.key) ?? []).filter((n) => perNode.has(n));
    if (on.length === 0) {
      unplaced.push(l);
      continue;
    }
    for (const n of on) {
      const m = perNode.get(n)!;
      m.leases.push(l);
      m.accruedMicro += (l.accruedMicro ?? 0) / on.length;
    }
  }
  if (byLease !== null && total > 0) for (const m of perNode.values()) m.sharePct = Math.round((m.accruedMicro / total) * 1000) / 10;
  return { perNode, unplaced };
}

/**
 * What taking a machine offline (drain) would end, in words for the confirmation: the leases the
 * cluster places on the node, or — when it could not say — that every lease on it could end.
 */
export function drainWarning(machine: string, node: string, leases: LeaseEarning[] | null, byLease: Map<string, string[]> | null, whyUnknown: string | null): { leases: string[]; known: boolean; detail: string; message: string } {
  const out = (on: string[], known: boolean, detail: string) => ({ leases: on, known, detail, message: `Taking ${machine} offline drains its node ${node}. ${detail}` });
  if (byLease === null) {
    const all = leases === null ? 'the provider\'s leases could not be read either' : `the provider has ${leases.length} active lease(s) in the whole farm`;
    return out([], false, `Where leases run is unknown (${whyUnknown ?? 'the cluster did not answer'}), so every lease running on that node could end; ${all}.`);
  }
  const on = [...byLease].filter(([, nodes]) => nodes.includes(node)).map(([key]) => key).sort();
  if (on.length === 0) return out([], true, 'No lease runs on it, so none ends.');
  return out(on, true, `${on.length === 1 ? 'This lease ends' : `These ${on.length} leases end`}: ${on.join(', ')}.`);
}
