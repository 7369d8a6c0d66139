import { mkdtempSync, mkdirSync, copyFileSync, symlinkSync, writeFileSync, rmSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import type Docker from 'dockerode';

const BUSYBOX = '/bin/busybox';
const APPLETS = ['sh', 'sleep', 'cat', 'echo', 'ls', 'mkdir', 'true', 'false', 'test', 'printf', 'env', 'tail', 'wc', 'grep', 'cp', 'rm', 'ps', 'kill'];

export interface StandInOptions {
  /** Extra files to place in the image: path inside the image → contents. */
  files?: Record<string, string>;
  /** Image config changes, as `docker import --change` takes them (e.g. `CMD ["sleep","3600"]`). */
  changes?: string[];
}

/**
 * Builds a tiny local image with `docker import` from Debian's busybox-static: no registry is
 * reachable here, so tests point the stack's image settings at this instead of the real ones.
 */
export async function buildStandInImage(docker: Docker, tag: string, opts: StandInOptions = {}): Promise<string> {
  const root = mkdtempSync(path.join(tmpdir(), 'riglease-standin-'));
  try {
    mkdirSync(path.join(root, 'bin'), { recursive: true });
    copyFileSync(BUSYBOX, path.join(root, 'bin', 'busybox'));
    chmodSync(path.join(root, 'bin', 'busybox'), 0o755);
    for (const applet of APPLETS) symlinkSync('busybox', path.join(root, 'bin', applet));
    for (const [file, contents] of Object.entries(opts.files ?? {})) {
      const target = path.join(root, file);
      mkdirSync(path.dirname(target), { recursive: true });
      writeFileSync(target, contents, { mode: 0o755 });
    }
    const tar = spawnSync('tar', ['-C', root, '-c', '.'], { maxBuffer: 64 * 1024 * 1024 });
    if (tar.status !== 0) throw new Error(`tar failed: ${tar.stderr.toString()}`);
    const changes = opts.changes ?? ['CMD ["sleep","3600"]'];
    const stream = await docker.importImage(Buffer.from(tar.stdout) as unknown as NodeJS.ReadableStream, {
      repo: tag.split(':')[0],
      tag: tag.split(':')[1] ?? 'latest',
      changes,
    } as object);
    await new Promise<void>((resolve, reject) => {
      docker.modem.followProgress(stream, (err: Error | null) => (err ? reject(err) : resolve()));
    });
    return tag;
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}
