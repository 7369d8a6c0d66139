import dgram from 'node:dgram';
import { expect, it } from 'vitest';
import { objectsOf } from '../../../test/stack/stack-env.js';
import { stackSuite } from '../../../test/stack/stack-suite.js';

await stackSuite('tenant NodePorts are published for TCP and UDP (real engine)', ({ docker, env }) => {
  it('up binds every NodePort on the host for both protocols', async () => {
    const e = await env();
    expect((await e.tasks.wait(e.service.up().id)).state).toBe('succeeded');
    const info = await docker().getContainer(`${e.prefix}-k3s`).inspect();
    const { nodePortStart: n, nodePortCount } = e.settings.ports;
    expect(nodePortCount).toBe(2);
    for (const port of [n, n + 1]) {
      for (const proto of ['tcp', 'udp']) expect(info.HostConfig.PortBindings?.[`${port}/${proto}`], `${port}/${proto}`).toEqual([{ HostIp: '', HostPort: String(port) }]);
    }
    expect(info.HostConfig.PortBindings?.[`${n + 2}/udp`]).toBeUndefined();
  });

  it('a NodePort whose UDP side is taken: a clear conflict before anything is created', async () => {
    const e = await env();
    const port = e.settings.ports.nodePortStart + 1;
    const holder = dgram.createSocket('udp4');
    await new Promise<void>((resolve) => holder.bind(port, '0.0.0.0', () => resolve()));
    try {
      const snap = await e.tasks.wait(e.service.up().id);
      expect(snap.state).toBe('failed');
      expect(snap.error?.code).toBe('conflict');
      expect(snap.error?.message).toContain(`${port}/UDP`);
      expect(await objectsOf(docker(), e.prefix)).toEqual({ containers: [], volumes: [], networks: [] });
    } finally {
      holder.close();
    }
  });
});
