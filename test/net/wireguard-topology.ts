/**
 * TEST TOOL: a home rig behind two layers of NAT, a cloud server and a tenant, built from network
 * namespaces, for the relay tests. Addresses only from the documentation ranges (RFC 5737) and
 * the shared address space (RFC 6598); nothing routes out of the namespaces.
 *
 *   tenant 203.0.113.10 ─┐
 *   cloud  203.0.113.20 ─┼─ bridge "internet" (namespace inet)
 *   cgnat  203.0.113.30 ─┘   the ISP's carrier-grade NAT: MASQUERADE out of 100.64.0.0/24
 *     └ 100.64.0.1 ── 100.64.0.2 router   the home router: MASQUERADE out of 198.51.100.0/24
 *                        └ 198.51.100.1 ── 198.51.100.10 home (the rig)
 *
 * The rig is unreachable from outside (two NATs, no forwarding): only the relay can bring
 * tenants in. Every name carries a random id, so files running at once never collide, and
 * teardown is idempotent (safe after a half-built topology).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { randomBytes } from 'node:crypto';

export const ADDR = {
  tenant: '203.0.113.10',
  cloud: '203.0.113.20',
  cgnatPublic: '203.0.113.30',
  cgnatInside: '100.64.0.1',
  routerWan: '100.64.0.2',
  routerLan: '198.51.100.1',
  home: '198.51.100.10',
} as const;

const TOOLS = ['ip', 'iptables', 'wg', 'wg-quick', 'wireguard-go', 'openssl'];

/** Whether this machine can build the topology; with CI=true the caller must fail, not skip. */
export function wireguardTopologySupport(): { ok: true } | { ok: false; reason: string } {
  if (process.platform !== 'linux') return { ok: false, reason: 'network namespaces need Linux' };
  if (process.getuid?.() !== 0) return { ok: false, reason: 'network namespaces need root' };
  const missing = TOOLS.filter((t) => spawnSync('sh', ['-c', `command -v ${t}`], { stdio: 'ignore' }).status !== 0);
  if (missing.length > 0) return { ok: false, reason: `missing ${missing.join(', ')} (apt-get install iproute2 iptables wireguard-tools wireguard-go openssl)` };
  if (!existsSync('/dev/net/tun')) return { ok: false, reason: 'no /dev/net/tun (wireguard-go needs it)' };
  return { ok: true };
}

