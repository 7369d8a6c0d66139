import type Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDockerEngine } from '../../../test/docker/engine.js';
import { cleanup, objectsOf, stackEnv, stackStandIn } from '../../../test/stack/stack-env.js';
import { makeTar } from './tar.js';

const engine = await testDockerEngine();
const d = engine.ok ? describe : describe.skip;

/**
 * An image that Docker can create a container from but not start: it has no /bin/sh, which the
 * planned entry script needs. It makes `up` fail AFTER it created things, which is what a
 * rollback is for (a crash of k3s at start looks the same to Docker).
 */
async function unstartableImage(docker: Docker): Promise<string> {
  const tag = `riglease-test-unstartable:${process.pid}`;
  const tar = makeTar([{ name: 'etc/riglease-unstartable', body: Buffer.from('no shell here\n') }]);
  const stream = await docker.importImage(tar as unknown as NodeJS.ReadableStream, { repo: tag.split(':')[0], tag: tag.split(':')[1] } as object);
  await new Promise<void>((resolve, reject) => docker.modem.followProgress(stream, (err: Error | null) => (err ? reject(err) : resolve())));
  return tag;
}

d('a failed up rolls back exactly what it created', () => {
  let docker: Docker;
  let broken: string;
  const prefixes: string[] = [];
  beforeAll(async () => {
    if (!engine.ok) return;
    docker = engine.docker;
    await stackStandIn(docker);
    broken = await unstartableImage(docker);
  });
  afterAll(async () => {
    for (const p of prefixes) await cleanup(docker, p);
    if (broken) await docker.getImage(broken).remove({ force: true }).catch(() => undefined);
  });

  it('a first up whose container cannot start leaves no container, volume or network behind', async () => {
    const e = await stackEnv(docker, { images: { k3s: broken, provider: '', devicePlugin: '', gatewayController: '', gatewayNginx: '' } });
    prefixes.push(e.prefix);
    const snap = await e.tasks.wait(e.service.up().id);
    expect(snap.state).toBe('failed');
    expect(snap.failedStep).toBe(5);
    expect(snap.error?.message).toMatch(/^The k3s container could not start/);
    expect(snap.error?.fix).toMatch(/stack\.images\.k3s/);
    expect(snap.log.join('\n')).toMatch(/Rolled back: removed the new container/);
    expect(snap.log.join('\n')).toMatch(/Rolled back: removed volume .*-k3s/);
    expect(await objectsOf(docker, e.prefix)).toEqual({ containers: [], volumes: [], networks: [] });
  });

  it('a failed replacement puts the previous container back, running, and keeps the data volumes', async () => {
    const e = await stackEnv(docker);
    prefixes.push(e.prefix);
    expect((await e.tasks.wait(e.service.up().id)).state).toBe('succeeded');
    const before = await docker.getContainer(`${e.prefix}-k3s`).inspect();

    e.set({ images: { ...e.settings.images, k3s: broken } });
    const snap = await e.tasks.wait(e.service.up('stack.upgrade').id);
    expect(snap.state).toBe('failed');
    expect(snap.log.join('\n')).toMatch(/Rolled back: restored the previous container/);
    const after = await docker.getContainer(`${e.prefix}-k3s`).inspect();
    expect(after.Id).toBe(before.Id);
    expect(after.State.Running).toBe(true);
    const left = await objectsOf(docker, e.prefix);
    expect(left.containers).toEqual([`/${e.prefix}-k3s`]);
    expect(left.volumes).toHaveLength(4);
    expect(left.networks).toEqual([`${e.prefix}-net`]);
    // Status tells the truth: running, but not what the (broken) settings ask for.
    const st = await e.service.status();
    expect(st.overall).toBe('starting');
    expect(st.upToDate).toBe(false);
  });
});
