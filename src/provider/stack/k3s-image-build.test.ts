import { randomBytes } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TaskSnapshot } from '../../api/schemas/task.js';
import { testDockerEngine } from '../../../test/docker/engine.js';
import { k3sSourceStandIn, ubuntuBaseStandIn } from '../../../test/stack/k3s-build-stand-ins.js';
import { cleanup, stackEnv, type StackEnv } from '../../../test/stack/stack-env.js';
import { parseBuildLine } from './image-build.js';
import type { K3sImageSource } from './k3s-image.js';
import { readTar } from './tar.js';

const engine = await testDockerEngine();
const d = engine.ok ? describe : describe.skip;
if (!engine.ok) console.warn(`k3s image build tests skipped: ${engine.reason}`);

const CONTEXT = fileURLToPath(new URL('../../../resources/stack/k3s-cuda', import.meta.url));
const run = randomBytes(3).toString('hex');
const K3S_SRC = `riglease-test-k3s-src:${run}`;
const BASE = `riglease-test-ubuntu:${run}`;
const SLOW_BASE = `riglease-test-ubuntu-slow:${run}`;
let docker: Docker;
const prefixes: string[] = [];
const tags: string[] = [];

/** The shipped recipe, with FROM pointed at the stand-ins and a tag no registry has: the pull fails, so `up` must build. */
function source(tag: string, base = BASE): K3sImageSource {
  tags.push(tag);
  const [baseRepo, baseTag] = base.split(':') as [string, string];
  return { contextDir: CONTEXT, tag, publishedDigest: null, buildArgs: { K3S_IMAGE: K3S_SRC.split(':')[0]!, K3S_TAG: run, BASE_REPO: baseRepo, BASE_TAG: baseTag } };
}

async function envFor(src: K3sImageSource): Promise<StackEnv> {
  const e = await stackEnv(docker, { images: { k3s: src.tag } as StackEnv['settings']['images'] }, [], { k3sImage: async () => src });
  prefixes.push(e.prefix);
  return e;
}

async function readFile(c: Docker.Container, path: string): Promise<string> {
  const stream = await c.getArchive({ path });
  const chunks: Buffer[] = [];
  for await (const chunk of stream as AsyncIterable<Buffer>) chunks.push(chunk);
  return [...readTar(Buffer.concat(chunks)).values()][0]!.toString('utf8');
}

/** Every `task.progress` event of one task, as a window would receive them. */
function record(e: StackEnv): { events: TaskSnapshot[]; stop: () => void } {
  const events: TaskSnapshot[] = [];
  const stop = e.hub.subscribe('task.progress', (s) => {
    events.push(s);
  });
  return { events, stop };
}

describe('the build stream parser', () => {
  it('reads the classic builder\'s step lines, errors and the image id', () => {
    expect(parseBuildLine({ stream: 'Step 3/14 : RUN set -eux; apt-get update\n' })).toEqual({ kind: 'step', step: 3, of: 14, instruction: 'RUN set -eux; apt-get update' });
    expect(parseBuildLine({ errorDetail: { message: 'pull access denied for ubuntu' }, error: 'pull access denied for ubuntu' })).toEqual({ kind: 'error', message: 'pull access denied for ubuntu' });
    expect(parseBuildLine({ aux: { ID: 'sha256:abc' } })).toEqual({ kind: 'id', id: 'sha256:abc' });
    expect(parseBuildLine({ stream: ' ---> Running in 5f2\n' })).toEqual({ kind: 'output', text: '---> Running in 5f2' });
    expect(parseBuildLine({ stream: '\n' })).toBeNull();
    expect(parseBuildLine('garbage')).toBeNull();
  });
});

