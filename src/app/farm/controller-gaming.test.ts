import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AvailabilitySetResult } from '../../api/methods/availability.js';
import { FarmBidding, FarmJoinResult, FarmStatus, FarmToken } from '../../api/schemas/farm.js';
import { PricingView } from '../../api/schemas/pricing.js';
import { BID_CONFIG_NAME } from '../../provider/pricing/bid-script.js';
import { DEVICE_PLUGIN_FILE } from '../../provider/stack/cluster-gpu-manifests.js';
import { MANIFEST_DIR } from '../../provider/stack/names.js';
import { PROVIDER_CONFIG_NODE_DIR } from '../../provider/stack/node-file.js';
import { makeTar } from '../../provider/stack/tar.js';
import { bundleCli } from '../../../test/cli-bundle.js';
import { testGpuDockerEngine } from '../../../test/docker/engine.js';
import { readFrom, until } from '../../../test/farm/container-wait.js';
import { controllerSettings, FarmMachine } from '../../../test/farm/farm-machine.js';
import { cleanup, freePortRun, stackStandIn } from '../../../test/stack/stack-env.js';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const BUNDLE_DIR = path.join(ROOT, 'node_modules', '.cache', `riglease-farm-gaming-test-${process.pid}`);
const MAIN = path.join(BUNDLE_DIR, 'cli.js');
// The form of k3s's node-token: K10<sha256 of the cluster CA>::server:<password>.
const NODE_TOKEN = 'K10a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f90::server:0f1e2d3c4b5a69788796a5b4c3d2e1f0';
// kubectl in the controller's k3s stand-in: records every call (the lease query answers an empty List).
const KUBECTL = '#!/bin/sh\nif [ "$1 $2" = "get namespaces,pods" ]; then echo \'{"apiVersion":"v1","kind":"List","items":[]}\'; exit 0; fi\necho "$@" >> /tmp/kubectl-calls\n';

const engine = await testGpuDockerEngine();
const d = engine.ok ? describe : describe.skip;
if (!engine.ok) console.warn(`farm controller gaming tests skipped: ${engine.reason}`);

/**
 * "Gaming mode on one machine pauses only that machine", on the controller too: a controller
 * whose GPU runs a browser (a real RTX 3080 capture listing msedge) and one member (RTX 4090),
 * each a `riglease serve` on the real engine. Alone, the controller's gaming pauses the bid table
 * (as a single rig does); with a member, it cordons only the controller's node and the table
 * keeps bidding for the member; the whole farm is paused only by its own switch.
 */
