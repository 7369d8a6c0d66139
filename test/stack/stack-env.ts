import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type Docker from 'dockerode';
import { StackSettings } from '../../src/api/schemas/settings/stack.js';
import { EventHub } from '../../src/core/event-hub.js';
import { TaskRegistry } from '../../src/core/task-registry.js';
import type { FarmExposure } from '../../src/provider/stack/container-spec.js';
import type { PlanGpu } from '../../src/provider/stack/gpu-labels.js';
import { StackService, type StackServiceDeps } from '../../src/provider/stack/stack-service.js';
import { silentLogger } from '../../src/util/logger.js';
import { buildStandInImage } from '../docker/stand-in-image.js';

/** Put this file into the running stand-in (putArchive, no exec needed) and it crashes within a second. */
export const STANDIN_CRASH_FILE = '/var/lib/rancher/k3s/.standin-crash';

/**
 * The k3s stand-in: /bin/k3s prints its args and idles until stopped (or exits 1 when
 * STANDIN_CRASH_FILE appears, as a crashing k3s would); `iptables` records each call in
 * /var/log (a planned data volume), so tests see the egress rules the entry script applied.
 */
export const STANDIN_FILES = {
  // `k3s token create|delete` answer as k3s does (a bootstrap token K10<CA hash>::<id>.<secret>), each call logged.
  '/bin/k3s': `#!/bin/sh\nif [ "$1" = token ]; then echo "$*" >> /var/log/riglease-k3s-token.log; case "$2" in create) id=$(head -c 3 /dev/urandom | od -An -tx1 | tr -d ' \\n'); s=$(head -c 8 /dev/urandom | od -An -tx1 | tr -d ' \\n'); echo "K10${'c'.repeat(64)}::$id.$s"; exit 0 ;; delete) echo "bootstrap token \\"$3\\" deleted"; exit 0 ;; esac; exit 1; fi\necho "stand-in k3s $*"\ntrap 'exit 0' TERM INT\nwhile true; do if [ -f ${STANDIN_CRASH_FILE} ]; then rm -f ${STANDIN_CRASH_FILE}; echo "stand-in k3s crashing" >&2; exit 1; fi; sleep 1; done\n`,
  '/sbin/iptables': '#!/bin/sh\necho "$*" >> /var/log/riglease-iptables.log\nif [ "$3" = "-C" ]; then exit 1; fi\nexit 0\n',
};

/** One stand-in per engine (a test may run a second, private dockerd of its own). */
const images = new WeakMap<Docker, Promise<string>>();
export function stackStandIn(docker: Docker): Promise<string> {
  let image = images.get(docker);
  if (!image) {
    image = buildStandInImage(docker, `riglease-test-k3s-standin:${process.pid}`, { files: STANDIN_FILES, changes: ['ENTRYPOINT ["/bin/k3s"]', 'CMD ["agent"]'] });
    images.set(docker, image);
  }
  return image;
}

/**
 * `count` consecutive free TCP ports on this machine (tests run in parallel, so never fixed ones),
 * all below the kernel's ephemeral range: a port found free there can be taken, before the test
 * binds it, by the client end of any loopback connection another test opens meanwhile.
 */
export async function freePortRun(count: number): Promise<number> {
  const first = 20000;
  const span = ephemeralPortsStart() - count - first;
  for (let attempt = 0; attempt < 50; attempt++) {
    const start = first + Math.floor(Math.random() * span);
    const ok = await Promise.all(Array.from({ length: count }, (_, i) => isFree(start + i)));
    if (ok.every(Boolean)) return start;
  }
  throw new Error('no free port run found');
}

/** The low end of net.ipv4.ip_local_port_range (Linux's default, 32768, where it cannot be read). */
function ephemeralPortsStart(): number {
  try {
    const low = Number(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]);
    return Number.isInteger(low) && low > 21000 ? low : 32768;
  } catch {
    return 32768;
  }
}

function isFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.once('error', () => resolve(false));
    s.listen({ port, host: '0.0.0.0', exclusive: true }, () => s.close(() => resolve(true)));
  });
}

export interface StackEnv {
  service: StackService;
  tasks: TaskRegistry;
  /** The hub the tasks publish `task.progress` on (what a window or the CLI sees). */
  hub: EventHub;
  settings: StackSettings;
  prefix: string;
  set(patch: Partial<StackSettings>): void;
  /** Farm controller mode as the wiring would derive it from farm.* settings (null = single machine). */
  setFarm(farm: FarmExposure | null): void;
}

export async function stackEnv(docker: Docker, over: Partial<StackSettings> = {}, gpus: PlanGpu[] = [], deps: Pick<Partial<StackServiceDeps>, 'k3sImage'> = {}): Promise<StackEnv> {
  const prefix = `rlt-${randomBytes(3).toString('hex')}`;
  const base = await freePortRun(6);
  let settings = StackSettings.parse({
    namePrefix: prefix,
    images: { k3s: await stackStandIn(docker) },
    gpus: [],
    domain: 'provider-test.example.org',
    email: 'ops@provider-test.example.org',
    ports: { http: base, https: base + 1, gateway: base + 2, grpc: base + 3, nodePortStart: base + 4, nodePortCount: 2 },
    readyTimeoutSec: 0,
    minFreeDiskGiB: 0,
    ...over,
  });
  let farm: FarmExposure | null = null;
  const hub = new EventHub();
  const tasks = new TaskRegistry(hub);
  const service = new StackService({
    docker: () => docker,
    settings: async () => settings,
    hardware: async () => ({ gpus }),
    wallet: { address: async () => 'akash1qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqq', keyExport: async () => null },
    pricing: async () => ({ script: '#!/bin/sh\necho 2\n', env: { PRICE_TARGET_GPU_MAPPINGS: 'rtx4090=150' } }),
    farm: async () => farm,
    // CRDs from the local mirror of shared/upstream (test/global-setup.ts), cached once per process.
    remoteManifests: { cacheDir: path.join(os.tmpdir(), `riglease-crd-cache-${process.pid}`), mirror: process.env['RIGLEASE_ARTIFACT_MIRROR'] },
    tasks,
    logger: silentLogger,
    ...deps,
  });
  return {
    service,
    tasks,
    hub,
    prefix,
    get settings() {
      return settings;
    },
    set(patch) {
      settings = StackSettings.parse({ ...settings, ...patch });
    },
    setFarm(f) {
      farm = f;
    },
  };
}

/** Everything of one stack prefix, removed whatever state a test left it in. */
export async function cleanup(docker: Docker, prefix: string): Promise<void> {
  const filters = JSON.stringify({ label: [`io.riglease.stack=${prefix}`] });
  for (const c of await docker.listContainers({ all: true, filters })) await docker.getContainer(c.Id).remove({ force: true }).catch(() => undefined);
  for (const c of await docker.listContainers({ all: true, filters: JSON.stringify({ name: [prefix] }) })) await docker.getContainer(c.Id).remove({ force: true }).catch(() => undefined);
  for (const n of await docker.listNetworks({ filters })) await docker.getNetwork(n.Id).remove().catch(() => undefined);
  for (const v of (await docker.listVolumes({ filters })).Volumes ?? []) await docker.getVolume(v.Name).remove().catch(() => undefined);
}

/** What a prefix has on the engine right now, by kind. */
export async function objectsOf(docker: Docker, prefix: string): Promise<{ containers: string[]; volumes: string[]; networks: string[] }> {
  const filters = JSON.stringify({ label: [`io.riglease.stack=${prefix}`] });
  return {
    containers: (await docker.listContainers({ all: true, filters: JSON.stringify({ name: [prefix] }) })).map((c) => c.Names[0] ?? c.Id),
    volumes: ((await docker.listVolumes({ filters })).Volumes ?? []).map((v) => v.Name),
    networks: (await docker.listNetworks({ filters })).map((n) => n.Name),
  };
}
