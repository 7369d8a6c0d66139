import { access } from 'node:fs/promises';
import path from 'node:path';
import { RigError } from '../../api/errors.js';
import { Supervisor } from '../../util/supervisor.js';
import type { Logger } from '../../util/logger.js';
import type { RelayExec } from './relay-exec.js';

export interface TunnelConfig {
  interfaceName: string;
  /** This rig's private key (from the secret store): handed to `wg setconf` on stdin only. */
  privateKey: string;
  relayPublicKey: string;
  /** host:port of the relay's WireGuard. */
  endpoint: string;
  rigAddress: string;
  relayAddress: string;
  prefixLength: number;
  keepaliveSec: number;
  mtu: number;
}

export interface TunnelDeps {
  exec: RelayExec;
  logger: Logger;
  /** Executables; tests and unusual installs point them elsewhere. */
  wireguardGo?: string;
  wg?: string;
  ip?: string;
  /** Where wireguard-go puts its control socket (wireguard-go's ipc/uapi_linux.go). */
  socketDir?: string;
}

export type TunnelMode = 'kernel' | 'userspace';

const STEP_TIMEOUT_MS = 10_000;
const SOCKET_WAIT_MS = 5_000;

/**
 * This rig's end of the relay tunnel on Linux: the kernel's WireGuard when it has one, else a
 * supervised `wireguard-go` (restarted with backoff when it dies, and configured again each time
 * it comes back). Only the tunnel subnet is routed through it (the address's own prefix): the
 * rig's internet traffic keeps using its home connection, and the relay's endpoint must, too.
 */
export class LinuxRelayTunnel {
  private supervisor: Supervisor | null = null;
  private config: TunnelConfig | null = null;
  private configuring: Promise<void> | null = null;
  modeInUse: TunnelMode | null = null;
  /** The last thing that went wrong, in words a person can act on; null while healthy. */
  lastError: string | null = null;

  constructor(private readonly deps: TunnelDeps) {}

  private get ip(): string {
    return this.deps.ip ?? 'ip';
  }
  private get wg(): string {
    return this.deps.wg ?? 'wg';
  }

  private async run(file: string, args: string[], input?: string): Promise<string> {
    const r = await this.deps.exec(file, args, { timeoutMs: STEP_TIMEOUT_MS, ...(input === undefined ? {} : { input }) });
    if (r.code !== 0) {
      // wg quotes a line it cannot parse, and that line could be the key's: no key-shaped text leaves here.
      const stderr = r.stderr.trim().replace(/[A-Za-z0-9+/]{42,43}=/g, '[key]');
      const why = r.timedOut ? `no answer within ${STEP_TIMEOUT_MS / 1000} s` : stderr || `exit code ${String(r.code)}`;
      // Only the command's name and its first argument: argv never holds a secret, but keep lines short.
      throw new Error(`${path.basename(file)} ${args.slice(0, 2).join(' ')}: ${why}`);
    }
    return r.stdout;
  }

  async up(config: TunnelConfig): Promise<TunnelMode> {
    this.config = config;
    await this.removeInterface(config.interfaceName);
    const kernel = await this.deps.exec(this.ip, ['link', 'add', config.interfaceName, 'type', 'wireguard'], { timeoutMs: STEP_TIMEOUT_MS });
    if (kernel.code === 0) {
      this.modeInUse = 'kernel';
      await this.configure();
      return 'kernel';
    }
    this.modeInUse = 'userspace';
    await this.startUserspace(config.interfaceName);
    return 'userspace';
  }

  private startUserspace(iface: string): Promise<void> {
    let first: { resolve: () => void; reject: (e: unknown) => void } | null = null;
    const ready = new Promise<void>((resolve, reject) => (first = { resolve, reject }));
    const log = this.deps.logger;
    this.supervisor = new Supervisor({
      name: 'wireguard-go',
      file: this.deps.wireguardGo ?? 'wireguard-go',
      args: ['-f', iface],
      // Foreground, and quiet unless something fails: wireguard-go's own LOG_LEVEL.
      env: { ...process.env, LOG_LEVEL: 'error' },
      onLine: (line) => log.warn('wireguard-go', { line: line.slice(0, 300) }),
      onStart: () => {
        const attempt = this.configureWhenReady(iface);
        attempt.then(
          () => {
            first?.resolve();
            first = null;
          },
          (err: unknown) => {
            this.lastError = err instanceof Error ? err.message : String(err);
            log.warn('relay tunnel could not be configured', { error: this.lastError });
            first?.reject(err);
            first = null;
          },
        );
      },
      onExit: ({ code, signal, error, stderr, willRestart, restartInMs }) => {
        this.lastError = error
          ? error.kind === 'absent'
            ? 'wireguard-go is not installed.'
            : error.message
          : `wireguard-go stopped (${signal ?? `exit ${String(code)}`})${stderr.trim() ? `: ${stderr.trim().split('\n').pop() ?? ''}` : ''}`;
        log.warn('wireguard-go ended', { code, signal, willRestart, restartInMs });
        // A missing or forbidden binary will not appear by retrying: say so now, not after the backoff.
        if (first && (!willRestart || error?.kind === 'absent' || error?.kind === 'permission_denied')) {
          first.reject(new RigError('precondition_failed', `The relay tunnel could not start: ${this.lastError}`, error?.kind === 'permission_denied' ? 'Run RigLease as root: sudo riglease serve.' : 'Install WireGuard: sudo apt-get install wireguard-tools wireguard-go (or load the kernel module: sudo modprobe wireguard).'));
          first = null;
        }
      },
      initialBackoffMs: 500,
      maxBackoffMs: 10_000,
      healthyAfterMs: 10_000,
      maxConsecutiveFailures: 8,
    });
    this.supervisor.start();
    return ready;
  }

