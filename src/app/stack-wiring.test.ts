import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { dispatch } from '../api/dispatch.js';
import { fakeNvidiaSmiEnv } from '../../test/fake-nvidia-smi/index.js';
import { StackPlan } from '../api/schemas/stack.js';
import { FarmStateStore } from './farm/farm-state.js';
import { createHeadlessAgent } from './headless-host.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

/** A unix socket posing as DOCKER_HOST that counts who connects and answers nothing useful. */
async function countingDockerSocket(dir: string): Promise<{ host: string; connections: () => number }> {
  const sock = path.join(dir, 'docker.sock');
  let n = 0;
  const open = new Set<net.Socket>();
  const server = net.createServer((s) => {
    n++;
    open.add(s);
    s.on('close', () => open.delete(s));
    s.end('HTTP/1.1 500 Internal Server Error\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
  });
  await new Promise<void>((r) => server.listen(sock, () => r()));
  cleanups.push(
    () =>
      new Promise<void>((r) => {
        for (const s of open) s.destroy();
        server.close(() => r());
      }),
  );
  return { host: `unix://${sock}`, connections: () => n };
}

describe('the stack in the agent', () => {
  it('building and stopping the agent never talks to Docker; a stack call does', async () => {
    const home = await mkdtemp(path.join(os.tmpdir(), 'riglease-stack-wiring-'));
    cleanups.push(() => rm(home, { recursive: true, force: true }));
    const docker = await countingDockerSocket(home);
    const env = { ...fakeNvidiaSmiEnv({ xml: 'rtx4090_535.86.05_1gpu.xml' }), RIGLEASE_HOME: home, DOCKER_HOST: docker.host };
    const { agent } = createHeadlessAgent({ host: 'cli', version: '0.0.0-test', env });
    // Let any start-up work that would run on the next ticks run.
    await new Promise((r) => setTimeout(r, 200));
    expect(docker.connections(), 'the agent touched Docker at start-up').toBe(0);

    const status = await dispatch(agent.handlers, 'stack.status', {}, { via: 'internal' });
    expect(docker.connections()).toBeGreaterThan(0);
    // The engine answered garbage: a RigError a person can act on, not a crash.
    expect(status.ok).toBe(false);
    if (!status.ok) expect(status.error).toMatchObject({ code: 'unavailable', fix: expect.stringMatching(/Docker/) });
    await agent.stop();
  });

  it('once this machine is a farm controller (farm.json), the plan publishes the k3s API, VXLAN and kubelet at farm.* ports and advertises farm.advertiseAddress', async () => {
    const home = await mkdtemp(path.join(os.tmpdir(), 'riglease-stack-wiring-'));
    cleanups.push(() => rm(home, { recursive: true, force: true }));
    const env = { ...fakeNvidiaSmiEnv({ xml: 'rtx4090_535.86.05_1gpu.xml' }), RIGLEASE_HOME: home, DOCKER_HOST: 'unix:///nonexistent/docker.sock' };
    const { agent } = createHeadlessAgent({ host: 'cli', version: '0.0.0-test', env });
    const planNow = async () => {
      const r = await dispatch(agent.handlers, 'stack.plan', {}, { via: 'internal' });
      if (!r.ok) throw new Error(r.error.message);
      return StackPlan.parse(r.value);
    };
    const farmPorts = (p: StackPlan) => p.ports.filter((x) => x.purpose.startsWith('farm:')).map((x) => `${x.host}->${x.container}/${x.protocol}`);
    const single = await planNow();
    expect(farmPorts(single)).toEqual([]);

    for (const [key, value] of [['farm.advertiseAddress', '192.168.7.9'], ['farm.k3sPort', 16443], ['farm.kubeletPort', 20250], ['farm.vxlanPort', 18472]] as const) {
      const r = await dispatch(agent.handlers, 'settings.set', { key, value }, { via: 'internal' });
      expect(r.ok).toBe(true);
    }
    // Farm settings alone change nothing: only a controller is published.
    expect(farmPorts(await planNow())).toEqual([]);
    await new FarmStateStore(agent.deps.paths.stateDir).update((st) => {
      st.role = 'controller';
      st.controller = { createdAt: new Date().toISOString(), pairings: [], members: [], selfIntent: null };
    });
    const ctl = await planNow();
    expect(farmPorts(ctl)).toEqual(['16443->6443/tcp', '51820->51820/udp', '18472->8472/udp', '20250->10250/tcp']);
    expect((ctl.containers[0]!.create as { Cmd: string[] }).Cmd).toEqual(expect.arrayContaining(['--tls-san=192.168.7.9', '--node-external-ip=192.168.7.9', '--flannel-external-ip']));
    expect(ctl.manifests.map((m) => m.hash)).toEqual(single.manifests.map((m) => m.hash));
    await agent.stop();
  });
});