export interface Ran {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** A process in a namespace speaking test/net/wireguard-node.ts's JSON-lines protocol. */
export interface NsNode {
  request<T = unknown>(op: string, fields?: Record<string, unknown>, timeoutMs?: number): Promise<T>;
  stderr(): string;
  kill(): void;
}

export interface WgTopology {
  id: string;
  ns: Record<'inet' | 'tenant' | 'cloud' | 'cgnat' | 'router' | 'home', string>;
  /** WireGuard interface names (unique: wireguard-go's sockets share /var/run/wireguard across namespaces). */
  relayIface: string;
  rigIface: string;
  /** A private folder (the relay's files, certificates). */
  dir: string;
  /** Runs one command in a namespace; never through a shell unless the command is `bash -c`. */
  run(ns: string, argv: string[], opts?: { input?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number }): Ran;
  node(ns: string): Promise<NsNode>;
  teardown(): void;
}

function sh(argv: string[], opts: { input?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}): Ran {
  const [file, ...args] = argv;
  const r = spawnSync(file ?? 'false', args, { input: opts.input ?? '', env: opts.env ?? process.env, timeout: opts.timeoutMs ?? 15_000, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? (r.error ? String(r.error) : '') };
}

function must(argv: string[]): void {
  const r = sh(argv);
  if (r.code !== 0) throw new Error(`${argv.join(' ')} → ${String(r.code)}: ${r.stderr.trim()}`);
}

export function buildWireguardTopology(): WgTopology {
  const id = randomBytes(3).toString('hex');
  const p = `rw${id}`;
  const ns = { inet: `${p}-inet`, tenant: `${p}-tenant`, cloud: `${p}-cloud`, cgnat: `${p}-cgnat`, router: `${p}-router`, home: `${p}-home` };
  const dir = mkdtempSync(path.join(os.tmpdir(), `riglease-wg-${id}-`));
  const children: ChildProcess[] = [];
  const relayIface = `${p}s`;
  const rigIface = `${p}r`;
  const nsList = Object.values(ns);

  const teardown = () => {
    for (const c of children) c.kill('SIGKILL');
    for (const n of nsList) {
      // Whatever still runs in our own namespaces (wireguard-go started by wg-quick) was started by this topology.
      for (const pid of sh(['ip', 'netns', 'pids', n]).stdout.split(/\s+/).filter(Boolean)) {
        try {
          process.kill(Number(pid), 'SIGKILL');
        } catch {
          // already gone
        }
      }
      sh(['ip', 'netns', 'del', n]);
    }
    for (const i of [relayIface, rigIface]) rmSync(`/var/run/wireguard/${i}.sock`, { force: true });
    rmSync(dir, { recursive: true, force: true });
  };

  const inNs = (n: string, ...argv: string[]) => must(['ip', 'netns', 'exec', n, ...argv]);
  try {
    for (const n of nsList) {
      must(['ip', 'netns', 'add', n]);
      must(['ip', '-n', n, 'link', 'set', 'lo', 'up']);
    }
    must(['ip', '-n', ns.inet, 'link', 'add', 'br0', 'type', 'bridge']);
    must(['ip', '-n', ns.inet, 'link', 'set', 'br0', 'up']);
    const onInternet: [string, string, string][] = [
      [ns.tenant, `${p}t`, ADDR.tenant],
      [ns.cloud, `${p}c`, ADDR.cloud],
      [ns.cgnat, `${p}n`, ADDR.cgnatPublic],
    ];
    for (const [n, veth, addr] of onInternet) {
      must(['ip', 'link', 'add', veth, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', n]);
      must(['ip', 'link', 'set', veth, 'netns', ns.inet]);
      must(['ip', '-n', ns.inet, 'link', 'set', veth, 'master', 'br0', 'up']);
      must(['ip', '-n', n, 'address', 'add', `${addr}/24`, 'dev', 'eth0']);
      must(['ip', '-n', n, 'link', 'set', 'eth0', 'up']);
      // A default route, as every server has (the setup script finds its public interface by it); on-link, so nothing leaves the bridge.
      must(['ip', '-n', n, 'route', 'add', 'default', 'dev', 'eth0']);
    }
    // The ISP: carrier-grade NAT between 100.64.0.0/24 and its public address.
    must(['ip', '-n', ns.cgnat, 'link', 'add', 'eth1', 'type', 'veth', 'peer', 'name', 'eth0', 'netns', ns.router]);
    must(['ip', '-n', ns.cgnat, 'address', 'add', `${ADDR.cgnatInside}/24`, 'dev', 'eth1']);
    must(['ip', '-n', ns.cgnat, 'link', 'set', 'eth1', 'up']);
    inNs(ns.cgnat, 'sysctl', '-qw', 'net.ipv4.ip_forward=1');
    inNs(ns.cgnat, 'iptables', '-w', '5', '-t', 'nat', '-A', 'POSTROUTING', '-o', 'eth0', '-s', '100.64.0.0/10', '-j', 'MASQUERADE');
    // The home router: NAT between the home LAN and its (shared-space) outside address.
    must(['ip', '-n', ns.router, 'address', 'add', `${ADDR.routerWan}/24`, 'dev', 'eth0']);
    must(['ip', '-n', ns.router, 'link', 'set', 'eth0', 'up']);
    must(['ip', '-n', ns.router, 'route', 'add', 'default', 'via', ADDR.cgnatInside]);
    must(['ip', '-n', ns.router, 'link', 'add', 'eth1', 'type', 'veth', 'peer', 'name', 'eth0', 'netns', ns.home]);
    must(['ip', '-n', ns.router, 'address', 'add', `${ADDR.routerLan}/24`, 'dev', 'eth1']);
    must(['ip', '-n', ns.router, 'link', 'set', 'eth1', 'up']);
    inNs(ns.router, 'sysctl', '-qw', 'net.ipv4.ip_forward=1');
    inNs(ns.router, 'iptables', '-w', '5', '-t', 'nat', '-A', 'POSTROUTING', '-o', 'eth0', '-j', 'MASQUERADE');
    must(['ip', '-n', ns.home, 'address', 'add', `${ADDR.home}/24`, 'dev', 'eth0']);
    must(['ip', '-n', ns.home, 'link', 'set', 'eth0', 'up']);
    must(['ip', '-n', ns.home, 'route', 'add', 'default', 'via', ADDR.routerLan]);
  } catch (err) {
    teardown();
    throw err;
  }

  const node = async (n: string): Promise<NsNode> => {
    const entry = path.join(import.meta.dirname, 'wireguard-node.ts');
    const child = spawn('ip', ['netns', 'exec', n, process.execPath, '--import', 'tsx', entry], { stdio: ['pipe', 'pipe', 'pipe'] });
    children.push(child);
    let stderr = '';
    child.stderr.on('data', (b: Buffer) => (stderr = (stderr + b.toString()).slice(-8000)));
    const waiting = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
    let nextId = 1;
    createInterface({ input: child.stdout }).on('line', (line) => {
      const msg = JSON.parse(line) as { id: number; ok: boolean; value?: unknown; error?: string };
      const w = waiting.get(msg.id);
      if (!w) return;
      waiting.delete(msg.id);
      if (msg.ok) w.resolve(msg.value);
      else w.reject(new Error(msg.error));
    });
    const ready = new Promise<unknown>((resolve, reject) => waiting.set(0, { resolve, reject }));
    const boot = setTimeout(() => waiting.get(0)?.reject(new Error(`node in ${n} did not start: ${stderr}`)), 15_000);
    await ready.finally(() => clearTimeout(boot));
    return {
      request: <T>(op: string, fields: Record<string, unknown> = {}, timeoutMs = 20_000) =>
        new Promise<T>((resolve, reject) => {
          const reqId = nextId++;
          const t = setTimeout(() => {
            waiting.delete(reqId);
            reject(new Error(`${op} in ${n}: no answer in ${timeoutMs} ms; stderr: ${stderr.slice(-1000)}`));
          }, timeoutMs);
          waiting.set(reqId, {
            resolve: (v) => {
              clearTimeout(t);
              resolve(v as T);
            },
            reject: (e) => {
              clearTimeout(t);
              reject(e);
            },
          });
          child.stdin.write(`${JSON.stringify({ id: reqId, op, ...fields })}\n`);
        }),
      stderr: () => stderr,
      kill: () => child.kill('SIGKILL'),
    };
  };

  return {
    id,
    ns,
    relayIface,
    rigIface,
    dir,
    run: (n, argv, opts) => sh(['ip', 'netns', 'exec', n, ...argv], opts),
    node,
    teardown,
  };
}
