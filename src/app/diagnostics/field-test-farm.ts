import type { FarmStatus } from '../../api/schemas/farm.js';
import { AKASH_NAMESPACE } from '../../provider/stack/manifests.js';
import { NODE_LABEL_CONTROLLER, NODE_LABEL_NVDP } from '../../provider/stack/names.js';
import { KubeNode, KubePod, listOf } from './field-test-kube-json.js';
import type { StepOutcome } from './field-test-model.js';
import type { FieldStep } from './field-test-runner.js';
import { kubectlRead, poll, withRun, type FieldContext } from './field-test-steps.js';

/**
 * `riglease doctor --field --farm`, run on the controller once machines have joined: what only a
 * real farm can show. Each member is a Ready node reachable at its own LAN address, the provider
 * and the gateway run on the controller, and Akash's inventory operator labelled each member's
 * GPUs on its node (the labels the provider's inventory, and so its bids, come from).
 */
export interface FarmExpectation {
  /** This machine's node (the k3s server). */
  controllerNode: string;
  members: { hostname: string; node: string; gpus: { name: string; model: string | null }[] }[];
}

/** From `farm.status` on the controller. */
export function farmExpectation(s: FarmStatus): FarmExpectation {
  const self = s.machines.find((m) => m.role === 'controller');
  return {
    controllerNode: self?.nodeName ?? '',
    members: s.machines.filter((m) => m.role === 'agent').map((m) => ({ hostname: m.hostname, node: m.nodeName, gpus: m.gpus.map((g) => ({ name: g.name, model: g.akash?.model ?? null })) })),
  };
}

/** Docker's and k3s's own ranges: an ExternalIP there is a container address no other machine reaches. */
const CONTAINER_RANGE = /^(172\.(1[7-9]|2\d|3[01])\.|10\.42\.|10\.43\.)/;

export function judgeFarmNodes(nodes: KubeNode[], farm: FarmExpectation): StepOutcome {
  if (!farm.members.length) return { ok: false, summary: 'No machine has joined this farm, so there is nothing to check.', fix: 'On another machine: riglease farm join (with a code from "riglease farm token" here), then run the field test again.' };
  const details: string[] = [];
  const bad: string[] = [];
  for (const m of farm.members) {
    const n = nodes.find((x) => x.metadata.name === m.node);
    const ready = n?.status?.conditions?.find((c) => c.type === 'Ready')?.status === 'True';
    const ext = n?.status?.addresses?.find((a) => a.type === 'ExternalIP')?.address ?? null;
    const labels = n?.metadata.labels ?? {};
    const line = `${m.hostname} (node ${m.node}): ${!n ? 'not a node of the cluster' : `${ready ? 'Ready' : 'not Ready'}, ExternalIP ${ext ?? 'none'}, ${NODE_LABEL_CONTROLLER.key}=${labels[NODE_LABEL_CONTROLLER.key] ?? '(none)'}`}`;
    details.push(line);
    if (!n || !ready || !ext || CONTAINER_RANGE.test(ext) || labels[NODE_LABEL_CONTROLLER.key] === NODE_LABEL_CONTROLLER.value) bad.push(line);
  }
  if (bad.length) {
    return { ok: false, summary: `${bad.length} of ${farm.members.length} member(s) are not Ready nodes reachable at their own LAN address.`, details, fix: `On that machine: "riglease farm status" and "docker logs" of its k3s agent; its LAN address is farm.advertiseAddress (an ExternalIP in Docker's ranges means it advertised a container address). The controller must reach its ports 10250/tcp and 51820/udp (or 8472/udp).` };
  }
  return { ok: true, summary: `All ${farm.members.length} member(s) are Ready nodes at their own LAN addresses.`, details };
}

/** Namespaces whose pods must run on the controller: the provider and operators, the gateway, cert-manager. */
export const CONTROLLER_NAMESPACES = [AKASH_NAMESPACE, 'nginx-gateway', 'akash-gateway', 'cert-manager'];

export function judgeFarmPlacement(pods: KubePod[], farm: FarmExpectation): StepOutcome {
  const placed = pods.filter((p) => CONTROLLER_NAMESPACES.includes(p.metadata.namespace ?? '') && p.spec?.nodeName);
  const elsewhere = placed.filter((p) => p.spec!.nodeName !== farm.controllerNode);
  const details = placed.map((p) => `${p.metadata.namespace}/${p.metadata.name} on ${p.spec!.nodeName}`);
  if (!placed.length) return { ok: false, summary: 'No provider, gateway or cert-manager pod is scheduled yet.', details, fix: 'Wait for the charts (step "Every chart installed"), then run the field test again.' };
  if (elsewhere.length) {
    return { ok: false, summary: `${elsewhere.length} pod(s) that need this machine's price table, certificate or ports run on another node.`, details: elsewhere.map((p) => `${p.metadata.namespace}/${p.metadata.name} on ${p.spec!.nodeName}, not ${farm.controllerNode}`), fix: `Check this node's labels (kubectl get node ${farm.controllerNode} --show-labels: ${NODE_LABEL_CONTROLLER.key}=${NODE_LABEL_CONTROLLER.value}); "riglease stack upgrade" re-creates the k3s container with it. Attach the report to a bug.` };
  }
  return { ok: true, summary: `All ${placed.length} provider, gateway and cert-manager pods run on the controller (${farm.controllerNode}).`, details };
}

