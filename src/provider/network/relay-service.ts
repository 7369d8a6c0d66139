import { z } from 'zod';
import { RigError } from '../../api/errors.js';
import type { RelayInfo, RelayInitInput, RelaySetupScript, RelayStatus } from '../../api/schemas/relay.js';
import type { RelaySettings } from '../../api/schemas/settings/network-relay.js';
import type { StackSettings } from '../../api/schemas/settings/stack.js';
import type { SecretStore } from '../../store/secret-store.js';
import type { Logger } from '../../util/logger.js';
import { endpointHost, endpointPort, relayPublicAddress } from './relay-address.js';
import { execRelayCommand, type RelayExec } from './relay-exec.js';
import { forwardsCover, relayForwards } from './relay-forwards.js';
import { knock, tcpState } from './relay-health.js';
import { generateWgKeyPair, wgPublicKey } from './relay-keys.js';
import { relayCloudInit, relaySetupScript, relaySshCommand } from './relay-script.js';
import { LinuxRelayTunnel } from './relay-tunnel.js';
import { relayStatusView, type HealthRecord } from './relay-status.js';

/** Both private keys in one secret, written in one go so they can never belong to different setups. */
export const RELAY_KEYS_SECRET = 'relay.keys';
const StoredKeys = z.object({ rig: z.string(), relay: z.string() }).strict();

export interface RelayServiceDeps {
  settings: () => Promise<{ relay: RelaySettings; ports: StackSettings['ports'] }>;
  saveRelay: (next: RelaySettings) => Promise<void>;
  secrets: SecretStore;
  logger: Logger;
  platform: NodeJS.Platform;
  exec?: RelayExec;
  /** Executables (RIGLEASE_WIREGUARD_GO / RIGLEASE_WG in the wiring). */
  wireguardGo?: string;
  wg?: string;
  /** How often the relay is asked whether it answers; default 10 s, so "down" (2 misses) shows within about 25 s. */
  healthIntervalMs?: number;
  knockTimeoutMs?: number;
  now?: () => number;
}

export interface RelayService {
  init(input: RelayInitInput): Promise<RelayInfo>;
  setupScript(): Promise<RelaySetupScript>;
  status(opts?: { checkPorts?: boolean }): Promise<RelayStatus>;
  up(): Promise<RelayStatus>;
  down(): Promise<RelayStatus>;
  /** Brings the tunnel up when the settings say enabled; the app and `riglease serve` call it at start. */
  start(): Promise<void>;
  /** Follows a settings change made in this process (the Settings screen, `settings.set`): on, off, or new tunnel values. */
  reconcile(relay: RelaySettings): Promise<void>;
  stop(): Promise<void>;
  /** wireguard-go's process id while this process holds the tunnel (tests). */
  tunnelPid(): number | undefined;
}

const NOT_SET_UP = new RigError('precondition_failed', 'The relay is not set up on this rig yet.', 'Run `riglease relay init --endpoint <your server address>:51820`, then `riglease relay setup-script` and run what it prints on your server.');

/** What the running tunnel is built from: a change in any of these needs a restart (publicAddress does not). */
function tunnelKey(r: RelaySettings): string {
  return JSON.stringify([r.endpoint, r.relayAddress, r.rigAddress, r.prefixLength, r.interfaceName, r.keepaliveSec, r.mtu, r.rigPublicKey, r.relayPublicKey]);
}

function sameSubnet(a: string, b: string, prefix: number): boolean {
  const n = (ip: string) => ip.split('.').reduce((acc, o) => acc * 256 + Number(o), 0);
  const size = 2 ** (32 - prefix);
  return Math.floor(n(a) / size) === Math.floor(n(b) / size);
}

/** What went wrong bringing the tunnel up, in words a person can act on. */
function tunnelError(err: unknown): RigError {
  if (err instanceof RigError) return err;
  const detail = err instanceof Error ? err.message : String(err);
  if (/not permitted|permission denied|EPERM|EACCES/i.test(detail)) {
    return new RigError('precondition_failed', `The relay tunnel needs the right to create network interfaces (${detail}).`, 'Run RigLease as root (sudo riglease serve): creating the tunnel\u2019s interface needs CAP_NET_ADMIN.');
  }
  if (/not installed|ENOENT/i.test(detail)) {
    return new RigError('precondition_failed', `WireGuard is missing on this computer (${detail}).`, 'Install it: sudo apt-get install wireguard-tools wireguard-go (or load the kernel module: sudo modprobe wireguard).');
  }
  return new RigError('unavailable', `The relay tunnel could not start: ${detail}`, 'Check `riglease relay status`; `sudo wg show` shows what WireGuard has.');
}