  private async configureWhenReady(iface: string): Promise<void> {
    const sock = path.join(this.deps.socketDir ?? '/var/run/wireguard', `${iface}.sock`);
    const deadline = Date.now() + SOCKET_WAIT_MS;
    // The socket file can be a stale one from a killed run; `wg show` answering is the real sign.
    for (;;) {
      const exists = await access(sock).then(() => true, () => false);
      if (exists && (await this.deps.exec(this.wg, ['show', iface, 'listen-port'], { timeoutMs: 2_000 })).code === 0) break;
      if (Date.now() > deadline) throw new Error(`wireguard-go did not open ${sock} within ${SOCKET_WAIT_MS / 1000} s`);
      await new Promise((r) => setTimeout(r, 50));
    }
    await this.configure();
  }

  /** Keys and peer (stdin only), address, MTU, up. Serialized: a restart mid-configure waits. */
  private configure(): Promise<void> {
    const run = async () => {
      const c = this.config;
      if (!c) return;
      const conf = [
        '[Interface]',
        `PrivateKey = ${c.privateKey}`,
        '[Peer]',
        `PublicKey = ${c.relayPublicKey}`,
        `Endpoint = ${c.endpoint}`,
        `AllowedIPs = ${c.relayAddress}/32`,
        `PersistentKeepalive = ${c.keepaliveSec}`,
        '',
      ].join('\n');
      // The key travels on stdin only. Node's stdin "pipe" is a socketpair, which wg cannot
      // fopen() as /dev/stdin (ENXIO); cat turns it into a real pipe. The shell text is fixed and
      // the interface name arrives as $1, so nothing is interpolated.
      await this.run('/bin/sh', ['-c', 'cat | "$0" setconf "$1" /dev/stdin', this.wg, c.interfaceName], conf);
      await this.run(this.ip, ['address', 'replace', `${c.rigAddress}/${c.prefixLength}`, 'dev', c.interfaceName]);
      await this.run(this.ip, ['link', 'set', c.interfaceName, 'mtu', String(c.mtu), 'up']);
      this.lastError = null;
    };
    const next = (this.configuring ?? Promise.resolve()).catch(() => undefined).then(run);
    this.configuring = next;
    return next;
  }

  async down(): Promise<void> {
    const iface = this.config?.interfaceName;
    this.config = null;
    await this.supervisor?.stop();
    this.supervisor = null;
    if (iface) await this.removeInterface(iface);
    this.modeInUse = null;
  }

  private async removeInterface(iface: string): Promise<void> {
    const shown = await this.deps.exec(this.ip, ['link', 'show', iface], { timeoutMs: STEP_TIMEOUT_MS });
    if (shown.code === 0) await this.deps.exec(this.ip, ['link', 'del', iface], { timeoutMs: STEP_TIMEOUT_MS });
  }

  /** Whether the interface exists and answers (wireguard-go alive, or the kernel's). */
  async present(): Promise<boolean> {
    const c = this.config;
    if (!c) return false;
    return (await this.deps.exec(this.wg, ['show', c.interfaceName, 'listen-port'], { timeoutMs: 3_000 })).code === 0;
  }

  /** Seconds since the last handshake with the relay; null when none happened (or no tunnel). */
  async handshakeAgeSec(now = Date.now()): Promise<number | null> {
    const c = this.config;
    if (!c) return null;
    const r = await this.deps.exec(this.wg, ['show', c.interfaceName, 'latest-handshakes'], { timeoutMs: 3_000 });
    if (r.code !== 0) return null;
    const epoch = Number(r.stdout.trim().split(/\s+/)[1] ?? '0');
    return Number.isFinite(epoch) && epoch > 0 ? Math.max(0, Math.round(now / 1000 - epoch)) : null;
  }

  /** Process id of wireguard-go (tests kill it to prove the restart). */
  get pid(): number | undefined {
    return this.supervisor?.pid;
  }
}
