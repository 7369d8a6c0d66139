import type Docker from 'dockerode';
import { afterAll, describe, expect, it } from 'vitest';
import { testDockerEngine } from '../../../test/docker/engine.js';
import { fixtureGpus } from '../../../test/stack/fixture-gpus.js';
import { cleanup, stackEnv } from '../../../test/stack/stack-env.js';
import { execIn } from './exec.js';
import { INVENTORY_LINKS } from './gpu-labels.js';
import { makeTar } from './tar.js';

const engine = await testDockerEngine();
const d = engine.ok ? describe : describe.skip;

/**
 * A kubectl for the k3s stand-in: /readyz answers ok, `get node` prints the node a test put in
 * /standin-gpu/node.json (a v1 Node: metadata.labels as the operator left them), anything else
 * fails; every call is recorded, so a test sees whether RigLease tried to label the node.
 */
const FAKE_KUBECTL = `#!/bin/sh
echo "$*" >> /standin-gpu/calls.log
case "$*" in
  "get --raw /readyz") echo ok ;;
  "get node "*) cat /standin-gpu/node.json ;;
  *) echo "stand-in kubectl: $*" >&2; exit 1 ;;
esac
`;

const MODEL = 'akash.network/capabilities.gpu.vendor.nvidia.model.rtx4090';
const nodeJson = (name: string, labels: Record<string, string>) => JSON.stringify({ apiVersion: 'v1', kind: 'Node', metadata: { name, labels: { 'kubernetes.io/hostname': name, ...labels } } });

d('GPU inventory status against the real engine (stand-in k3s + kubectl)', () => {
  let docker: Docker;
  const prefixes: string[] = [];
  afterAll(async () => {
    for (const p of prefixes) await cleanup(docker, p);
  });

  it('no Akash --node-label on k3s (only RigLease\'s own); a GPU the operator did not list says why and what to do, and nothing relabels the node', async () => {
    if (!engine.ok) return;
    docker = engine.docker;
    // The captured Gigabyte RTX 4090 (board-partner sub-vendor 1458). This engine has no GPU
    // runtime, so the stack goes up CPU-only and the GPU is selected afterwards for status.
    const e = await stackEnv(docker, {}, fixtureGpus('rtx4090_535.86.05_1gpu.xml'));
    prefixes.push(e.prefix);
    expect((await e.tasks.wait(e.service.up().id)).state).toBe('succeeded');
    const c = docker.getContainer(`${e.prefix}-k3s`);
    const info = await c.inspect();
    const put = (files: { name: string; body: string; mode?: number }[]) =>
      c.putArchive(makeTar(files.map((f) => ({ name: f.name, body: Buffer.from(f.body), ...(f.mode ? { mode: f.mode } : {}) }))), { path: '/' });
    await put([
      { name: 'bin/kubectl', body: FAKE_KUBECTL, mode: 0o755 },
      { name: 'standin-gpu/calls.log', body: '' },
      // What the inventory operator leaves on a node whose GPU it did not detect.
      { name: 'standin-gpu/node.json', body: nodeJson(info.Config.Hostname, { 'akash.network': 'true' }) },
    ]);

    e.set({ gpus: 'all' });
    // The planned container (with the GPU) carries no Akash node label either: only RigLease's
    // own (the node the provider is pinned to, and the GPU-node label the device plugin selects).
    const planned = (await e.service.plan()).containers[0]!.create as { Cmd: string[] };
    expect(planned.Cmd.filter((a) => a.startsWith('--node-label'))).toEqual(['--node-label=allow-nvdp=true', '--node-label=riglease.io/farm-role=controller']);
    const running = (info.Config.Cmd ?? []).filter((a) => a.startsWith('--node-label'));
    expect(running).toContain('--node-label=riglease.io/farm-role=controller');
    expect(running.every((a) => ['--node-label=allow-nvdp=true', '--node-label=riglease.io/farm-role=controller'].includes(a))).toBe(true);

    const s = await e.service.status();
    expect(s.components.find((x) => x.name === 'k3s-api')?.state).toBe('ready');
    expect(s.gpus).toHaveLength(1);
    expect(s.gpus[0]).toMatchObject({ name: 'NVIDIA GeForce RTX 4090', state: 'missing' });
    expect(s.gpus[0]!.detail).toContain(INVENTORY_LINKS.aibIssue);
    expect(s.gpus[0]!.detail).toContain('sudo modprobe nvidia_drm');
    // The cause is read from the container's own /sys (the host's): the status names what is there.
    const drm = await execIn(c, ['sh', '-c', 'ls /sys/class/drm'], { timeoutMs: 10_000 });
    if (drm.exitCode !== 0) expect(s.gpus[0]!.detail).toContain('this machine has no /sys/class/drm at all');
    else if (!drm.stdout.split(/\s+/).some((n) => /^card\d+$/.test(n))) expect(s.gpus[0]!.detail).toContain('/sys/class/drm has no card for 0000:84:00.0');

    // The operator recognises it (its labels appear): status follows, still without RigLease writing.
    await put([{ name: 'standin-gpu/node.json', body: nodeJson(info.Config.Hostname, { 'akash.network': 'true', [MODEL]: '1', [`${MODEL}.ram.24Gi`]: '1', [`${MODEL}.interface.PCIe`]: '1' }) }]);
    const s2 = await e.service.status();
    expect(s2.gpus[0]).toMatchObject({ state: 'labelled' });
    expect(s2.gpus[0]!.detail).toMatch(/Recognised by Akash's inventory/);

    const calls = (await execIn(c, ['cat', '/standin-gpu/calls.log'], { timeoutMs: 10_000 })).stdout.split('\n').filter(Boolean);
    expect(calls.filter((l) => l.startsWith('get node '))).toHaveLength(2);
    expect(calls.filter((l) => /^(label|patch|annotate)\b/.test(l))).toEqual([]);
  }, 90_000);
});
