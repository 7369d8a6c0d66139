// Machines on one LAN for farm tests: each machine is a network namespace of its own (test/net/
// netns.ts NetnsLab) with one interface on a shared bridge (the "switch", in a namespace of its
// own) and a real Docker engine started inside it, as a second computer would have. Addresses
// come from RFC 5737's documentation ranges; no namespace has a route out, so nothing leaves.
import { execFile, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import Docker from 'dockerode';
import type { InterfaceAddress } from '../../src/provider/farm/lan-address.js';
import { NetnsLab } from '../net/netns.js';

const run = promisify(execFile);
const SHIM = fileURLToPath(new URL('../docker/runc-drop-missing-caps.sh', import.meta.url));

export interface LanMachine {
  role: string;
  /** Its address on the LAN. */
  address: string;
  /** The namespace's name (for `ip netns exec`). */
  ns: string;
  docker: Docker;
}

/** A dockerd inside a namespace: its own socket, data root and bridge, no iptables of its own (published ports go through docker-proxy). */
class NsDockerd {
  readonly sock: string;
  readonly docker: Docker;
  private proc: ChildProcess | null = null;

  constructor(readonly dir: string, private readonly ns: string) {
    this.sock = path.join(dir, 'd.sock');
    this.docker = new Docker({ socketPath: this.sock });
  }

  async start(): Promise<void> {
    const log = openSync(path.join(this.dir, 'dockerd.log'), 'a');
    // nsenter, not `ip netns exec`: that one remounts /sys for the namespace, hiding the cgroup
    // mounts dockerd needs; only the network namespace changes here.
    const proc = spawn('nsenter', [`--net=/run/netns/${this.ns}`, '--', 'dockerd', `--host=unix://${this.sock}`, `--data-root=${path.join(this.dir, 'data')}`,
      // Short paths: containerd's sockets live under exec-root and unix paths are capped at 108 bytes.
      `--exec-root=${path.join(this.dir, 'x')}`, `--pidfile=${path.join(this.dir, 'dockerd.pid')}`, '--iptables=false', '--ip6tables=false',
      `--add-runtime=riglease-test=${SHIM}`, '--default-runtime=riglease-test'], { stdio: ['ignore', log, log] });
    closeSync(log);
    this.proc = proc;
    const deadline = Date.now() + 60_000;
    for (;;) {
      if (proc.exitCode !== null) throw new Error(`dockerd in ${this.ns} exited (${proc.exitCode}):\n${this.logTail()}`);
      try {
        await this.docker.ping();
        return;
      } catch {
        if (Date.now() > deadline) throw new Error(`dockerd in ${this.ns} did not answer within 60 s:\n${this.logTail()}`);
        await new Promise((r) => setTimeout(r, 200));
      }
    }
  }

  async stop(): Promise<void> {
    const proc = this.proc;
    this.proc = null;
    if (!proc || proc.exitCode !== null) return;
    const exited = new Promise<void>((r) => proc.once('exit', () => r()));
    proc.kill('SIGTERM');
    const t = setTimeout(() => proc.kill('SIGKILL'), 20_000);
    await exited;
    clearTimeout(t);
  }

  logTail(): string {
    try {
      return readFileSync(path.join(this.dir, 'dockerd.log'), 'utf8').split('\n').slice(-30).join('\n');
    } catch {
      return '(no log)';
    }
  }
}

export class LanFarm {
  readonly lab = new NetnsLab();
  readonly machines = new Map<string, LanMachine>();
  private readonly daemons: NsDockerd[] = [];
  private readonly dir = mkdtempSync('/tmp/rl-lan-');
  private ports = 0;

  /** The switch: a namespace holding one bridge every machine's cable plugs into. */
  async start(): Promise<void> {
    await this.lab.add('lan');
    await this.lab.exec('lan', ['ip', 'link', 'add', 'br0', 'type', 'bridge']);
    await this.lab.exec('lan', ['ip', 'link', 'set', 'br0', 'up']);
  }

  /** A machine on the LAN (`cidr`, e.g. 192.0.2.10/24) with its own Docker engine. */
  async machine(role: string, cidr: string): Promise<LanMachine> {
    await this.lab.add(role);
    const port = `${this.lab.id}p${this.ports++}`;
    await run('ip', ['link', 'add', port, 'netns', this.lab.ns('lan'), 'type', 'veth', 'peer', 'name', 'lan0', 'netns', this.lab.ns(role)]);
    await this.lab.exec('lan', ['ip', 'link', 'set', port, 'master', 'br0']);
    await this.lab.exec('lan', ['ip', 'link', 'set', port, 'up']);
    await this.lab.exec(role, ['ip', 'addr', 'add', cidr, 'dev', 'lan0']);
    await this.lab.exec(role, ['ip', 'link', 'set', 'lan0', 'up']);
    const d = new NsDockerd(mkdtempSync(path.join(this.dir, `${role}-`)), this.lab.ns(role));
    this.daemons.push(d);
    await d.start();
    const m: LanMachine = { role, address: cidr.split('/')[0]!, ns: this.lab.ns(role), docker: d.docker };
    this.machines.set(role, m);
    return m;
  }

  /** The machine's interfaces as `os.networkInterfaces()` would list them there (docker0 included). */
  async interfaces(role: string): Promise<Record<string, InterfaceAddress[]>> {
    const out = JSON.parse(await this.lab.exec(role, ['ip', '-j', '-4', 'addr', 'show'])) as { ifname: string; addr_info: { local: string; prefixlen: number }[] }[];
    const mask = (n: number) => [24, 16, 8, 0].map((s) => ((n === 0 ? 0 : (0xffffffff << (32 - n)) >>> 0) >>> s) & 255).join('.');
    return Object.fromEntries(out.map((i) => [i.ifname, i.addr_info.map((a) => ({ address: a.local, netmask: mask(a.prefixlen), family: 'IPv4', internal: i.ifname === 'lo' }))]));
  }

  /** TCP from `role` to host:port; what the other side said (empty when nothing answered). */
  async tcp(role: string, host: string, port: number): Promise<string> {
    const r = await this.lab.exec(role, ['/bin/busybox', 'nc', '-w', '3', host, String(port)]).catch(() => '');
    return r.trim();
  }

  /** One UDP datagram from `role` to host:port. */
  async udp(role: string, host: string, port: number): Promise<void> {
    const js = `const s=require('dgram').createSocket('udp4');s.send('riglease',${port},'${host}',(e)=>{s.close();process.exit(e?1:0)})`;
    await this.lab.exec(role, [process.execPath, '-e', js]);
  }

  /** UDP datagrams the container's own network stack has received so far (`Udp: InDatagrams + NoPorts`, /proc/net/snmp in its namespace). */
  async udpReceived(m: LanMachine, container: string): Promise<number> {
    const pid = (await m.docker.getContainer(container).inspect()).State.Pid;
    const snmp = spawnSync('nsenter', [`--net=/proc/${pid}/ns/net`, 'cat', '/proc/net/snmp'], { encoding: 'utf8' }).stdout;
    const [head, values] = snmp.split('\n').filter((l) => l.startsWith('Udp:'));
    const cols = (head ?? '').split(/\s+/);
    const vals = (values ?? '').split(/\s+/).map(Number);
    return (vals[cols.indexOf('InDatagrams')] ?? 0) + (vals[cols.indexOf('NoPorts')] ?? 0);
  }

  async teardown(): Promise<void> {
    for (const m of this.machines.values()) {
      const list = await m.docker.listContainers({ all: true }).catch(() => []);
      for (const c of list) await m.docker.getContainer(c.Id).remove({ force: true, v: true }).catch(() => undefined);
    }
    for (const d of this.daemons.splice(0)) await d.stop();
    await this.lab.teardown();
    const mounts = readFileSync('/proc/mounts', 'utf8').split('\n').map((l) => l.split(' ')[1] ?? '').filter((p) => p.startsWith(`${this.dir}/`));
    for (const p of mounts.reverse()) spawnSync('umount', ['-l', p]);
    rmSync(this.dir, { recursive: true, force: true });
  }
}