d('the k3s image is built on the engine when it cannot be pulled (stand-in bases)', () => {
  beforeAll(async () => {
    if (!engine.ok) return;
    docker = engine.docker;
    await k3sSourceStandIn(docker, K3S_SRC);
    await ubuntuBaseStandIn(docker, BASE);
    await ubuntuBaseStandIn(docker, SLOW_BASE, 30);
  });
  afterAll(async () => {
    for (const p of prefixes) await cleanup(docker, p);
    for (const t of [...tags, K3S_SRC, BASE, SLOW_BASE]) await docker.getImage(t).remove({ force: true }).catch(() => undefined);
  });

  it('up builds the missing image with step progress, runs the container from it, and a second up does not rebuild', async () => {
    const src = source(`riglease-test-k3s-built:${run}`);
    const e = await envFor(src);
    const rec = record(e);
    const t0 = Date.now();
    const snap = await e.tasks.wait(e.service.up().id);
    const seconds = (Date.now() - t0) / 1000;
    rec.stop();
    expect(snap.error).toBeUndefined();
    expect(snap.state).toBe('succeeded');
    console.info(`first up (pull refused, build from stand-ins, container created): ${seconds.toFixed(1)} s`);

    // Why it built, then each builder step as a log line, then the result.
    const log = snap.log.join('\n');
    expect(log).toMatch(/could not be downloaded.*Building it on this computer instead/s);
    expect(log).toMatch(/Building the k3s image: step 1 of \d+: ARG K3S_IMAGE=rancher\/k3s/);
    expect(log).toContain(`Built ${src.tag} on this computer.`);
    // Progress events during step 2 of `up` carry the build's own step N of M, in order, with a percent.
    const building = rec.events.filter((s) => s.step === 2 && /Building the k3s image on this computer: step \d+ of \d+/.test(s.message));
    expect(building.length).toBeGreaterThanOrEqual(3);
    const steps = building.map((s) => Number(/step (\d+) of/.exec(s.message)![1]));
    expect(steps).toEqual([...steps].sort((a, b) => a - b));
    expect(building.every((s) => s.of === 8 && typeof s.percent === 'number')).toBe(true);
    // Throttled: a handful of events, not one per line of builder output.
    expect(rec.events.length).toBeLessThan(60);

    // The container runs the image that was just built, and its entry script applied the egress block with k3s's iptables.
    const image = await docker.getImage(src.tag).inspect();
    const c = docker.getContainer(`${e.prefix}-k3s`);
    const info = await c.inspect();
    expect(info.Image).toBe(image.Id);
    expect(info.State.Running).toBe(true);
    expect(await readFile(c, '/var/log/riglease-iptables.log')).toContain('-t mangle -A RIGLEASE-EGRESS -d 192.168.0.0/16 -j DROP');
    // What the Dockerfile did, through the stub tools: the pinned toolkit, and Akash's two runtime settings.
    const calls = await readFile(c, '/etc/riglease-build-calls');
    expect(calls).toContain('apt-get install -y --no-install-recommends nvidia-container-toolkit=1.17.8-1 nvidia-container-toolkit-base=1.17.8-1 libnvidia-container-tools=1.17.8-1 libnvidia-container1=1.17.8-1');
    expect(await readFile(c, '/etc/nvidia-container-runtime/config.toml')).toBe('accept-nvidia-visible-devices-as-volume-mounts=true\naccept-nvidia-visible-devices-envvar-when-unprivileged=false\n');
    // No CUDA requirement reaches the NVIDIA hook from this image.
    const env = image.Config.Env ?? [];
    expect(env.filter((v) => v.startsWith('NVIDIA_REQUIRE_'))).toEqual([]);
    expect(env).toContain('NVIDIA_DISABLE_REQUIRE=true');
    expect(image.Config.Entrypoint).toEqual(['/bin/k3s']);

    const again = await e.tasks.wait(e.service.up().id);
    expect(again.state).toBe('succeeded');
    expect(again.log.join('\n')).not.toMatch(/Building|Built /);
    expect((again.result as { changed: boolean }).changed).toBe(false);
    expect((await docker.getImage(src.tag).inspect()).Id).toBe(image.Id);
  });

  it('a second stack on the same engine finds the image present: nothing is built or pulled', async () => {
    const src = source(`riglease-test-k3s-built:${run}`);
    const e = await envFor(src);
    const snap = await e.tasks.wait(e.service.up().id);
    expect(snap.state).toBe('succeeded');
    expect(snap.log.join('\n')).toContain(`Image ${src.tag} is present.`);
  });

  it('cancelling during the build stops it: the task says cancelled, nothing is tagged, no container is created', async () => {
    const src = source(`riglease-test-k3s-cancel:${run}`, SLOW_BASE);
    const e = await envFor(src);
    const ref = e.service.up();
    const t0 = Date.now();
    // Cancel while the RUN step (the stub apt-get sleeps 30 s) is running in a build container.
    const atRun = async () => /Building the k3s image: step \d+ of \d+: RUN/.test(e.tasks.get(ref.id).log.join('\n')) && (await docker.listContainers({ filters: JSON.stringify({ ancestor: [SLOW_BASE] }) })).length > 0;
    while (!(await atRun())) {
      if (Date.now() - t0 > 60_000) throw new Error('the build never reached its RUN step');
      await new Promise((r) => setTimeout(r, 100));
    }
    e.tasks.cancel(ref.id);
    const snap = await e.tasks.wait(ref.id);
    expect(snap.state).toBe('cancelled');
    expect(Date.now() - t0).toBeLessThan(25_000);
    await expect(docker.getImage(src.tag).inspect()).rejects.toThrow();
    expect(await docker.listContainers({ all: true, filters: JSON.stringify({ name: [`${e.prefix}-k3s`] }) })).toEqual([]);
    // The engine stopped the build itself: no build step keeps running (its stub apt-get would sleep 30 s).
    const waitFrom = Date.now();
    let running = await docker.listContainers({ filters: JSON.stringify({ ancestor: [SLOW_BASE] }) });
    while (running.length && Date.now() - waitFrom < 10_000) {
      await new Promise((r) => setTimeout(r, 250));
      running = await docker.listContainers({ filters: JSON.stringify({ ancestor: [SLOW_BASE] }) });
    }
    expect(running).toEqual([]);
    console.info(`build step container gone ${((Date.now() - waitFrom) / 1000).toFixed(1)} s after the cancel`);
  });

  it('a build that cannot get its base image fails with what to do', async () => {
    const src = source(`riglease-test-k3s-nobase:${run}`, `riglease-test-no-such-base:${run}`);
    const e = await envFor(src);
    const snap = await e.tasks.wait(e.service.up().id);
    expect(snap.state).toBe('failed');
    expect(snap.failedStep).toBe(2);
    expect(snap.error?.message).toMatch(/could not build the k3s image .* at step \d+ of \d+ \(FROM /);
    expect(snap.error?.fix).toMatch(/check the internet connection/);
    expect(await docker.listContainers({ all: true, filters: JSON.stringify({ name: [`${e.prefix}-k3s`] }) })).toEqual([]);
  });

  it('BuildKit builds the same Dockerfile (docker CLI, DOCKER_BUILDKIT=1), where the CLI is installed', () => {
    const cli = spawnSync('docker', ['--version']);
    if (cli.status !== 0) {
      console.warn('BuildKit build skipped: no docker CLI');
      return;
    }
    const tag = `riglease-test-k3s-buildkit:${run}`;
    tags.push(tag);
    const args = Object.entries(source(tag).buildArgs).flatMap(([k, v]) => ['--build-arg', `${k}=${v}`]);
    const host = process.env['RIGLEASE_TEST_DOCKER_HOST'] ?? 'unix:///tmp/riglease-docker.sock';
    const t0 = Date.now();
    const r = spawnSync('docker', ['build', '--progress=plain', ...args, '-t', tag, CONTEXT], { env: { ...process.env, DOCKER_HOST: host, DOCKER_BUILDKIT: '1' }, encoding: 'utf8', timeout: 120_000 });
    if (/buildx component is missing/.test(r.stderr)) {
      // A CLI of Docker 23+ builds with BuildKit only through buildx; the release workflow (buildx) is then the BuildKit proof.
      console.warn('BuildKit build skipped: this docker CLI has no buildx plugin');
      return;
    }
    console.info(`BuildKit build of the stand-in image: ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    expect(r.status, `${r.stdout}\n${r.stderr}`).toBe(0);
  }, 150_000);
});
