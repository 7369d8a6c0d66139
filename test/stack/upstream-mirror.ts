import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';

/** The unmodified upstream copies (shared/upstream/README.md): the layout RIGLEASE_ARTIFACT_MIRROR expects. */
export const UPSTREAM_DIR = path.resolve(import.meta.dirname, '../../../shared/upstream');

export interface DirServer {
  url: string;
  /** Paths requested so far (URL paths, decoded). */
  requests: string[];
  close(): Promise<void>;
}

/**
 * A static file server on 127.0.0.1 for `root` (a mirror in tests, so nothing reaches the
 * internet). `override` answers a path with other bytes (a tampered file), `status` with an
 * HTTP error code.
 */
export async function serveDir(root: string, opts: { override?: Map<string, Buffer>; status?: Map<string, number> } = {}): Promise<DirServer> {
  const requests: string[] = [];
  const server = http.createServer((req, res) => {
    void (async () => {
      const rel = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname).replace(/^\/+/, '');
      requests.push(rel);
      const status = opts.status?.get(rel);
      if (status) {
        res.writeHead(status).end();
        return;
      }
      const body = opts.override?.get(rel) ?? (await readInside(root, rel));
      if (!body) {
        res.writeHead(404).end();
        return;
      }
      res.writeHead(200, { 'content-type': 'application/yaml', 'content-length': body.length }).end(body);
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  server.unref();
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

async function readInside(root: string, rel: string): Promise<Buffer | null> {
  const file = path.resolve(root, rel);
  if (!file.startsWith(`${root}${path.sep}`)) return null;
  return readFile(file).catch(() => null);
}

/** Whether the upstream copies are here (they are in this workspace and in CI). */
export const upstreamPresent = (): boolean => existsSync(UPSTREAM_DIR);