export function createRelayService(deps: RelayServiceDeps): RelayService {
  const exec = deps.exec ?? execRelayCommand;
  const now = deps.now ?? Date.now;
  const interval = deps.healthIntervalMs ?? 10_000;
  const knockTimeout = deps.knockTimeoutMs ?? 3_000;
  const log = deps.logger;
  const tunnel = new LinuxRelayTunnel({ exec, logger: log, ...(deps.wireguardGo ? { wireguardGo: deps.wireguardGo } : {}), ...(deps.wg ? { wg: deps.wg } : {}) });
  let held = false;
  /** The settings the running tunnel was built from, to tell whether a change needs a restart. */
  let running: RelaySettings | null = null;
  let startError: RigError | null = null;
  let timer: NodeJS.Timeout | null = null;
  const health: HealthRecord = { startedAt: null, lastAnswerAt: null, failingSince: null, misses: 0 };

  async function keys(): Promise<z.infer<typeof StoredKeys> | null> {
    const raw = await deps.secrets.get(RELAY_KEYS_SECRET);
    if (raw === null) return null;
    const parsed = StoredKeys.safeParse(JSON.parse(raw));
    if (!parsed.success) throw new RigError('internal', 'The relay\u2019s stored keys are damaged.', 'Run `riglease relay init --endpoint <address>:<port> --new-keys` and run the new setup script on your server.');
    return parsed.data;
  }

  async function ready(): Promise<{ relay: RelaySettings; ports: StackSettings['ports']; keys: z.infer<typeof StoredKeys> }> {
    const s = await deps.settings();
    const k = await keys();
    if (s.relay.endpoint === '' || !k) throw NOT_SET_UP;
    return { ...s, keys: k };
  }

  async function checkHealth(relayAddress: string): Promise<void> {
    const ok = await knock(relayAddress, knockTimeout);
    const t = new Date(now()).toISOString();
    if (ok) {
      if (health.failingSince) log.info('relay answers again', { after: health.failingSince });
      health.lastAnswerAt = t;
      health.failingSince = null;
      health.misses = 0;
    } else {
      health.misses++;
      health.failingSince ??= t;
      if (health.misses === 2) log.warn('relay does not answer through the tunnel', { since: health.failingSince });
    }
  }

  /*
   * One bring-up or take-down at a time: saving the relay settings announces the change, and the
   * agent's follower reconciles while `up`/`down` carry on, so both ask for the same tunnel at once.
   */
  let bringing: Promise<void> | null = null;
  let taking: Promise<void> | null = null;
  function bringUp(): Promise<void> {
    return (bringing ??= bringUpNow().finally(() => (bringing = null)));
  }
  function takeDown(): Promise<void> {
    return (taking ??= takeDownNow().finally(() => (taking = null)));
  }

  async function bringUpNow(): Promise<void> {
    const { relay, keys: k } = await ready();
    if (deps.platform !== 'linux') {
      throw new RigError('precondition_failed', 'RigLease runs the relay tunnel on Linux only, for now.', 'On Windows or macOS, use the WireGuard app for the tunnel, or run RigLease on a Linux machine.');
    }
    if (held) await tunnel.down();
    Object.assign(health, { startedAt: new Date(now()).toISOString(), lastAnswerAt: null, failingSince: null, misses: 0 });
    await refuseOverlap(relay);
    held = true;
    running = relay;
    await tunnel.up({
      interfaceName: relay.interfaceName,
      privateKey: k.rig,
      relayPublicKey: wgPublicKey(k.relay),
      endpoint: relay.endpoint,
      rigAddress: relay.rigAddress,
      relayAddress: relay.relayAddress,
      prefixLength: relay.prefixLength,
      keepaliveSec: relay.keepaliveSec,
      mtu: relay.mtu,
    }).catch(async (err: unknown) => {
      await tunnel.down().catch(() => undefined);
      held = false;
      startError = tunnelError(err);
      throw startError;
    });
    startError = null;
    if (timer) clearInterval(timer);
    timer = setInterval(() => void checkHealth(relay.relayAddress).catch(() => undefined), interval);
    timer.unref();
    void checkHealth(relay.relayAddress).catch(() => undefined);
  }

  /** Another interface already in the tunnel's subnet (a VPN such as Tailscale uses 100.64.0.0/10 too) would steal its traffic. */
  async function refuseOverlap(relay: RelaySettings): Promise<void> {
    const r = await exec('ip', ['-4', '-o', 'address', 'show'], { timeoutMs: 5_000 });
    const clash = r.stdout
      .split('\n')
      .map((l) => /^\d+:\s+(\S+)\s+inet\s+([\d.]+)\//.exec(l))
      .find((m) => m !== null && m[1] !== relay.interfaceName && sameSubnet(m[2] ?? '', relay.rigAddress, relay.prefixLength));
    if (clash) {
      throw new RigError('conflict', `This computer already uses ${clash[2] ?? ''} on ${clash[1] ?? ''}, inside the relay tunnel's addresses (${relay.rigAddress}/${relay.prefixLength}).`, 'Pick another pair: riglease settings set network.relay.rigAddress 100.88.77.2 and network.relay.relayAddress 100.88.77.1, then run the new `riglease relay setup-script` on your server.');
    }
  }

  async function takeDownNow(): Promise<void> {
    if (timer) clearInterval(timer);
    timer = null;
    if (held) await tunnel.down();
    held = false;
    running = null;
    health.startedAt = null;
  }

  async function status(opts: { checkPorts?: boolean } = {}): Promise<RelayStatus> {
    const s = await deps.settings();
    // has(), not get(): a status read must not need the passphrase that decrypts the keys.
    const configured = s.relay.endpoint !== '' && (await deps.secrets.has(RELAY_KEYS_SECRET));
    let present = held ? await tunnel.present() : false;
    // Another RigLease process (the app, `riglease serve`) may hold the tunnel: ask it directly.
    let answered: boolean | null = null;
    if (!held && configured && s.relay.enabled) {
      present = (await exec(deps.wg ?? 'wg', ['show', s.relay.interfaceName, 'listen-port'], { timeoutMs: 3_000 })).code === 0;
      if (present) answered = await knock(s.relay.relayAddress, knockTimeout);
    }
    const ports = opts.checkPorts && configured ? await checkPorts(s.relay, s.ports) : null;
    return relayStatusView({
      relay: s.relay,
      configured,
      held,
      present,
      answered,
      mode: tunnel.modeInUse,
      tunnelError: tunnel.lastError,
      startError: startError ? { message: startError.message, fix: startError.fix ?? null } : null,
      handshakeAgeSec: present ? await tunnel.handshakeAgeSec(now()) : null,
      health,
      intervalMs: interval,
      publicAddress: relayPublicAddress({ ...s.relay, enabled: true }),
      ports,
      now: now(),
    });
  }

  async function checkPorts(relay: RelaySettings, ports: StackSettings['ports']): Promise<RelayStatus['ports']> {
    const host = relayPublicAddress({ ...relay, enabled: true }) ?? endpointHost(relay.endpoint);
    const tcp = relayForwards(ports).filter((f) => f.protocol === 'tcp' && f.count === 1);
    return Promise.all(tcp.map(async (f) => ({ protocol: 'tcp' as const, port: f.publicPort, ...(await tcpState(host, f.publicPort, 3_000)) })));
  }

  return {
    async init(input) {
      const s = await deps.settings();
      const port = endpointPort(input.endpoint);
      if (forwardsCover(relayForwards(s.ports), 'udp', port)) {
        throw new RigError('invalid_input', `Port ${port} is one the relay forwards to this rig, so WireGuard cannot use it on the server.`, 'Use the usual WireGuard port: --endpoint <address>:51820.');
      }
      let k = input.newKeys ? null : await keys();
      const made = k === null;
      if (!k) {
        const rig = generateWgKeyPair();
        const relay = generateWgKeyPair();
        k = { rig: rig.privateKey, relay: relay.privateKey };
        // The label is public: the rig's public key, so a reader can tell which setup these keys are.
        await deps.secrets.set(RELAY_KEYS_SECRET, JSON.stringify(k), rig.publicKey);
      }
      const next: RelaySettings = {
        ...s.relay,
        endpoint: input.endpoint,
        publicAddress: input.publicAddress ?? s.relay.publicAddress,
        rigPublicKey: wgPublicKey(k.rig),
        relayPublicKey: wgPublicKey(k.relay),
      };
      await deps.saveRelay(next);
      return {
        endpoint: next.endpoint,
        publicAddress: relayPublicAddress({ ...next, enabled: true }),
        rigPublicKey: next.rigPublicKey,
        relayPublicKey: next.relayPublicKey,
        rigAddress: next.rigAddress,
        relayAddress: next.relayAddress,
        newKeys: made,
      };
    },
    async setupScript() {
      const { relay, ports, keys: k } = await ready();
      const forwards = relayForwards(ports);
      const bash = relaySetupScript({
        relayPrivateKey: k.relay,
        rigPublicKey: wgPublicKey(k.rig),
        relayAddress: relay.relayAddress,
        rigAddress: relay.rigAddress,
        prefixLength: relay.prefixLength,
        interfaceName: relay.interfaceName,
        listenPort: endpointPort(relay.endpoint),
        mtu: relay.mtu,
        forwards,
      });
      return {
        bash,
        cloudInit: relayCloudInit(bash),
        ssh: relaySshCommand(endpointHost(relay.endpoint)),
        forwards,
        warning: 'This holds your server\u2019s WireGuard private key: run it on your own server only, and do not share or post it.',
      };
    },
    status,
    async up() {
      const s = await deps.settings();
      await ready();
      if (!s.relay.enabled) await deps.saveRelay({ ...s.relay, enabled: true });
      await bringUp();
      return status();
    },
    async down() {
      const s = await deps.settings();
      if (s.relay.enabled) await deps.saveRelay({ ...s.relay, enabled: false });
      await takeDown();
      return status();
    },
    async start() {
      const s = await deps.settings();
      if (!s.relay.enabled || s.relay.endpoint === '') return;
      await bringUp().catch((err: unknown) => {
        startError = tunnelError(err);
        log.warn('relay tunnel did not start', { error: startError.message });
      });
    },
    stop: takeDown,
    async reconcile(relay) {
      if (!relay.enabled) {
        if (held) await takeDown();
        return;
      }
      if (held && running && tunnelKey(running) === tunnelKey(relay)) return;
      await bringUp().catch((err: unknown) => {
        startError = tunnelError(err);
        log.warn('relay tunnel did not follow the settings', { error: startError.message });
      });
    },
    tunnelPid: () => tunnel.pid,
  };
}
