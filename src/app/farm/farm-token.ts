import os from 'node:os';
import { RigError } from '../../api/errors.js';
import type { FarmToken } from '../../api/schemas/farm.js';
import type { Settings } from '../../api/schemas/settings.js';
import { createTokenCommand, deleteTokenCommand, parseCreatedToken } from '../../provider/farm/bootstrap-token.js';
import { encodeJoinCode } from '../../provider/farm/join-code.js';
import { chooseLanAddress } from '../../provider/farm/lan-address.js';
import { keyHash, newSecret } from '../../provider/farm/fleet-protocol.js';
import { execIn } from '../../provider/stack/exec.js';
import { K3S_VERSION } from '../../provider/stack/images.js';
import { stackNames } from '../../provider/stack/names.js';
import { rememberSecretValue } from '../../util/redact.js';
import type { FarmDeps } from './farm-deps.js';
import { machineNameOf } from './farm-deps.js';
import { SECRET_K3S_TOKEN, SECRET_PAIRING } from './farm-state.js';
import { controllerFleetCert } from './fleet-tls.js';

const K3S_TOKEN_TIMEOUT_MS = 30_000;

/**
 * The first private IPv4 of this machine, for the addresses in a join code. Docker's and k3s's own
 * bridges are skipped (lan-address.ts): docker0's 172.17.0.1 is private too, but exists only
 * inside this computer, and a code naming it would send every member nowhere.
 */
export function firstPrivateIPv4(): string | null {
  return chooseLanAddress(os.networkInterfaces(), '', '')?.address ?? null;
}

type StackPart = NonNullable<FarmToken['stack']>;

/**
 * "Add a machine" / `riglease farm token`: makes this machine the controller, hands out a join
 * code, and sees that the provider stack accepts machines (k3s published with the farm's ports
 * and address), re-creating it when that ends no lease — or when the user said so.
 */
export class FarmTokenMaker {
  constructor(
    private readonly d: FarmDeps,
    /** The port the fleet API really listens on, when it is open. */
    private readonly listeningPort: () => number | null,
  ) {}

  async token(validMinutes: number, opts: { recreate?: boolean } = {}): Promise<FarmToken> {
    const s = await this.d.settings();
    const state = await this.d.store.read();
    if (state.role === 'member') {
      throw new RigError('conflict', `This machine is already a member of the farm of ${state.member?.controller ?? 'another controller'}, so it cannot be a controller too.`, 'Make the code on the controller instead, or remove this machine from its farm first (`riglease farm remove` there).');
    }
    // A bootstrap token made for this code alone, with its lifetime (bootstrap-token.ts): the code
    // never carries k3s's server token, which is the whole cluster (and the wallet's key Secret).
    const made = await this.k3sToken(s, createTokenCommand(validMinutes, `RigLease join code made by ${machineNameOf(s, this.d.hostname())}`));
    const { token: k3sToken, id: tokenId } = parseCreatedToken(made);
    const address = s.farm.advertiseAddress || firstPrivateIPv4() || '127.0.0.1';
    const pairing = newSecret();
    const expiresAt = Math.floor(this.d.now() / 1000) + validMinutes * 60;
    const port = this.listeningPort() ?? s.farm.fleetPort;
    const host = address.includes(':') ? `[${address}]` : address;
    const api = `https://${host}:${port}`;
    const { fingerprint: apiFingerprint } = await controllerFleetCert(this.d);
    const k3sUrl = `https://${host}:${s.farm.k3sPort}`;
    // Secrets first: a code is only handed out once its secrets are safely stored. A copy of k3s's
    // server token that older versions kept for their codes is not needed any more.
    await this.d.secrets.set(SECRET_PAIRING, pairing);
    await this.d.secrets.delete(SECRET_K3S_TOKEN).catch(() => undefined);
    await this.d.store.update((st) => {
      const nowS = this.d.now() / 1000;
      st.role = 'controller';
      st.controller ??= { createdAt: new Date(this.d.now()).toISOString(), pairings: [], members: [], selfIntent: null };
      st.controller.pairings = [...st.controller.pairings.filter((p) => p.expiresAt > nowS), { hash: keyHash(pairing), expiresAt, usedAt: null, usedBy: null, k3sTokenId: tokenId }];
    });
    const code = encodeJoinCode({ k3sUrl, k3sToken, api, apiFingerprint, pairingSecret: pairing, expiresAt, k3sVersion: K3S_VERSION, controller: machineNameOf(s, this.d.hostname()) });
    for (const v of [code, pairing, k3sToken]) rememberSecretValue(v);
    const notes: string[] = [];
    if (!s.farm.advertiseAddress && address === '127.0.0.1') notes.push('No network address found: the code points at 127.0.0.1, which only this machine reaches. Set farm.advertiseAddress to this machine\'s LAN address.');
    if (this.listeningPort() === null) notes.push(`The fleet API (port ${port}) opens while RigLease runs here (the app or \`riglease serve\`): keep it running while machines join.`);
    notes.push(`Other machines must reach this one on TCP ${s.farm.k3sPort} (k3s) and ${port} (fleet API), and UDP ${s.farm.wireguardPort} (pod network, WireGuard) or, where this computer's kernel has no WireGuard, UDP ${s.farm.vxlanPort} (pod network, unencrypted VXLAN).`);
    // Role is controller now: a stack plan from here on publishes the farm's ports.
    const stack = await this.stackForFarm(s, opts.recreate ?? false);
    if (stack.action !== 'ready') notes.push(stack.message);
    return { code, tokenId, expiresAt: new Date(expiresAt * 1000).toISOString(), k3sUrl, api, notes, stack };
  }

