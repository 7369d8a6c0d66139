import net from 'node:net';
import type Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { testDockerEngine } from '../../../test/docker/engine.js';
import { cleanup, objectsOf, stackEnv, stackStandIn, type StackEnv } from '../../../test/stack/stack-env.js';
import { fixtureGpus } from '../../../test/stack/fixture-gpus.js';
import { readManifests } from './manifest-sync.js';
import { readTar } from './tar.js';

const engine = await testDockerEngine();
const d = engine.ok ? describe : describe.skip;
if (!engine.ok) console.warn(`stack integration tests skipped: ${engine.reason}`);

let docker: Docker;
const prefixes: string[] = [];

async function env(...args: Parameters<typeof stackEnv> extends [unknown, ...infer R] ? R : never): Promise<StackEnv> {
  const e = await stackEnv(docker, ...args);
  prefixes.push(e.prefix);
  return e;
}

async function up(e: StackEnv) {
  const ref = e.service.up();
  return e.tasks.wait(ref.id);
}

async function readFile(c: Docker.Container, path: string): Promise<string> {
  const stream = await c.getArchive({ path });
  const chunks: Buffer[] = [];
  for await (const chunk of stream as AsyncIterable<Buffer>) chunks.push(chunk);
  return [...readTar(Buffer.concat(chunks)).values()][0]!.toString('utf8');
}

