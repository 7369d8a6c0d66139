import { execFile, execFileSync, spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, it } from 'vitest';

const run = promisify(execFile);
const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

export type NetnsSupport = { ok: true } | { ok: false; reason: string };

let cached: NetnsSupport | null = null;

/** Root, `ip` and `iptables`, and a namespace can really be made (a container may forbid it). */
export function netnsSupport(): NetnsSupport {
  if (cached) return cached;
  const probe = `rlprobe${process.pid}`;
  try {
    if (process.getuid?.() !== 0) return (cached = { ok: false, reason: 'not root: network namespaces need root (CAP_NET_ADMIN)' });
    execFileSync('ip', ['netns', 'add', probe], { stdio: 'pipe' });
    execFileSync('ip', ['netns', 'exec', probe, 'iptables', '-t', 'nat', '-L', '-n'], { stdio: 'pipe' });
    return (cached = { ok: true });
  } catch (err) {
    return (cached = { ok: false, reason: `network namespaces or iptables unusable here: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}` });
  } finally {
    try {
      execFileSync('ip', ['netns', 'del', probe], { stdio: 'pipe' });
    } catch {
      // not made, nothing to remove
    }
  }
}

/**
 * `describe` for namespace tests: skipped with the reason when not root; with CI=true a missing
 * capability is a failing test instead, so CI can never pass by skipping them.
 */
export function describeNetns(name: string, body: () => void): void {
  const s = netnsSupport();
  if (s.ok) describe(name, body);
  else if (process.env['CI'] === 'true') describe(name, () => it(`needs network namespaces (CI=true): ${s.reason}`, () => { throw new Error(s.reason); }));
  else describe.skip(`${name} — skipped: ${s.reason}`, body);
}

let counter = 0;
/** Names made by this process that teardown has not removed yet (removed on exit whatever happens). */
const live = new Set<string>();
process.once('exit', () => {
  for (const n of live) {
    try {
      execFileSync('ip', ['netns', 'del', n], { stdio: 'pipe' });
    } catch {
      // already gone
    }
  }
});

export interface NsProcess {
  child: ChildProcess;
  /** Everything it printed so far. */
  output: () => string;
}

/**
 * One test's namespaces, veth pairs and processes, all named after a per-test id (process id +
 * counter), so parallel tests and a crashed earlier run never collide. Namespaces have no link
 * to the host's namespace: nothing sent inside can leave them.
 */
export class NetnsLab {
  readonly id = `rl${(process.pid % 1_679_616).toString(36)}${(counter++).toString(36)}`;
  private readonly namespaces: string[] = [];
  private readonly children: ChildProcess[] = [];
  private links = 0;

  ns(role: string): string {
    return `${this.id}-${role}`;
  }

  private async sh(argv: string[]): Promise<string> {
    try {
      return (await run(argv[0]!, argv.slice(1), { timeout: 10_000 })).stdout;
    } catch (err) {
      const e = err as { stderr?: string; message: string };
      throw new Error(`${argv.join(' ')} failed: ${(e.stderr ?? '').trim() || e.message}`);
    }
  }

  /** In namespace `role`. */
  exec(role: string, argv: string[]): Promise<string> {
    return this.sh(['ip', 'netns', 'exec', this.ns(role), ...argv]);
  }

  /** Creates the namespace (removing a leftover of the same name first) with loopback up. */
  async add(role: string): Promise<void> {
    const n = this.ns(role);
    await this.sh(['ip', 'netns', 'del', n]).catch(() => undefined);
    await this.sh(['ip', 'netns', 'add', n]);
    this.namespaces.push(n);
    live.add(n);
    await this.exec(role, ['ip', 'link', 'set', 'lo', 'up']);
  }

  /** A veth pair between two namespaces with an address (CIDR) on each end; returns the interface names. */
  async link(a: { role: string; cidr: string }, b: { role: string; cidr: string }): Promise<{ a: string; b: string }> {
    const i = this.links++;
    const ia = `${this.id}l${i}a`;
    const ib = `${this.id}l${i}b`;
    await this.sh(['ip', 'link', 'add', ia, 'netns', this.ns(a.role), 'type', 'veth', 'peer', 'name', ib, 'netns', this.ns(b.role)]);
    for (const [end, iface] of [[a, ia], [b, ib]] as const) {
      await this.exec(end.role, ['ip', 'addr', 'add', end.cidr, 'dev', iface]);
      await this.exec(end.role, ['ip', 'link', 'set', iface, 'up']);
    }
    return { a: ia, b: ib };
  }