const MODEL_LABEL = 'akash.network/capabilities.gpu.vendor.nvidia.model.';

/** Each member's GPUs as Akash's inventory operator labels them on its node (count per model). */
export function judgeMemberInventory(nodes: KubeNode[], farm: FarmExpectation): StepOutcome {
  const withGpus = farm.members.filter((m) => m.gpus.length);
  if (!withGpus.length) return { ok: false, summary: 'No member reported a GPU, so there is nothing for the inventory to list.', fix: 'Check "riglease farm status": each member lists its GPUs once its heartbeats arrive.' };
  const details: string[] = [];
  let missing = 0;
  for (const m of withGpus) {
    const labels = nodes.find((n) => n.metadata.name === m.node)?.metadata.labels ?? {};
    const want = new Map<string, number>();
    for (const g of m.gpus) if (g.model) want.set(g.model, (want.get(g.model) ?? 0) + 1);
    for (const g of m.gpus.filter((x) => !x.model)) {
      missing++;
      details.push(`${m.hostname}: ${g.name}: not a model Akash knows, so the inventory cannot list it`);
    }
    for (const [model, count] of want) {
      const have = Number(labels[`${MODEL_LABEL}${model}`] ?? '0');
      if (have < count) missing += count - have;
      details.push(`${m.hostname} (node ${m.node}): ${model}: ${have} of ${count} listed${labels[NODE_LABEL_NVDP.key] === NODE_LABEL_NVDP.value ? '' : `; the node has no ${NODE_LABEL_NVDP.key}=${NODE_LABEL_NVDP.value}, so the device plugin does not run there`}`);
    }
  }
  const total = withGpus.reduce((n, m) => n + m.gpus.length, 0);
  if (missing) return { ok: false, summary: `${missing} of ${total} member GPU(s) are not listed by Akash's inventory, so the provider does not bid for them.`, details, fix: "Check the member node's device plugin pod (kubectl get pods -n nvidia-device-plugin -o wide) and the inventory operator's hardware-discovery pod on that node; a paused (cordoned) machine is left out on purpose." };
  return { ok: true, summary: `Akash's inventory lists all ${total} member GPU(s).`, details };
}

/** The farm steps, after the single-machine ones (field-test-steps.ts). */
export function farmSteps(o: { waitMs: number }): FieldStep<FieldContext>[] {
  const long = o.waitMs + 60_000;
  const noFarm: StepOutcome = { ok: false, summary: 'This machine is not a farm controller.', fix: 'Run "riglease doctor --field --farm" on the controller (the machine that made the join code).' };
  return [
    {
      id: 'farm-nodes',
      title: 'Every farm member is a Ready node at its own LAN address',
      needs: ['k3s'],
      timeoutMs: long,
      run: (ctx, signal, trace) =>
        !ctx.farm
          ? Promise.resolve(noFarm)
          : poll(ctx, signal, async () => {
              const r = await kubectlRead(ctx, ['get', 'nodes'], listOf(KubeNode), signal, trace);
              return r.outcome ?? withRun(r.run, judgeFarmNodes(r.data!.items, ctx.farm!));
            }),
    },
    {
      id: 'farm-placement',
      title: 'Provider, gateway and cert-manager run on the controller',
      needs: ['charts'],
      timeoutMs: long,
      run: (ctx, signal, trace) =>
        !ctx.farm
          ? Promise.resolve(noFarm)
          : poll(ctx, signal, async () => {
              const r = await kubectlRead(ctx, ['get', 'pods', '--all-namespaces'], listOf(KubePod), signal, trace);
              return r.outcome ?? withRun(r.run, judgeFarmPlacement(r.data!.items, ctx.farm!));
            }),
    },
    {
      id: 'farm-inventory',
      title: "Akash's inventory lists each member's GPUs (node labels)",
      needs: ['farm-nodes', 'charts'],
      timeoutMs: long,
      run: (ctx, signal, trace) =>
        !ctx.farm
          ? Promise.resolve(noFarm)
          : poll(ctx, signal, async () => {
              const r = await kubectlRead(ctx, ['get', 'nodes'], listOf(KubeNode), signal, trace);
              return r.outcome ?? withRun(r.run, judgeMemberInventory(r.data!.items, ctx.farm!));
            }),
    },
  ];
}