d('farm controller: its own gaming pauses only its node; the whole farm pauses only on purpose', () => {
  const docker = engine.ok ? engine.docker : (null as unknown as Docker);
  let prefix = '';
  let memberPrefix = '';
  let a: FarmMachine; // controller, RTX 3080 with msedge on the GPU
  let b: FarmMachine; // member, RTX 4090
  let code = '';
  const k3s = () => `${prefix}-k3s`;
  const statusOf = async () => FarmStatus.parse(await a.ok('farm.status'));
  const table = async () => {
    const view = PricingView.parse(await a.ok('pricing.get'));
    const delivered = await readFrom(docker, k3s(), `${PROVIDER_CONFIG_NODE_DIR}/${BID_CONFIG_NAME}`);
    return { paused: view.bidScript.paused, reason: view.bidScript.pausedReason, inProvider: delivered === null ? null : (JSON.parse(delivered) as { paused: boolean }).paused };
  };
  const calls = async () => (await readFrom(docker, k3s(), '/tmp/kubectl-calls'))?.split('\n').filter(Boolean) ?? [];
  /** The NVIDIA device plugin's HelmChart in the controller's k3s auto-deploy folder (k3s installs what appears there). */
  const devicePlugin = () => readFrom(docker, k3s(), `${MANIFEST_DIR}/${DEVICE_PLUGIN_FILE}`);

  beforeAll(async () => {
    await bundleCli(path.dirname(MAIN));
    const standIn = await stackStandIn(docker);
    const host = engine.ok ? engine.host : '';
    [a, b] = await Promise.all([
      FarmMachine.create('ga', MAIN, { xml: 'rtx3080_536.40_1gpu.xml' }, host),
      FarmMachine.create('gb', MAIN, { xml: 'rtx4090_535.86.05_1gpu.xml' }, host),
    ]);
    await Promise.all([a.start(), b.start()]);
    prefix = `rlga-${process.pid.toString(36)}`;
    memberPrefix = `rlgb-${process.pid.toString(36)}`;
    const [fleetPort, base, k3sPort] = [await freePortRun(1), await freePortRun(6), await freePortRun(4)];
    await a.set(controllerSettings({ prefix, standIn, name: 'gaming-a', fleetPort, base, k3sPort }));
    const [kubelet, vxlan] = [await freePortRun(1), await freePortRun(1)];
    await b.set({ 'stack.namePrefix': memberPrefix, 'stack.images.k3s': standIn, 'farm.machineName': 'gaming-b', 'farm.heartbeatSec': 1, 'farm.kubeletPort': kubelet, 'farm.vxlanPort': vxlan, 'farm.wireguardPort': await freePortRun(1) });
    const task = async (id: string, what: string) => {
      const t = await until(what, async () => {
        const x = await a.ok<{ state: string; error?: { message: string } }>('task.get', { id });
        return x.state !== 'running' && x;
      }, 90_000);
      expect(t.state, t.error?.message).toBe('succeeded');
    };
    await task((await a.ok<{ id: string }>('stack.up')).id, 'the controller\'s stack up');
    await docker.getContainer(k3s()).putArchive(makeTar([{ name: 'var/lib/rancher/k3s/server/node-token', body: Buffer.from(`${NODE_TOKEN}\n`), mode: 0o600 }]), { path: '/' });
    const t = FarmToken.parse(await a.ok('farm.token', { validMinutes: 30 }));
    code = t.code;
    if (t.stack?.task) await task(t.stack.task.id, 'the stack re-created for the farm');
    await docker.getContainer(k3s()).putArchive(makeTar([{ name: 'bin/kubectl', body: Buffer.from(KUBECTL), mode: 0o755 }, { name: 'tmp/kubectl-calls', body: Buffer.alloc(0), mode: 0o666 }]), { path: '/' });
  }, 180_000);

  afterAll(async () => {
    await Promise.all([a, b].filter(Boolean).map((m) => m.dispose()));
    if (engine.ok) {
      if (prefix) await cleanup(docker, prefix);
      if (memberPrefix) await cleanup(docker, memberPrefix);
    }
    await rm(BUNDLE_DIR, { recursive: true, force: true });
  });

  it('alone (a controller with no member yet), its gaming pauses the bid table as a single rig does; its node is left alone', async () => {
    const s = AvailabilitySetResult.parse(await a.ok('availability.set', { mode: 'online' })).status;
    expect(s).toMatchObject({ activity: 'gaming', bidding: false });
    expect(s.gaming.processes.join(' ')).toMatch(/msedge/);
    const t = await until('the table paused for gaming', async () => {
      const x = await table();
      return x.paused && x.inProvider === true && x;
    });
    expect(t.reason).toMatch(/msedge/);
    expect((await calls()).filter((c) => c.startsWith('cordon'))).toEqual([]);
    expect((await statusOf()).machines[0]!.node.intent).toBe('schedulable');
    // Its stack has no GPU (stack.gpus: []): no device plugin in its cluster yet.
    expect(await devicePlugin()).toBeNull();
  }, 30_000);

  it('a second machine joins (code pasted → listed with its GPU in the fleet view); the controller\'s gaming now cordons only its own node and the farm bids for the member', async () => {
    const started = performance.now();
    const r = FarmJoinResult.parse(await b.ok('farm.join', { code }));
    const joined = performance.now();
    const listed = await until('the member listed with its GPU', async () => {
      const x = await statusOf();
      const row = x.machines.find((m) => m.hostname === 'gaming-b');
      return row && row.gpus.length === 1 && row.reachability === 'online' && row;
    }, 30_000, 50);
    const seconds = (performance.now() - started) / 1000;
    // The machine time of "adds a second machine": from the pasted code to the fleet view listing it with its GPU.
    console.log(`farm join: code pasted → node ${r.nodeName} listed with ${listed.gpus[0]!.name} in the fleet view: ${seconds.toFixed(2)} s (join call ${((joined - started) / 1000).toFixed(2)} s)`);
    expect(listed.gpus[0]!.name).toBe('NVIDIA GeForce RTX 4090');
    expect(seconds).toBeLessThan(60);

    // The daemon's loop sees the member: the controller's own gaming moves from the table to its node.
    let last: unknown = null;
    const ctl = await until('the controller\'s node cordoned for its own gaming', async () => {
      const row = (await statusOf()).machines[0]!;
      last = row.node;
      return row.node.intent === 'cordoned' && row.node.applied && row;
    }, 10_000, 100).catch(async (err: unknown) => {
      // What the daemon knew: its availability history and its farm file.
      const hist = await a.ok('availability.history', {}).catch((e: unknown) => String(e));
      const farm = await readFile(path.join(a.home, 'state', 'farm.json'), 'utf8').catch((e: unknown) => String(e));
      throw new Error(`${String(err)}: ${JSON.stringify(last)}; availability ${JSON.stringify(hist)}; farm.json ${farm.slice(0, 2500)}`);
    });
    expect(ctl).toMatchObject({ role: 'controller', availability: 'gaming' });
    expect(ctl.node.reason).toMatch(/this machine itself is not bidding .*msedge.*the other machines keep bidding/);
    expect(await calls()).toEqual([`cordon ${ctl.nodeName}`]);
    console.log(`controller cordoned for its own gaming ${((performance.now() - joined) / 1000).toFixed(1)} s after the join`);
    // The member brought a GPU: the GPU-less controller's k3s gets the device plugin now, not at its next `stack up`.
    const plugin = await until('the device plugin in the controller\'s k3s', devicePlugin, 10_000, 100);
    expect(plugin).toMatch(/kind: HelmChart[\s\S]*nvidia-device-plugin/);
    expect(await readFrom(docker, k3s(), `${MANIFEST_DIR}/riglease-nvidia-runtimeclass.yaml`)).toMatch(/handler: nvidia/);
    expect(await readFrom(docker, k3s(), `${MANIFEST_DIR}/riglease-0-namespaces.yaml`)).toContain('nvidia-device-plugin');
    const t = await until('the table bidding again', async () => {
      const x = await table();
      return !x.paused && x.inProvider === false && x;
    });
    expect(t.paused).toBe(false);
    // The member keeps bidding: its node takes leases.
    const row = (await statusOf()).machines.find((m) => m.hostname === 'gaming-b')!;
    expect(row.node.intent).toBe('schedulable');
    expect((await calls()).some((c) => c.includes(row.nodeName))).toBe(false);
    // Still gaming: the controller's availability says so, and a re-check changes nothing.
    const own = await a.ok<{ activity: string; bidding: boolean; controllerOfFarm?: { members: number }; notes: string[] }>('availability.get');
    expect(own).toMatchObject({ activity: 'gaming', bidding: false, controllerOfFarm: { members: 1 } });
    // What the tray and the Availability screen say: only this machine is paused.
    expect(own.notes.join(' ')).toMatch(/Only this machine is paused: its node is cordoned and the farm's 1 other machine keeps bidding/);
    expect((await table()).paused).toBe(false);
  }, 60_000);

  it('the whole farm is paused only on purpose (`farm pause --all`, another process): the bid table; resumed, the farm bids and the controller stays cordoned', async () => {
    const cli = await a.cli(['farm', 'pause', '--all', '--reason', 'maintenance', '--json']);
    expect(cli.code, cli.stderr).toBe(0);
    const p = FarmBidding.parse(JSON.parse(cli.stdout));
    expect(p).toMatchObject({ paused: true, reason: 'maintenance', tablePaused: true });
    expect(p.message).toMatch(/whole farm is paused: the provider bids for none of its 2 machines/);
    // The running daemon (a separate process) follows within its loop, and says why in the table.
    const t = await until('the daemon\'s table paused for the farm', async () => {
      const x = await table();
      return x.paused && x.inProvider === true && x;
    });
    expect(t.reason).toMatch(/whole farm is paused \(maintenance\)/);
    expect((await statusOf()).bidding).toMatchObject({ paused: true, reason: 'maintenance' });
    // One machine's pause is still the machine's: its node, not the table.
    expect((await statusOf()).machines.find((m) => m.hostname === 'gaming-b')!.node.intent).toBe('schedulable');

    const r = FarmBidding.parse(await a.ok('farm.resumeAll'));
    expect(r).toMatchObject({ paused: false, tablePaused: false });
    expect(r.message).toMatch(/whole farm bids again \(except gaming-a, whose own node stays cordoned\)/);
    expect(await table()).toMatchObject({ paused: false, inProvider: false });
    expect((await statusOf()).machines[0]!.node.intent).toBe('cordoned');
  }, 30_000);

  it('the fleet view\'s resume of the controller does not lift its own gaming; when the last member leaves, gaming pauses the table again and the node is uncordoned', async () => {
    const res = await a.ok<{ message: string }>('farm.resume', { machine: 'gaming-a' });
    expect(res.message).toMatch(/stays cordoned: this machine itself is not bidding/);
    expect((await statusOf()).machines[0]!.node.intent).toBe('cordoned');

    await a.ok('farm.remove', { machine: 'gaming-b', confirm: true });
    const t = await until('the table paused for gaming again', async () => {
      const x = await table();
      return x.paused && x.inProvider === true && x;
    });
    expect(t.reason).toMatch(/msedge/);
    const ctl = await until('the controller\'s node uncordoned', async () => {
      const row = (await statusOf()).machines[0]!;
      return row.node.intent === 'schedulable' && row;
    });
    expect((await calls()).at(-1)).toBe(`uncordon ${ctl.nodeName}`);
  }, 40_000);
});