  /**
   * `riglease farm token revoke ID` / Fleet → Revoke: the code's k3s bootstrap token is deleted in
   * k3s and its pairing can no longer register anyone. A machine that already joined with it stays
   * (k3s keeps it by Node Authorization); remove it with `farm remove`.
   */
  async revoke(id: string): Promise<{ id: string; message: string }> {
    const cmd = deleteTokenCommand(id);
    const known = await this.d.store.update((st) => {
      const p = st.controller?.pairings.find((x) => x.k3sTokenId === id);
      if (p) p.expiresAt = 0;
      return p ? { usedBy: p.usedBy } : null;
    });
    const s = await this.d.settings();
    const deleted = await this.k3sToken(s, cmd).then(
      () => true,
      (err: unknown) => {
        if (!known) throw err;
        return false;
      },
    );
    this.d.logger.info('farm join code revoked', { id, inK3s: deleted });
    const used = known?.usedBy ? ` ${known.usedBy} already joined with it and stays; remove it with \`riglease farm remove ${known.usedBy} --yes\` if it should not.` : '';
    return { id, message: `Join code ${id} is revoked: it lets no machine in any more${deleted ? '' : ' (k3s could not be told now; its token expires with the code)'}.${used}` };
  }

  /** Runs `k3s token …` in this machine's k3s container (exec, nothing in argv but the command); its stdout. */
  private async k3sToken(s: Settings, cmd: string[]): Promise<string> {
    const container = this.d.docker().getContainer(stackNames(s.stack.namePrefix).container);
    const info = await container.inspect().catch(() => null);
    if (!info) throw new RigError('precondition_failed', 'The farm\'s cluster is this machine\'s provider stack, and it is not installed yet.', 'Start providing on this machine first (`riglease stack up` or Start providing), then add machines.');
    if (!info.State.Running) throw new RigError('precondition_failed', 'k3s on this machine is not running, so it cannot make or revoke a join token.', 'Start it (`riglease stack up` or Start providing), wait until `riglease stack status` shows k3s ready, then try again.');
    const r = await execIn(container, cmd, { timeoutMs: K3S_TOKEN_TIMEOUT_MS });
    if (r.exitCode !== 0) {
      const why = (r.stderr || r.stdout).trim().split('\n').slice(-1)[0]?.slice(0, 300) || `exit code ${String(r.exitCode)}`;
      throw new RigError('unavailable', `k3s on this machine did not answer \`${cmd.slice(0, 3).join(' ')}\`: ${why}.`, 'Wait until `riglease stack status` shows k3s ready, then try again.');
    }
    return r.stdout;
  }

