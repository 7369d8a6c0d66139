// The farm steps' judgements over kubectl's documented shapes: a member that is a Ready node at its
// own LAN address, pods of the provider and gateway on the controller only, and each member's GPUs
// labelled by Akash's inventory operator on its node.
import { describe, expect, it } from 'vitest';
import type { FarmStatus } from '../../api/schemas/farm.js';
import { farmExpectation, farmSteps, judgeFarmNodes, judgeFarmPlacement, judgeMemberInventory, type FarmExpectation } from './field-test-farm.js';
import type { KubeNode, KubePod } from './field-test-kube-json.js';
import type { FieldProbe } from './field-test-probe.js';
import { runFieldSteps, type FieldStep } from './field-test-runner.js';
import type { FieldContext } from './field-test-steps.js';

const farm: FarmExpectation = {
  controllerNode: 'riglease-node',
  members: [{ hostname: 'box-b', node: 'rl-box-b', gpus: [{ name: 'NVIDIA GeForce RTX 3090', model: 'rtx3090' }, { name: 'NVIDIA GeForce RTX 3090', model: 'rtx3090' }] }],
};

function node(name: string, o: { ready?: boolean; ext?: string | null; labels?: Record<string, string> } = {}): KubeNode {
  return {
    metadata: { name, labels: o.labels ?? { 'riglease.io/farm-role': 'agent', 'allow-nvdp': 'true' } },
    status: { conditions: [{ type: 'Ready', status: o.ready === false ? 'False' : 'True' }], addresses: o.ext === null ? [] : [{ type: 'InternalIP', address: '172.18.0.2' }, { type: 'ExternalIP', address: o.ext ?? '192.168.1.23' }] },
  };
}
const pod = (namespace: string, name: string, nodeName?: string): KubePod => ({ metadata: { name, namespace }, ...(nodeName ? { spec: { nodeName } } : {}) });

describe('riglease doctor --field --farm: the judgements', () => {
  it('a member must be a Ready node whose ExternalIP is its LAN address, not a container address, and not labelled controller', () => {
    expect(judgeFarmNodes([node('riglease-node'), node('rl-box-b')], farm)).toMatchObject({ ok: true });
    expect(judgeFarmNodes([node('riglease-node')], farm)).toMatchObject({ ok: false, details: [expect.stringContaining('not a node of the cluster')] });
    expect(judgeFarmNodes([node('rl-box-b', { ready: false })], farm).ok).toBe(false);
    expect(judgeFarmNodes([node('rl-box-b', { ext: null })], farm).ok).toBe(false);
    expect(judgeFarmNodes([node('rl-box-b', { ext: '172.18.0.2' })], farm)).toMatchObject({ ok: false, fix: expect.stringContaining('farm.advertiseAddress') });
    expect(judgeFarmNodes([node('rl-box-b', { labels: { 'riglease.io/farm-role': 'controller' } })], farm).ok).toBe(false);
    expect(judgeFarmNodes([], { ...farm, members: [] })).toMatchObject({ ok: false, fix: expect.stringContaining('riglease farm join') });
  });

  it('provider, gateway and cert-manager pods must run on the controller; tenants and the device plugin may run anywhere', () => {
    const ok = [pod('akash-services', 'akash-provider-0', 'riglease-node'), pod('akash-gateway', 'akash-gateway-nginx-x', 'riglease-node'), pod('lease-ns', 'web-0', 'rl-box-b'), pod('nvidia-device-plugin', 'nvdp-x', 'rl-box-b')];
    expect(judgeFarmPlacement(ok, farm)).toMatchObject({ ok: true, summary: expect.stringContaining('All 2') });
    const bad = judgeFarmPlacement([...ok, pod('nginx-gateway', 'nginx-gateway-fabric-1', 'rl-box-b')], farm);
    expect(bad).toMatchObject({ ok: false, details: ['nginx-gateway/nginx-gateway-fabric-1 on rl-box-b, not riglease-node'] });
    expect(judgeFarmPlacement([pod('akash-services', 'akash-provider-0')], farm).ok).toBe(false);
  });

  it("each member's GPUs must be counted on its node by model (Akash's inventory labels), with the device plugin's label", () => {
    const listed = node('rl-box-b', { labels: { 'allow-nvdp': 'true', 'akash.network/capabilities.gpu.vendor.nvidia.model.rtx3090': '2' } });
    expect(judgeMemberInventory([listed], farm)).toMatchObject({ ok: true, summary: expect.stringContaining('all 2') });
    const one = node('rl-box-b', { labels: { 'akash.network/capabilities.gpu.vendor.nvidia.model.rtx3090': '1' } });
    expect(judgeMemberInventory([one], farm)).toMatchObject({ ok: false, summary: expect.stringMatching(/^1 of 2/), details: [expect.stringContaining('no allow-nvdp=true')] });
    const unknown = { ...farm, members: [{ hostname: 'c', node: 'rl-c', gpus: [{ name: 'Odd GPU', model: null }] }] };
    expect(judgeMemberInventory([node('rl-c')], unknown).ok).toBe(false);
  });

  it('reads the expectation from farm.status, and every farm step needs what it reads', () => {
    const status = {
      role: 'controller', controller: null, totals: { machines: 2, reachable: 2, gpus: 2 }, attributes: [], notes: [],
      machines: [
        { role: 'controller', nodeName: 'riglease-node', hostname: 'a', gpus: [] },
        { role: 'agent', nodeName: 'rl-b', hostname: 'b', gpus: [{ name: 'NVIDIA GeForce RTX 4090', akash: { model: 'rtx4090', ram: '24Gi', interface: 'pcie' } }] },
      ],
    } as unknown as FarmStatus;
    expect(farmExpectation(status)).toEqual({ controllerNode: 'riglease-node', members: [{ hostname: 'b', node: 'rl-b', gpus: [{ name: 'NVIDIA GeForce RTX 4090', model: 'rtx4090' }] }] });
    expect(farmSteps({ waitMs: 0 }).map((s) => [s.id, s.needs])).toEqual([['farm-nodes', ['k3s']], ['farm-placement', ['charts']], ['farm-inventory', ['farm-nodes', 'charts']]]);
  });
});

