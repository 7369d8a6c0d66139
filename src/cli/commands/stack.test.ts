import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleCli, runBundledCli, type CliRun } from '../../../test/cli-bundle.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StackActionResult, StackLogs, StackPlan, StackStatus } from '../../api/schemas/stack.js';
import { TaskSnapshot } from '../../api/schemas/task.js';
import { fixtureGpus } from '../../../test/stack/fixture-gpus.js';
import { fakeNvidiaSmiEnv } from '../../../test/fake-nvidia-smi/index.js';
import { testDockerEngine } from '../../../test/docker/engine.js';
import { cleanup, freePortRun, objectsOf, stackStandIn } from '../../../test/stack/stack-env.js';

const CAPTURE = 'rtx4090_535.86.05_1gpu.xml';
const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
// Bundled once like dist/cli.js, so each spawn does not re-compile the sources under tsx.
const BUNDLE_DIR = path.join(ROOT, 'node_modules', '.cache', `riglease-stack-cli-test-${process.pid}`);
const MAIN = path.join(BUNDLE_DIR, 'cli.js');

const engine = await testDockerEngine();
const d = engine.ok ? describe : describe.skip;
if (!engine.ok) console.warn(`stack CLI tests skipped: ${engine.reason}`);

let home: string;
/** The local mirror of shared/upstream the CRDs come from (test/global-setup.ts): the CLI never reaches the internet. */
const MIRROR = { RIGLEASE_ARTIFACT_MIRROR: process.env['RIGLEASE_ARTIFACT_MIRROR'] ?? '' };
let standIn: string;
const prefix = `rlc-${process.pid.toString(36)}`;

function riglease(args: string[]): Promise<CliRun> {
  const env = { ...fakeNvidiaSmiEnv({ xml: CAPTURE }), RIGLEASE_HOME: home, DOCKER_HOST: engine.ok ? engine.host : '', ...MIRROR };
  return runBundledCli(MAIN, args, env);
}

/** --json prints exactly one JSON object: the whole of stdout parses as one. */
function one(run: CliRun): unknown {
  const value = JSON.parse(run.stdout) as unknown;
  expect(typeof value === 'object' && value !== null && !Array.isArray(value)).toBe(true);
  return value;
}

