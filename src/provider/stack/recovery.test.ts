import type Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDockerEngine } from '../../../test/docker/engine.js';
import { STANDIN_CRASH_FILE, cleanup, stackEnv, stackStandIn } from '../../../test/stack/stack-env.js';
import { EventHub } from '../../core/event-hub.js';
import { TaskRegistry } from '../../core/task-registry.js';
import { silentLogger } from '../../util/logger.js';
import { StackService } from './stack-service.js';
import { makeTar } from './tar.js';

const engine = await testDockerEngine();
const d = engine.ok ? describe : describe.skip;

/** Resolves when Docker reports the container died and then started again (events, not a sleep loop). */
async function dieThenStart(docker: Docker, id: string, since: number): Promise<string[]> {
  const stream = (await docker.getEvents({ since, filters: JSON.stringify({ container: [id], event: ['die', 'start'] }) })) as unknown as NodeJS.ReadableStream & { destroy: () => void };
  const seen: string[] = [];
  let rest = '';
  await new Promise<void>((resolve) => {
    stream.on('data', (b: Buffer) => {
      const lines = (rest + b.toString('utf8')).split('\n');
      rest = lines.pop() ?? '';
      for (const l of lines) if (l.trim()) seen.push((JSON.parse(l) as { Action: string }).Action);
      if (seen.includes('die') && seen.lastIndexOf('start') > seen.indexOf('die')) resolve();
    });
  });
  stream.destroy();
  return seen;
}

d('recovery, "up to date", one up at a time, and quitting', () => {
  let docker: Docker;
  const prefixes: string[] = [];
  beforeAll(async () => {
    if (!engine.ok) return;
    docker = engine.docker;
    await stackStandIn(docker);
  });
  afterAll(async () => {
    for (const p of prefixes) await cleanup(docker, p);
  });

  it('k3s crashing: Docker restarts it (restart policy), a new agent reads the real state, up changes nothing', async () => {
    const e = await stackEnv(docker);
    prefixes.push(e.prefix);
    expect((await e.tasks.wait(e.service.up().id)).state).toBe('succeeded');
    const c = docker.getContainer(`${e.prefix}-k3s`);
    const before = await c.inspect();
    expect(before.RestartCount).toBe(0);

    const started = dieThenStart(docker, before.Id, Date.now() / 1000);
    await c.putArchive(makeTar([{ name: STANDIN_CRASH_FILE.replace(/^\//, ''), body: Buffer.from('x') }]), { path: '/' });
    expect(await started).toEqual(['die', 'start']);
    const after = await c.inspect();
    expect(after.Id).toBe(before.Id);
    expect(after.RestartCount).toBe(1);
    expect(after.State.Running).toBe(true);

    // A brand-new service (the app restarted) knows nothing but what Docker says.
    const fresh = new StackService({
      docker: () => docker,
      settings: async () => e.settings,
      hardware: async () => ({ gpus: [] }),
      wallet: { address: async () => 'akash1qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqq', keyExport: async () => null },
      pricing: async () => ({ script: '#!/bin/sh\necho 2\n', env: { PRICE_TARGET_GPU_MAPPINGS: 'rtx4090=150' } }),
      tasks: new TaskRegistry(new EventHub()),
      logger: silentLogger,
    });
    const st = await fresh.status();
    expect(st.overall).toBe('starting');
    expect(st.upToDate).toBe(true);
    const row = st.components.find((x) => x.name === 'container')!;
    expect(row.state).toBe('running');
    expect(row.detail).toContain('restarted 1× by Docker');
    expect(row.since).toBe(after.State.StartedAt);
    const again = await e.tasks.wait(e.service.up().id);
    expect(again.result).toMatchObject({ changed: false, containerId: before.Id });
  });

  it('a changed setting that touches only a manifest makes status say "not up to date" until upgrade', async () => {
    const e = await stackEnv(docker);
    prefixes.push(e.prefix);
    expect((await e.tasks.wait(e.service.up().id)).state).toBe('succeeded');
    expect((await e.service.status()).upToDate).toBe(true);
    // The RPC node feeds only the provider chart's manifest, not the container.
    e.set({ rpcNode: 'https://rpc.other.example:443' });
    const st = await e.service.status();
    expect(st.upToDate).toBe(false);
    expect(st.components.find((c) => c.name === 'container')!.detail).toMatch(/changed since it was set up/);
    expect((await e.tasks.wait(e.service.up('stack.upgrade').id)).state).toBe('succeeded');
    expect((await e.service.status()).upToDate).toBe(true);
  });

  it('stopping the service (the app quits) ends a running log follow', async () => {
    const e = await stackEnv(docker);
    prefixes.push(e.prefix);
    expect((await e.tasks.wait(e.service.up().id)).state).toBe('succeeded');
    const ref = e.service.followLogs('k3s');
    await expect.poll(() => e.tasks.get(ref.id).log.join('\n'), { timeout: 10_000 }).toContain('stand-in k3s server');
    expect(e.tasks.get(ref.id).state).toBe('running');
    await e.service.stop();
    expect(e.tasks.get(ref.id).state).toBe('cancelled');
  });

  it('a second Start providing joins the running one; stop/uninstall meanwhile are refused, saying why', async () => {
    // The stand-in never answers as k3s, so this up waits at step 7 until cancelled.
    const e = await stackEnv(docker, { readyTimeoutSec: 120 });
    prefixes.push(e.prefix);
    const first = e.service.up();
    expect(e.service.up('stack.upgrade')).toEqual(first);
    await expect.poll(() => e.tasks.get(first.id).step, { timeout: 15_000 }).toBe(7);
    await expect(e.service.down()).rejects.toMatchObject({ code: 'conflict', message: expect.stringContaining('being brought up') });
    await expect(e.service.uninstall(true, true)).rejects.toMatchObject({ code: 'conflict' });
    e.tasks.cancel(first.id);
    const done = await e.tasks.wait(first.id);
    expect(done).toMatchObject({ state: 'cancelled', failedStep: 7 });
    // Once it ended, the next action goes through.
    expect((await e.service.down()).changed).toBe(true);
  });
});
