import { rm } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type Docker from 'dockerode';
import { FarmStatus, FarmToken } from '../../src/api/schemas/farm.js';
import { makeTar } from '../../src/provider/stack/tar.js';
import { bundleCli } from '../cli-bundle.js';
import { cleanup, freePortRun, stackStandIn } from '../stack/stack-env.js';
import { until } from './container-wait.js';
import { controllerSettings, FarmMachine } from './farm-machine.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
/** The form of k3s's node-token: K10<sha256 of the cluster CA>::server:<password>. */
export const FARM_NODE_TOKEN = 'K10d2f1c0ffee0123456789abcdef0123456789abcdef0123456789abcdef012345::server:5e0c2b9d8f7a6e5d4c3b2a1908f7e6d5';

/** Four `riglease serve` machines on one engine: a controller whose stack is up, and three that can join it. */
export interface FleetFarm {
  /** The bundled CLI the machines run (for a fifth machine a test starts itself). */
  main: string;
  /** rig-a, the controller (RTX 3090); its stack runs as `${ctlPrefix}-k3s`. */
  a: FarmMachine;
  /** rig-b (RTX 4090), rig-c (2 × RTX 2080), and a second "rig-b" for the refusals. */
  b: FarmMachine;
  c: FarmMachine;
  dup: FarmMachine;
  ctlPrefix: string;
  /** The k3s API port the controller publishes for the farm. */
  k3sPort: number;
  /** The stack name prefixes of b, c and dup, in that order. */
  prefixes: string[];
  statusOf(m: FarmMachine): Promise<FarmStatus>;
  /** Each join needs a code of its own: a code lets one machine in, once. */
  freshCode(): Promise<string>;
  /** A fresh code, then revoked on the controller's CLI (`farm token revoke ID`). */
  revokedCode(): Promise<string>;
  dispose(): Promise<void>;
}

/**
 * Starts the farm the fleet tests walk through: the controller's own riglease serve brings its
 * stack (the k3s server stand-in) up before it is a controller, and the node-token k3s would write
 * is put into its data volume; the other machines get stack prefixes and ports of their own.
 */
export async function startFleetFarm(docker: Docker, host: string): Promise<FleetFarm> {
  const bundleDir = path.join(ROOT, 'node_modules', '.cache', `riglease-farm-test-${process.pid}`);
  const main = path.join(bundleDir, 'cli.js');
  await bundleCli(bundleDir);
  const standIn = await stackStandIn(docker);
  const [a, b, c, dup] = await Promise.all([
    FarmMachine.create('a', main, { xml: 'rtx3090_590.44.01_1gpu.xml' }, host),
    FarmMachine.create('b', main, { xml: 'rtx4090_535.86.05_1gpu.xml' }, host),
    FarmMachine.create('c', main, { xml: 'rtx2080_590.44.01_2gpu.xml' }, host),
    FarmMachine.create('d', main, { xml: 'rtx4090_535.86.05_1gpu.xml' }, host),
  ]);
  const ctlPrefix = `rlfa-${process.pid.toString(36)}`;
  const prefixes: string[] = [];
  const dispose = async (): Promise<void> => {
    await Promise.all([a, b, c, dup].map((m) => m.dispose()));
    await cleanup(docker, ctlPrefix);
    for (const p of prefixes) await cleanup(docker, p);
    await rm(bundleDir, { recursive: true, force: true });
  };
  try {
    await Promise.all([a.start(), b.start(), c.start(), dup.start()]);
    const fleetPort = await freePortRun(1);
    const base = await freePortRun(6);
    const k3sPort = await freePortRun(4);
    await a.set({ ...controllerSettings({ prefix: ctlPrefix, standIn, name: 'rig-a', fleetPort, base, k3sPort }), 'farm.unreachableAfterSec': 3 });
    // Before it is a farm controller: no farm ports published yet.
    const ref = await a.ok<{ id: string }>('stack.up');
    const up = await until('the controller\'s stack up', async () => {
      const t = await a.ok<{ state: string; error?: { message: string } }>('task.get', { id: ref.id });
      return t.state !== 'running' && t;
    }, 90_000);
    if (up.state !== 'succeeded') throw new Error(`the controller's stack did not come up: ${up.error?.message ?? up.state}`);
    // k3s writes its node-token when it starts; the stand-in does not, so this does what k3s would (k3s's data volume).
    await docker.getContainer(`${ctlPrefix}-k3s`).putArchive(makeTar([{ name: 'var/lib/rancher/k3s/server/node-token', body: Buffer.from(`${FARM_NODE_TOKEN}\n`), mode: 0o600 }]), { path: '/' });
    for (const [m, name] of [[b, 'rig-b'], [c, 'rig-c'], [dup, 'rig-b']] as const) {
      const prefix = `rlf${name.slice(-1)}${m === dup ? 'd' : ''}-${process.pid.toString(36)}`;
      prefixes.push(prefix);
      const [kubelet, vxlan] = [await freePortRun(1), await freePortRun(1)];
      await m.set({ 'stack.namePrefix': prefix, 'stack.images.k3s': standIn, 'farm.machineName': name, 'farm.heartbeatSec': 1, 'farm.kubeletPort': kubelet, 'farm.vxlanPort': vxlan, 'farm.wireguardPort': await freePortRun(1) });
    }
    const freshCode = async (): Promise<string> => FarmToken.parse(await a.ok('farm.token', { validMinutes: 30 })).code;
    const revokedCode = async (): Promise<string> => {
      const t = FarmToken.parse(await a.ok('farm.token', { validMinutes: 30 }));
      const run = await a.cli(['farm', 'token', 'revoke', t.tokenId!]);
      if (run.code !== 0 || !run.stdout.includes(`Join code ${t.tokenId!} is revoked`)) throw new Error(`farm token revoke did not say the code is revoked (exit ${run.code}): ${run.stdout}${run.stderr}`);
      return t.code;
    };
    return { main, a, b, c, dup, ctlPrefix, k3sPort, prefixes, statusOf: async (m) => FarmStatus.parse(await m.ok('farm.status')), freshCode, revokedCode, dispose };
  } catch (err) {
    await dispose();
    throw err;
  }
}
