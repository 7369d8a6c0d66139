import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import type Docker from 'dockerode';
import { STANDIN_FILES } from './stack-env.js';

/**
 * Local stand-ins for the two images resources/stack/k3s-cuda/Dockerfile starts FROM, made with
 * `docker import` from Debian's busybox-static (no registry here):
 *
 * - `k3s`: what rancher/k3s gives the Dockerfile — /bin with a busybox userland, the stand-in
 *   /bin/k3s and an `iptables` in /bin/aux (where k3s keeps it) that records its calls, and
 *   /usr/share/zoneinfo.
 * - `base`: Ubuntu's layout (merged /usr: /bin, /sbin and /lib are links into /usr) with stub
 *   `apt-get`, `curl`, `gpg`, `dpkg-query` and `nvidia-ctk` that record what the Dockerfile asks of
 *   them in /etc/riglease-build-calls. `nvidia-ctk config --in-place --set k=v` writes the k=v
 *   pairs to /etc/nvidia-container-runtime/config.toml, as the real one writes its config there.
 *   The stubs prove the Dockerfile's steps run in order with the pinned versions; they cannot
 *   prove that NVIDIA's repository has those packages or that the real toolkit works.
 *   With `slowAptSeconds`, `apt-get` sleeps first (to cancel a build mid-way).
 */
const BUSYBOX = '/bin/busybox';
const BASE_APPLETS = ['sh', 'mkdir', 'rm', 'sed', 'cat', 'echo', 'printf', 'env', 'ls', 'true', 'false', 'test', '[', 'sleep', 'tr', 'grep', 'readlink'];
const K3S_APPLETS = ['sh', 'sleep', 'cat', 'echo', 'ls', 'mkdir', 'true', 'false', 'test', 'printf', 'env', 'tail', 'wc', 'grep', 'cp', 'rm', 'ps', 'kill'];

const record = (name: string) => `#!/bin/sh\necho "${name} $*" >> /etc/riglease-build-calls\n`;

function baseStubs(slowAptSeconds: number): Record<string, string> {
  return {
    'usr/bin/apt-get': `${record('apt-get')}${slowAptSeconds ? `sleep ${slowAptSeconds}\n` : ''}exit 0\n`,
    'usr/bin/curl': `${record('curl')}echo "deb https://nvidia.github.io/libnvidia-container/stable/deb/\\$(ARCH) /"\n`,
    'usr/bin/gpg': `${record('gpg')}exit 0\n`,
    'usr/bin/dpkg-query': `${record('dpkg-query')}echo "nvidia-container-toolkit=stub"\necho "libnvidia-container1=stub"\n`,
    'usr/bin/nvidia-ctk': `${record('nvidia-ctk')}mkdir -p /etc/nvidia-container-runtime\nfor a in "$@"; do case "$a" in *=*) echo "$a" >> /etc/nvidia-container-runtime/config.toml;; esac; done\n`,
  };
}

async function importRoot(docker: Docker, tag: string, fill: (root: string) => void, changes: string[]): Promise<string> {
  const root = mkdtempSync(path.join(tmpdir(), 'riglease-build-standin-'));
  try {
    fill(root);
    const tar = spawnSync('tar', ['-C', root, '-c', '.'], { maxBuffer: 64 * 1024 * 1024 });
    if (tar.status !== 0) throw new Error(`tar failed: ${tar.stderr.toString()}`);
    const [repo, version] = tag.split(':') as [string, string | undefined];
    const stream = await docker.importImage(Buffer.from(tar.stdout) as unknown as NodeJS.ReadableStream, { repo, tag: version ?? 'latest', changes } as object);
    await new Promise<void>((resolve, reject) => docker.modem.followProgress(stream, (err: Error | null) => (err ? reject(err) : resolve())));
    return tag;
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

function busybox(root: string, dir: string, applets: string[]): void {
  mkdirSync(path.join(root, dir), { recursive: true });
  copyFileSync(BUSYBOX, path.join(root, dir, 'busybox'));
  chmodSync(path.join(root, dir, 'busybox'), 0o755);
  for (const a of applets) symlinkSync('busybox', path.join(root, dir, a));
}

function files(root: string, entries: Record<string, string>): void {
  for (const [file, body] of Object.entries(entries)) {
    const target = path.join(root, file.replace(/^\//, ''));
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(target, body, { mode: 0o755 });
  }
}

export function k3sSourceStandIn(docker: Docker, tag: string): Promise<string> {
  return importRoot(
    docker,
    tag,
    (root) => {
      busybox(root, 'bin', K3S_APPLETS);
      files(root, { '/bin/k3s': STANDIN_FILES['/bin/k3s'], '/bin/aux/iptables': STANDIN_FILES['/sbin/iptables'], '/usr/share/zoneinfo/UTC': 'TZif stand-in\n' });
    },
    ['ENTRYPOINT ["/bin/k3s"]', 'CMD ["agent"]'],
  );
}

export function ubuntuBaseStandIn(docker: Docker, tag: string, slowAptSeconds = 0): Promise<string> {
  return importRoot(
    docker,
    tag,
    (root) => {
      busybox(root, 'usr/bin', BASE_APPLETS);
      mkdirSync(path.join(root, 'usr/sbin'), { recursive: true });
      mkdirSync(path.join(root, 'usr/lib'), { recursive: true });
      mkdirSync(path.join(root, 'etc/apt/sources.list.d'), { recursive: true });
      mkdirSync(path.join(root, 'usr/share/keyrings'), { recursive: true });
      mkdirSync(path.join(root, 'var/lib/apt/lists'), { recursive: true });
      mkdirSync(path.join(root, 'tmp'), { recursive: true });
      for (const [link, to] of [['bin', 'usr/bin'], ['sbin', 'usr/sbin'], ['lib', 'usr/lib']] as const) symlinkSync(to, path.join(root, link));
      files(root, baseStubs(slowAptSeconds));
    },
    ['ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', 'CMD ["/bin/sh"]'],
  );
}
