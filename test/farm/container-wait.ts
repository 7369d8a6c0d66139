import type Docker from 'dockerode';
import { readTar } from '../../src/provider/stack/tar.js';

/** One file from a container (through the archive API, no exec); null when it is not there. */
export async function readFrom(docker: Docker, container: string, file: string): Promise<string | null> {
  try {
    const stream = await docker.getContainer(container).getArchive({ path: file });
    const chunks: Buffer[] = [];
    for await (const c of stream as AsyncIterable<Buffer>) chunks.push(c);
    return [...readTar(Buffer.concat(chunks)).values()][0]?.toString('utf8') ?? null;
  } catch {
    return null;
  }
}

/** Polls `fn` until it gives something truthy (that value), or throws naming `what` after `ms`. */
export async function until<T>(what: string, fn: () => Promise<T | null | undefined | false>, ms = 20_000, everyMs = 250): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