describe('the farm steps through the runner, kubectl answering as a two-machine cluster would', () => {
  const nodes = { kind: 'List', items: [node('riglease-node', { labels: { 'riglease.io/farm-role': 'controller' } }), node('rl-box-b', { labels: { 'riglease.io/farm-role': 'agent', 'allow-nvdp': 'true', 'akash.network/capabilities.gpu.vendor.nvidia.model.rtx3090': '2' } })] };
  const pods = { kind: 'List', items: [pod('akash-services', 'akash-provider-0', 'riglease-node'), pod('lease-ns', 'web-0', 'rl-box-b')] };
  const calls: string[] = [];
  const probe = {
    container: 'riglease-k3s',
    kubectl: async (args: string[]) => {
      calls.push(args.join(' '));
      const body = args[1] === 'nodes' ? nodes : args[1] === 'pods' ? pods : null;
      return { command: `docker exec riglease-k3s kubectl ${args.join(' ')}`, exitCode: body ? 0 : 1, stdout: body ? JSON.stringify(body) : '', stderr: body ? '' : 'unexpected' };
    },
  } as unknown as FieldProbe;
  // The single-machine steps the farm ones need, passed.
  const passed = (id: string): FieldStep<FieldContext> => ({ id, title: id, needs: [], timeoutMs: 1000, run: async () => ({ ok: true, summary: `${id} ok` }) });
  const ctx = (f: FarmExpectation | null) => ({ probe, farm: f, waitMs: 0, pollMs: 10 }) as unknown as FieldContext;

  it("passes on a controller whose member is Ready, with the provider beside it and the member's GPUs listed; read-only", async () => {
    const results = await runFieldSteps([passed('k3s'), passed('charts'), ...farmSteps({ waitMs: 0 })], ctx(farm));
    expect(results.map((r) => [r.id, r.status])).toEqual([['k3s', 'passed'], ['charts', 'passed'], ['farm-nodes', 'passed'], ['farm-placement', 'passed'], ['farm-inventory', 'passed']]);
    expect(calls).toEqual(['get nodes -o json', 'get pods --all-namespaces -o json', 'get nodes -o json']);
  });

  it('on a machine that is no controller each farm step fails saying where to run it; with its nodes failing the inventory is not run', async () => {
    const results = await runFieldSteps([passed('k3s'), passed('charts'), ...farmSteps({ waitMs: 0 })], ctx(null));
    expect(results[2]).toMatchObject({ status: 'failed', fix: expect.stringContaining('on the controller') });
    expect(results[4]).toMatchObject({ status: 'not_run' });
  });
});