  /**
   * Whether the running k3s container already serves the farm: the k3s API port published where
   * the code says, and (with an address to advertise) k3s told that address for its certificate.
   * Null when it does; else what is missing.
   */
  async missingExposure(s: Settings): Promise<string | null> {
    const info = await this.d.docker().getContainer(stackNames(s.stack.namePrefix).container).inspect().catch(() => null);
    if (!info) return 'the k3s container is not there';
    const bindings = (info.HostConfig.PortBindings ?? {}) as Record<string, Array<{ HostPort?: string }> | null>;
    const api = bindings['6443/tcp'] ?? [];
    if (!api.some((b) => b.HostPort === String(s.farm.k3sPort))) return `TCP ${s.farm.k3sPort} (k3s API) is not published`;
    const address = s.farm.advertiseAddress || firstPrivateIPv4();
    if (address && !(info.Config.Cmd ?? []).includes(`--tls-san=${address}`)) return `k3s's certificate does not name ${address}`;
    return null;
  }

  /** The provider's active leases (all restart with k3s); none without a wallet (no provider). */
  private async activeLeases(): Promise<{ keys: string[]; known: boolean; why: string | null }> {
    if (this.d.walletExists && !(await this.d.walletExists().catch(() => true))) return { keys: [], known: true, why: null };
    if (!this.d.leases) return { keys: [], known: false, why: 'leases are not read in this process' };
    try {
      return { keys: (await this.d.leases()).map((l) => l.key).sort(), known: true, why: null };
    } catch (err) {
      return { keys: [], known: false, why: err instanceof Error ? err.message : String(err) };
    }
  }

  private async stackForFarm(s: Settings, recreate: boolean): Promise<StackPart> {
    const missing = await this.missingExposure(s);
    if (!missing) return { action: 'ready', message: 'The provider stack accepts machines.', leases: [], leasesKnown: true, task: null };
    const ports = `TCP ${s.farm.k3sPort} and ${s.farm.kubeletPort} and UDP ${s.farm.wireguardPort} and ${s.farm.vxlanPort}`;
    const why = `The provider stack was set up before this machine was a farm controller, so other machines cannot join it yet (${missing}).`;
    const leases = await this.activeLeases();
    const part = (action: StackPart['action'], message: string, task: StackPart['task'] = null): StackPart => ({ action, message, leases: leases.keys, leasesKnown: leases.known, task });
    if (!this.d.stackUp) return part('not-possible', `${why} Run \`riglease stack up\` (or Upgrade on the Provider stack screen) once to publish ${ports}; k3s restarts, and so do the leases running on this machine.`);
    if (recreate || (leases.known && leases.keys.length === 0)) {
      const task = this.d.stackUp();
      const restarting = leases.keys.length ? `these ${leases.keys.length} lease(s) restart: ${leases.keys.join(', ')}` : leases.known ? 'no lease was running' : 'any lease running on this machine restarts';
      this.d.logger.info('farm: re-creating the stack for the farm', { task: task.id, leases: leases.keys.length, asked: recreate });
      return part('recreating', `${why} Re-creating it now to publish ${ports} (task ${task.id}): k3s restarts, ${restarting}. Machines can join once it is up.`, task);
    }
    const list = leases.known ? `these ${leases.keys.length} running lease(s) would restart: ${leases.keys.join(', ')}` : `the running leases could not be read (${leases.why ?? 'no answer'}), so any lease on this machine could restart`;
    return part('needs-confirmation', `${why} Re-creating it restarts k3s, and ${list}. It was not done: run \`riglease farm token --recreate --yes\` (API: recreate: true) when that is acceptable.`);
  }
}
