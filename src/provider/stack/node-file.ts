import type Docker from 'dockerode';
import { T, statusOf, withTimeout } from './docker-client.js';
import { findContainer } from './docker-objects.js';
import { execIn } from './exec.js';
import { stackNames } from './names.js';
import { makeTar, readTar } from './tar.js';

/**
 * The provider chart's `provider-config-volume` (helm-charts charts/akash-provider
 * templates/statefulset.yaml @f3d8d46): a hostPath on the node, mounted read-write at `/config`
 * in the akash-provider pod. Our node is the k3s container, so a file written here over the
 * Docker API is at `/config/<name>` inside the running provider at once: no helm upgrade, no
 * pod restart, running leases untouched. The bid script reads its price table from there.
 */
export const PROVIDER_CONFIG_NODE_DIR = '/root/.akash/k8s-config';
export const PROVIDER_CONFIG_POD_DIR = '/config';

export type NodeFileResult = { written: true; atomic: boolean } | { written: false; reason: string };

/**
 * Writes one file into the stack's k3s container. When the container runs, the file goes in
 * under a temporary name and is renamed over the old one, so a bid script reading it never sees
 * half a file. A stopped container still gets the file (Docker allows it); no container = no-op.
 */
export async function writeNodeFile(docker: Docker, prefix: string, dir: string, name: string, body: string, opts: { mode?: number } = {}): Promise<NodeFileResult> {
  // 0644 by default (the price table); a secret (the provider certificate's key) passes 0600. `mv` keeps the mode.
  const mode = opts.mode ?? 0o644;
  const info = await findContainer(docker, stackNames(prefix).container, prefix);
  if (!info) return { written: false, reason: 'The provider stack is not installed yet.' };
  const container = docker.getContainer(info.Id);
  const rel = dir.replace(/^\/+/, '').replace(/\/+$/, '');
  const running = info.State.Running;
  const target = running ? `.${name}.riglease-tmp` : name;
  const tar = makeTar([{ name: `${rel}/${target}`, body: Buffer.from(body, 'utf8'), mode }]);
  await withTimeout('write node file', T.quick, container.putArchive(tar, { path: '/' }));
  if (!running) return { written: true, atomic: false };
  const r = await execIn(container, ['mv', '-f', `/${rel}/${target}`, `/${rel}/${name}`], { timeoutMs: T.quick });
  if (r.exitCode === 0) return { written: true, atomic: true };
  // No `mv` in the image: write the file in place (a reader may then fail one bid, never misprice).
  const direct = makeTar([{ name: `${rel}/${name}`, body: Buffer.from(body, 'utf8'), mode }]);
  await withTimeout('write node file', T.quick, container.putArchive(direct, { path: '/' }));
  return { written: true, atomic: false };
}

/** One file of the stack's k3s container, or null when the container or the file does not exist. */
export async function readNodeFile(docker: Docker, prefix: string, file: string): Promise<string | null> {
  const r = await readNodeFileState(docker, prefix, file);
  return r.container ? r.body : null;
}

/** The same, saying whether the container exists at all (no container: nothing to keep in step). */
export async function readNodeFileState(docker: Docker, prefix: string, file: string): Promise<{ container: false } | { container: true; body: string | null }> {
  const info = await findContainer(docker, stackNames(prefix).container, prefix);
  if (!info) return { container: false };
  return { container: true, body: await readFrom(docker, info.Id, file) };
}

async function readFrom(docker: Docker, id: string, file: string): Promise<string | null> {
  let stream: NodeJS.ReadableStream;
  try {
    stream = await withTimeout('read node file', T.quick, docker.getContainer(id).getArchive({ path: file }));
  } catch (err) {
    if (statusOf(err) === 404) return null;
    throw err;
  }
  const chunks: Buffer[] = [];
  for await (const chunk of stream as AsyncIterable<Buffer>) chunks.push(chunk);
  const body = [...readTar(Buffer.concat(chunks)).values()][0];
  return body ? body.toString('utf8') : null;
}
