import dgram from 'node:dgram';
import type Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDockerEngine } from '../../../test/docker/engine.js';
import { cleanup, objectsOf, stackEnv, stackStandIn } from '../../../test/stack/stack-env.js';

const engine = await testDockerEngine();
const d = engine.ok ? describe : describe.skip;
if (!engine.ok) console.warn(`NodePort UDP tests skipped: ${engine.reason}`);

let docker: Docker;
const prefixes: string[] = [];

d('tenant NodePorts are published for TCP and UDP (real engine)', () => {
  beforeAll(async () => {
    if (!engine.ok) return;
    docker = engine.docker;
    await stackStandIn(docker);
  });
  afterAll(async () => {
    for (const p of prefixes) await cleanup(docker, p);
  });

  it('up binds every NodePort on the host for both protocols', async () => {
    const e = await stackEnv(docker);
    prefixes.push(e.prefix);
    expect((await e.tasks.wait(e.service.up().id)).state).toBe('succeeded');
    const info = await docker.getContainer(`${e.prefix}-k3s`).inspect();
    const { nodePortStart: n, nodePortCount } = e.settings.ports;
    expect(nodePortCount).toBe(2);
    for (const port of [n, n + 1]) {
      for (const proto of ['tcp', 'udp']) expect(info.HostConfig.PortBindings?.[`${port}/${proto}`], `${port}/${proto}`).toEqual([{ HostIp: '', HostPort: String(port) }]);
    }
    expect(info.HostConfig.PortBindings?.[`${n + 2}/udp`]).toBeUndefined();
  });

  it('a NodePort whose UDP side is taken: a clear conflict before anything is created', async () => {
    const e = await stackEnv(docker);
    prefixes.push(e.prefix);
    const port = e.settings.ports.nodePortStart + 1;
    const holder = dgram.createSocket('udp4');
    await new Promise<void>((resolve) => holder.bind(port, '0.0.0.0', () => resolve()));
    try {
      const snap = await e.tasks.wait(e.service.up().id);
      expect(snap.state).toBe('failed');
      expect(snap.error?.code).toBe('conflict');
      expect(snap.error?.message).toContain(`${port}/UDP`);
      expect(await objectsOf(docker, e.prefix)).toEqual({ containers: [], volumes: [], networks: [] });
    } finally {
      holder.close();
    }
  });
});