d('stack lifecycle against the real Docker engine', () => {
  beforeAll(async () => {
    if (!engine.ok) return;
    docker = engine.docker;
    await stackStandIn(docker);
  });
  afterAll(async () => {
    for (const p of prefixes) await cleanup(docker, p);
  });

  it('without a contact email, up refuses before creating anything and says where to set it; status still answers', async () => {
    const e = await env({ email: '' });
    const snap = await up(e);
    expect(snap.state).toBe('failed');
    expect(snap.error).toMatchObject({ code: 'precondition_failed', fix: expect.stringContaining('chain.provider.email') });
    expect(await objectsOf(docker, e.prefix)).toEqual({ containers: [], volumes: [], networks: [] });
    const status = await e.service.status();
    expect(status.components.find((c) => c.name === 'container')?.state).toBe('missing');
    expect((await e.service.plan()).notes.join('\n')).toMatch(/No contact email yet/);
  });

  it('up creates the planned container, volumes and network, and writes the manifests', async () => {
    const e = await env();
    const snap = await up(e);
    expect(snap.error).toBeUndefined();
    expect(snap.state).toBe('succeeded');
    const plan = await e.service.plan();
    const info = await docker.getContainer(`${e.prefix}-k3s`).inspect();
    expect(info.State.Running).toBe(true);
    expect(info.HostConfig.Privileged).toBe(true);
    expect(info.HostConfig.RestartPolicy?.Name).toBe('unless-stopped');
    expect(info.Config.Labels).toMatchObject({ 'io.riglease.managed': 'true', 'io.riglease.component': 'k3s', 'io.riglease.spec-hash': plan.containers[0]!.specHash });
    expect(info.Mounts.map((m) => `${m.Name}:${m.Destination}`).sort()).toEqual(
      [`${e.prefix}-cni:/var/lib/cni`, `${e.prefix}-k3s:/var/lib/rancher/k3s`, `${e.prefix}-kubelet:/var/lib/kubelet`, `${e.prefix}-log:/var/log`].sort(),
    );
    expect(info.HostConfig.Tmpfs).toEqual({ '/run': '', '/var/run': '' });
    const p = e.settings.ports;
    expect(info.HostConfig.PortBindings?.['8443/tcp']).toEqual([{ HostIp: '', HostPort: String(p.gateway) }]);
    expect(info.HostConfig.PortBindings?.[`${p.nodePortStart + 1}/tcp`]).toEqual([{ HostIp: '', HostPort: String(p.nodePortStart + 1) }]);
    expect(Object.keys(info.NetworkSettings.Networks)).toEqual([`${e.prefix}-net`]);
    expect((await objectsOf(docker, e.prefix)).volumes).toHaveLength(4);
    // The entry script really applied the planned egress block before starting k3s.
    const c = docker.getContainer(info.Id);
    const rules = await readFile(c, '/var/log/riglease-iptables.log');
    expect(rules).toContain('-t mangle -A RIGLEASE-EGRESS -d 192.168.0.0/16 -j DROP');
    expect(rules).toContain('-t mangle -A RIGLEASE-EGRESS -d 169.254.0.0/16 -j DROP');
    expect(rules).toContain('-t mangle -I PREROUTING 1 -s 10.42.0.0/16 -j RIGLEASE-EGRESS');
    // Manifests are in k3s's auto-deploy folder on the data volume, with values from the settings.
    const files = await readManifests(c);
    // … the planned ones and the pinned CRDs (fetched from the local mirror of shared/upstream), in k3s's apply order.
    expect([...files.keys()].sort()).toEqual(plan.applyOrder.map((a) => a.file));
    expect(plan.applyOrder[0]!.file).toBe('riglease-0-namespaces.yaml');
    const crd = files.get('riglease-1-crd-akash.yaml')!;
    expect(crd.split('\n')[0]).toContain('(sha256 2a18d79a29f8438bbf9f1b983e8c6aa78cbd90ee70df3d7182f92ee3ceedbccd)');
    expect(crd).toContain('kind: CustomResourceDefinition');
    const prov = parse(files.get('riglease-akash-provider.yaml')!) as { spec: { valuesContent: string; version: string } };
    const values = parse(prov.spec.valuesContent) as Record<string, unknown>;
    expect(values).toMatchObject({ domain: e.settings.domain, chainid: e.settings.chainId, node: e.settings.rpcNode, cluster_node_port_quantity: '2', price_target_gpu_mappings: 'rtx4090=150' });
    const inv = parse((parse(files.get('riglease-akash-inventory-operator.yaml')!) as { spec: { valuesContent: string } }).spec.valuesContent) as { inventoryConfig: { cluster_storage: string[] } };
    // No GPU in this stack: `ram` is offered on GPU hosts only.
    expect(inv.inventoryConfig.cluster_storage).toEqual(['default']);
    // With the stand-in there is no kubectl: status says so honestly instead of guessing.
    const st = await e.service.status();
    expect(st.overall).toBe('starting');
    expect(st.upToDate).toBe(true);
    expect(st.components.map((x) => x.name)).toEqual(['container', 'k3s-api', ...plan.manifests.filter((m) => m.kind === 'chart').map((m) => m.component), 'provider-service']);
    expect(st.components.find((x) => x.name === 'container')).toMatchObject({ state: 'running', whyNotReady: null });
    expect(st.components.find((x) => x.name === 'container')!.ageSec).toBeGreaterThanOrEqual(0);
    expect(st.components.find((x) => x.name === 'k3s-api')).toMatchObject({ state: 'unknown' });
    expect(st.components.find((x) => x.name === 'k3s-api')!.whyNotReady).toMatch(/^unknown: k3s not answering/);
    expect(st.components.find((x) => x.name === 'akash-provider')!.state).toBe('unknown');
    const logs = await e.service.logs('k3s', 50);
    expect(logs.lines.map((l) => l.line).join('\n')).toContain('stand-in k3s server');
  });

  it('a second up changes nothing; a removed container comes back; a changed setting replaces only what depends on it', async () => {
    const e = await env();
    expect((await up(e)).state).toBe('succeeded');
    const first = await docker.getContainer(`${e.prefix}-k3s`).inspect();
    // Events are filtered by whole seconds: start a fresh one so the first up's writes are not counted.
    await new Promise((r) => setTimeout(r, 1000 - (Date.now() % 1000) + 10));
    const since = Math.floor(Date.now() / 1000);
    const again = await up(e);
    expect(again.state).toBe('succeeded');
    expect((again.result as { changed: boolean }).changed).toBe(false);
    const second = await docker.getContainer(`${e.prefix}-k3s`).inspect();
    expect(second.Id).toBe(first.Id);
    expect(second.State.StartedAt).toBe(first.State.StartedAt);
    // No Docker change at all besides our read-only exec probes.
    const evStream = await docker.getEvents({ since, until: Math.floor(Date.now() / 1000) + 1, filters: JSON.stringify({ label: [`io.riglease.stack=${e.prefix}`] }) });
    const raw: Buffer[] = [];
    for await (const chunk of evStream as AsyncIterable<Buffer>) raw.push(chunk);
    const actions = Buffer.concat(raw).toString('utf8').split('\n').filter(Boolean).map((l) => (JSON.parse(l) as { Action: string }).Action);
    expect(actions.filter((a) => !a.startsWith('exec_') && a !== 'archive-path')).toEqual([]);

    // The RPC node feeds only the provider chart: same container, one manifest rewritten.
    e.set({ rpcNode: 'https://rpc.elsewhere.example:443' });
    const rpc = await up(e);
    expect((rpc.result as { manifests: { written: string[] }; containerId: string }).manifests.written).toEqual(['riglease-akash-provider.yaml']);
    expect((rpc.result as { containerId: string }).containerId).toBe(first.Id);

    // A port feeds only the container: replaced, volumes and manifests kept.
    e.set({ ports: { ...e.settings.ports, grpc: e.settings.ports.grpc + 10000 } });
    const port = await up(e);
    expect(port.state).toBe('succeeded');
    const replaced = await docker.getContainer(`${e.prefix}-k3s`).inspect();
    expect(replaced.Id).not.toBe(first.Id);
    expect((port.result as { manifests: { written: string[] } }).manifests.written).toEqual([]);
    expect((await objectsOf(docker, e.prefix)).containers).toEqual([`/${e.prefix}-k3s`]);

    // Removed by hand: the next up brings it back on the same volumes.
    await docker.getContainer(replaced.Id).remove({ force: true });
    expect((await e.service.status()).overall).toBe('not_installed');
    const back = await up(e);
    expect(back.state).toBe('succeeded');
    const revived = await docker.getContainer(`${e.prefix}-k3s`).inspect();
    expect(revived.State.Running).toBe(true);
    expect((back.result as { created: string[] }).created).toEqual([`container ${e.prefix}-k3s`]);
    expect((back.result as { manifests: { written: string[] } }).manifests.written).toEqual([]);
  });

  it('down, start, restart, uninstall (keeps volumes) and uninstall --purge', async () => {
    const e = await env();
    expect((await up(e)).state).toBe('succeeded');
    const down = await e.service.down();
    expect(down.message).toMatch(/leases/i);
    expect((await e.service.status()).overall).toBe('stopped');
    expect((await e.service.down()).changed).toBe(false);
    expect((await e.service.start()).changed).toBe(true);
    expect((await docker.getContainer(`${e.prefix}-k3s`).inspect()).State.Running).toBe(true);
    expect((await e.service.restart()).changed).toBe(true);
    await expect(e.service.uninstall(false, false)).rejects.toThrow(/volumes \(.*-k3s.*\) are kept/);
    await expect(e.service.uninstall(true, false)).rejects.toThrow(/ERASES/);
    const un = await e.service.uninstall(false, true);
    expect(un.message).toMatch(/kept/);
    let left = await objectsOf(docker, e.prefix);
    expect(left.containers).toEqual([]);
    expect(left.networks).toEqual([]);
    expect(left.volumes).toHaveLength(4);
    // Reinstall finds its data again, then purge erases everything.
    expect((await up(e)).state).toBe('succeeded');
    expect((await readManifests(docker.getContainer(`${e.prefix}-k3s`))).size).toBeGreaterThan(0);
    await e.service.uninstall(true, true);
    left = await objectsOf(docker, e.prefix);
    expect(left).toEqual({ containers: [], volumes: [], networks: [] });
  }, 90_000); // five container lifecycle steps; ~8 s alone, but CI runs it beside other suites on 2 cores

  it('refuses a port already in use and leaves nothing behind', async () => {
    const e = await env();
    const blocker = net.createServer();
    await new Promise<void>((r) => blocker.listen({ port: e.settings.ports.gateway, host: '0.0.0.0' }, () => r()));
    try {
      const snap = await up(e);
      expect(snap.state).toBe('failed');
      expect(snap.error?.code).toBe('conflict');
      expect(snap.error?.message).toContain(String(e.settings.ports.gateway));
      expect(await objectsOf(docker, e.prefix)).toEqual({ containers: [], volumes: [], networks: [] });
    } finally {
      blocker.close();
    }
  });

  it('GPUs selected on an engine without a GPU runtime: clear error before anything is created', async () => {
    const gpus = fixtureGpus('rtx4090_535.86.05_1gpu.xml');
    const e = await env({ gpus: 'all' }, gpus);
    const plan = await e.service.plan();
    const dr = (plan.containers[0]!.create as { HostConfig: { DeviceRequests: unknown[] } }).HostConfig.DeviceRequests;
    // Every GPU (Count -1): the privileged container sees them all anyway (plan.ts GPU_SUBSET_REFUSED).
    expect(dr).toEqual([{ Driver: 'nvidia', Count: -1, DeviceIDs: [], Capabilities: [['gpu']] }]);
    const snap = await up(e);
    expect(snap.state).toBe('failed');
    expect(snap.error?.message).toMatch(/no GPU runtime/);
    expect(await objectsOf(docker, e.prefix)).toEqual({ containers: [], volumes: [], networks: [] });
  });

  it('an image that cannot be pulled, or too little disk: clear error, nothing created', async () => {
    const e = await env({ images: { k3s: '127.0.0.1:9/riglease/no-such-image:1', provider: '', devicePlugin: '', gatewayController: '', gatewayNginx: '' } });
    const snap = await up(e);
    expect(snap.state).toBe('failed');
    expect(snap.error?.code).toBe('unavailable');
    expect(snap.error?.message).toMatch(/could not be downloaded/);
    expect(await objectsOf(docker, e.prefix)).toEqual({ containers: [], volumes: [], networks: [] });
    const full = await env({ minFreeDiskGiB: 1e9 });
    const s2 = await up(full);
    expect(s2.error?.message).toMatch(/GiB free/);
    expect(await objectsOf(docker, full.prefix)).toEqual({ containers: [], volumes: [], networks: [] });
  });

  it('never touches a same-named container that is not RigLease\'s', async () => {
    const e = await env();
    const foreign = await docker.createContainer({ name: `${e.prefix}-k3s`, Image: await stackStandIn(docker) });
    try {
      const snap = await up(e);
      expect(snap.state).toBe('failed');
      expect(snap.error?.message).toMatch(/not created by RigLease/);
      expect((await foreign.inspect()).Id).toBe(foreign.id);
      await expect(e.service.uninstall(true, true)).resolves.toMatchObject({ changed: false });
      expect((await foreign.inspect()).Id).toBe(foreign.id);
    } finally {
      await foreign.remove({ force: true });
    }
  });
});