d('riglease stack (the real CLI against the real Docker engine)', () => {
  beforeAll(async () => {
    if (!engine.ok) return;
    standIn = await stackStandIn(engine.docker);
    await bundleCli(path.dirname(MAIN));
    home = await mkdtemp(path.join(os.tmpdir(), 'riglease-stack-cli-'));
  });
  afterAll(async () => {
    if (engine.ok) await cleanup(engine.docker, prefix);
    await rm(BUNDLE_DIR, { recursive: true, force: true });
    if (home) await rm(home, { recursive: true, force: true });
  });

  it('stack plan --json: the image setting, the scanned GPU in DeviceRequests, the egress block; nothing created', async () => {
    expect((await riglease(['settings', 'set', 'stack.images.k3s', standIn])).code).toBe(0);
    expect((await riglease(['settings', 'set', 'stack.namePrefix', prefix])).code).toBe(0);
    const run = await riglease(['stack', 'plan', '--json']);
    expect(run.code, run.stderr).toBe(0);
    const plan = StackPlan.parse(one(run));
    const c = plan.containers[0]!;
    expect(c.image).toBe(standIn);
    expect(c.name).toBe(`${prefix}-k3s`);
    const create = c.create as { HostConfig: { Privileged: boolean; DeviceRequests: { Count: number; DeviceIDs: string[] }[]; RestartPolicy: { Name: string } } };
    expect(create.HostConfig.Privileged).toBe(true);
    expect(create.HostConfig.RestartPolicy.Name).toBe('unless-stopped');
    // stack.gpus defaults to "all": every GPU (Count -1), since the privileged container sees them all anyway.
    expect(fixtureGpus(CAPTURE)).toHaveLength(1);
    expect(create.HostConfig.DeviceRequests.map((r) => [r.Count, r.DeviceIDs])).toEqual([[-1, []]]);
    expect(plan.egressRules).toContainEqual(expect.objectContaining({ cidr: '192.168.0.0/16', action: 'drop' }));
    expect(plan.egressRules).toContainEqual(expect.objectContaining({ cidr: '169.254.0.0/16', action: 'drop' }));
    expect(plan.manifests.map((m) => m.component)).toContain('nvidia-device-plugin');
    // What k3s applies, in its order: namespaces, then the pinned CRDs (with where each comes from), then the charts.
    const order = plan.applyOrder.map((a) => a.kind);
    expect(order[0]).toBe('namespace');
    expect(order.lastIndexOf('crd')).toBeLessThan(order.indexOf('chart'));
    expect(plan.remoteManifests.find((r) => r.name === 'akash')).toMatchObject({ url: expect.stringMatching(/^https:\/\/raw\.githubusercontent\.com\/akash-network\/provider\/[0-9a-f]{40}\//), sha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(plan.manifests.map((m) => m.component)).toEqual(expect.arrayContaining(['nginx-gateway-fabric', 'cert-manager']));
    // No wallet wired yet: the provider chart is left out, and the plan says why.
    expect(plan.manifests.map((m) => m.component)).not.toContain('akash-provider');
    expect(plan.notes.join(' ')).toMatch(/No provider wallet yet/);
    if (!engine.ok) return;
    expect(await objectsOf(engine.docker, prefix)).toEqual({ containers: [], volumes: [], networks: [] });
  });

  it('up, up again, status from a fresh process, logs, down, uninstall without and with --purge', async () => {
    if (!engine.ok) return;
    const base = await freePortRun(6);
    const settings = {
      stack: {
        namePrefix: prefix,
        images: { k3s: standIn },
        gpus: [],
        ports: { http: base, https: base + 1, gateway: base + 2, grpc: base + 3, nodePortStart: base + 4, nodePortCount: 2 },
        readyTimeoutSec: 0,
        minFreeDiskGiB: 0,
      },
    };
    await writeFile(path.join(home, 'settings.json'), JSON.stringify({ version: 1, data: settings }));

    const up = await riglease(['stack', 'up', '--json']);
    expect(up.code, up.stderr).toBe(0);
    const snap = TaskSnapshot.parse(one(up));
    expect(snap).toMatchObject({ kind: 'stack.up', state: 'succeeded', step: 8, of: 8 });
    // Progress and the live log went to stderr while it ran, not into the JSON.
    expect(up.stderr).toContain('Creating the k3s container');
    expect(up.stderr).toContain('Writing the Helm chart manifests into k3s');
    const first = snap.result as { containerId: string; changed: boolean };
    expect(first.changed).toBe(true);

    const again = TaskSnapshot.parse(one(await riglease(['stack', 'up', '--json'])));
    expect(again.result).toMatchObject({ changed: false, containerId: first.containerId });

    // Every CLI call is a new agent: this is "the app restarted" and must show the true state.
    const st = StackStatus.parse(one(await riglease(['stack', 'status', '--json'])));
    expect(st.overall).toBe('starting');
    expect(st.components.find((x) => x.name === 'container')).toMatchObject({ state: 'running' });
    expect(st.components.find((x) => x.name === 'k3s-api')).toMatchObject({ state: 'unknown' });
    expect(st.volumes).toHaveLength(4);

    const logs = StackLogs.parse(one(await riglease(['stack', 'logs', 'k3s', '--tail', '20', '--json'])));
    expect(logs.lines.map((l) => l.line).join('\n')).toContain('egress block applied');
    const badComponent = await riglease(['stack', 'logs', 'nope']);
    expect(badComponent.code).toBe(2);
    expect(badComponent.stderr).toContain('akash-provider');

    const down = StackActionResult.parse(one(await riglease(['stack', 'down', '--json'])));
    expect(down).toMatchObject({ changed: true });
    expect(down.message).toMatch(/leases/);
    expect(StackStatus.parse(one(await riglease(['stack', 'status', '--json']))).overall).toBe('stopped');

    const refused = await riglease(['stack', 'uninstall', '--purge', '--json']);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toBe('');
    expect(refused.stderr).toMatch(/ERASES its data volumes/);
    expect(refused.stderr).toContain('--yes');
    expect((await objectsOf(engine.docker, prefix)).containers).toHaveLength(1);

    const kept = StackActionResult.parse(one(await riglease(['stack', 'uninstall', '--yes', '--json'])));
    expect(kept.message).toMatch(/Data volumes kept/);
    expect(await objectsOf(engine.docker, prefix)).toMatchObject({ containers: [], networks: [] });
    expect((await objectsOf(engine.docker, prefix)).volumes).toHaveLength(4);

    const purged = await riglease(['stack', 'uninstall', '--purge', '--yes', '--json']);
    expect(purged.code, purged.stderr).toBe(0);
    expect(await objectsOf(engine.docker, prefix)).toEqual({ containers: [], volumes: [], networks: [] });
  });

  it('Ctrl-C during up cancels it cleanly: exit 1, the task says cancelled, what was finished is kept', async () => {
    if (!engine.ok) return;
    const base = await freePortRun(6);
    const settings = {
      stack: {
        namePrefix: `${prefix}c`,
        images: { k3s: standIn },
        gpus: [],
        ports: { http: base, https: base + 1, gateway: base + 2, grpc: base + 3, nodePortStart: base + 4, nodePortCount: 2 },
        // The stand-in never answers as k3s, so up waits here until cancelled.
        readyTimeoutSec: 600,
        minFreeDiskGiB: 0,
      },
    };
    await writeFile(path.join(home, 'settings.json'), JSON.stringify({ version: 1, data: settings }));
    try {
      const env = { ...fakeNvidiaSmiEnv({ xml: CAPTURE }), RIGLEASE_HOME: home, DOCKER_HOST: engine.host, ...MIRROR };
      const child = spawn(process.execPath, [MAIN, 'stack', 'up', '--json'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
      const waiting = new Promise<void>((resolve) => {
        child.stderr.on('data', (b: Buffer) => {
          stderr += b.toString();
          if (stderr.includes('Waiting for the k3s API')) resolve();
        });
      });
      await waiting;
      const sentAt = Date.now();
      child.kill('SIGINT');
      const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
      expect(Date.now() - sentAt).toBeLessThan(15_000);
      expect(code).toBe(1);
      expect(TaskSnapshot.parse(JSON.parse(stdout))).toMatchObject({ state: 'cancelled', failedStep: 7 });
      expect(stderr).toContain('Cancelling');
      // The container was finished before the cancel: it stays, and status says so.
      expect((await objectsOf(engine.docker, `${prefix}c`)).containers).toEqual([`/${prefix}c-k3s`]);
    } finally {
      await cleanup(engine.docker, `${prefix}c`);
    }
  });
});