  defaultRoute(role: string, via: string): Promise<string> {
    return this.exec(role, ['ip', 'route', 'add', 'default', 'via', via]);
  }

  /** A router: forwards, and rewrites what leaves `outIface` to its own address (MASQUERADE). */
  async nat(role: string, outIface: string): Promise<void> {
    await this.exec(role, ['sysctl', '-q', '-w', 'net.ipv4.ip_forward=1']);
    await this.exec(role, ['iptables', '-t', 'nat', '-A', 'POSTROUTING', '-o', outIface, '-j', 'MASQUERADE']);
  }

  /**
   * A line of namespaces: nodes[0] is the home computer, the last the public side; link i joins
   * nodes[i] (its first CIDR) and nodes[i+1] (its second), and each node routes by default to
   * the next. Every node in between is a NAT router toward the public side. The public side
   * gets no default route: a packet for anywhere else is dropped there.
   */
  async chain(nodes: string[], links: [string, string][]): Promise<{ a: string; b: string }[]> {
    for (const n of nodes) await this.add(n);
    const ifaces: { a: string; b: string }[] = [];
    for (let i = 0; i < links.length; i++) ifaces.push(await this.link({ role: nodes[i]!, cidr: links[i]![0] }, { role: nodes[i + 1]!, cidr: links[i]![1] }));
    for (let i = 0; i < links.length; i++) await this.defaultRoute(nodes[i]!, links[i]![1].split('/')[0]!);
    for (let i = 1; i < nodes.length - 1; i++) await this.nat(nodes[i]!, ifaces[i]!.a);
    return ifaces;
  }

  /**
   * Starts `node test/net/netns-node.ts <json>` inside `role` and waits for its READY line.
   * Killed by teardown (by its own pid; `ip netns exec` replaces itself with node).
   */
  async start(role: string, job: Record<string, unknown>, timeoutMs = 20_000, env: Record<string, string> = {}): Promise<NsProcess> {
    const child = spawn('ip', ['netns', 'exec', this.ns(role), process.execPath, '--import', 'tsx', 'test/net/netns-node.ts', JSON.stringify(job)], { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
    this.children.push(child);
    let out = '';
    child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${String(job['role'])} in ${role} not ready in ${timeoutMs} ms: ${out}`)), timeoutMs);
      const check = () => {
        if (/^READY$/m.test(out)) {
          clearTimeout(timer);
          resolve();
        }
      };
      child.stdout!.on('data', check);
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`${String(job['role'])} in ${role} exited (${code}) before it was ready: ${out}`));
      });
    });
    return { child, output: () => out };
  }

  /** Runs a job (secrets for it go in `env`, never in the job's JSON) to completion inside `role` and returns the last stdout line parsed as JSON. */
  async runJob<T>(role: string, job: Record<string, unknown>, timeoutMs = 30_000, env: Record<string, string> = {}): Promise<T> {
    const { stdout } = await run('ip', ['netns', 'exec', this.ns(role), process.execPath, '--import', 'tsx', 'test/net/netns-node.ts', JSON.stringify(job)], { cwd: REPO, timeout: timeoutMs, env: { ...process.env, ...env } }).catch((err: { stdout?: string; stderr?: string; message: string }) => {
      throw new Error(`${String(job['role'])} in ${role} failed: ${err.stderr ?? ''}${err.stdout ?? ''}${err.message}`);
    });
    const last = stdout.trim().split('\n').pop() ?? '';
    return JSON.parse(last) as T;
  }

  /** Kills what it started, then removes its namespaces (their veths go with them). Safe to call twice. */
  async teardown(): Promise<void> {
    for (const c of this.children.splice(0)) {
      if (c.exitCode === null && c.signalCode === null) {
        c.kill('SIGTERM');
        await new Promise<void>((r) => {
          const t = setTimeout(() => {
            c.kill('SIGKILL');
            r();
          }, 2000);
          c.once('exit', () => {
            clearTimeout(t);
            r();
          });
        });
      }
    }
    for (const n of this.namespaces.splice(0)) {
      await this.sh(['ip', 'netns', 'del', n]).catch(() => undefined);
      live.delete(n);
    }
  }
}
