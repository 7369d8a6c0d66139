import type Docker from 'dockerode';
import { makeTar, readTar } from '../../src/provider/stack/tar.js';

/** The public address the fake `getent` gives provider.example.org (RFC 5737), and a private one it also lists. */
export const FAKE_PUBLIC_ADDRESS = '203.0.113.7';
export const FAKE_PRIVATE_ANSWER = '192.168.1.9';

/**
 * Starts a container of the k3s stand-in after putting in a `getent` that answers
 * provider.example.org with FAKE_PUBLIC_ADDRESS (and a private address the fence must ignore),
 * the way glibc's getent prints `ahosts`; waits until the entry script has handed over to the
 * stand-in k3s and returns the container's log so far.
 */
export async function startWithFakeGetent(c: Docker.Container): Promise<string> {
  const getent = `#!/bin/sh\nprintf "${FAKE_PUBLIC_ADDRESS}     STREAM provider.example.org\\n${FAKE_PUBLIC_ADDRESS}     DGRAM\\n${FAKE_PRIVATE_ANSWER}     STREAM\\n"\n`;
  // /var/log is a data volume in the real stack; here the stand-in's iptables needs the folder to log into.
  await c.putArchive(makeTar([{ name: 'bin/getent', body: Buffer.from(getent), mode: 0o755 }, { name: 'var/log/.keep', body: Buffer.from(''), mode: 0o644 }]), { path: '/' });
  await c.start();
  let log = '';
  for (let i = 0; i < 40 && !log.includes('stand-in k3s'); i++) {
    await new Promise((r) => setTimeout(r, 250));
    log = (await c.logs({ stdout: true, stderr: true, follow: false })).toString('utf8');
  }
  return log;
}

/** Every iptables call the entry script made, in order (the stand-in `iptables` logs its arguments). */
export async function iptablesCalls(c: Docker.Container): Promise<string[]> {
  const stream = await c.getArchive({ path: '/var/log/riglease-iptables.log' });
  const chunks: Buffer[] = [];
  for await (const chunk of stream as AsyncIterable<Buffer>) chunks.push(chunk);
  return [...readTar(Buffer.concat(chunks)).values()][0]!.toString('utf8').split('\n');
}
