import type Docker from 'dockerode';
import { RigError } from '../../api/errors.js';
import type { StackActionResult, StackPlan, StackStatus } from '../../api/schemas/stack.js';
import { uninstallWarning } from '../../api/schemas/stack.js';
import type { StackSettings } from '../../api/schemas/settings/stack.js';
import type { TaskRef } from '../../api/schemas/task.js';
import type { TaskProgress, TaskRegistry } from '../../core/task-registry.js';
import type { Logger } from '../../util/logger.js';
import { converge, notInstalled, type ConvergeOptions } from './converge.js';
import { T, withTimeout } from './docker-client.js';
import { findContainer, listOurContainers, listOurNetworks, listOurVolumes } from './docker-objects.js';
import { kubectlJson, readDrmCards, waitK3s } from './k3s-probe.js';
import { gpuInventory } from './status-model.js';
import { WALLET_COMPONENT, requireProviderEmail, walletSecretManifest, type PricingPassthrough } from './manifests.js';
import type { FarmExposure } from './container-spec.js';
import type { K3sImageSource } from './k3s-image.js';
import { plan, type HardwareFacts } from './plan.js';
import { withRemoteManifests, type RemoteManifestSource } from './remote-manifests-up.js';
import { stackStatus } from './stack-status.js';
import { stackNames } from './names.js';
import { streamLogs, tailLogs, type LogsResult } from './stack-logs.js';

/** What the chain side hands the stack: the public address, and the key export only on demand. */
export interface WalletSource {
  address(): Promise<string | null>;
  /** Armored key export + its passphrase; read only to pipe into k3s, never kept or logged. */
  keyExport(): Promise<{ armored: string; passphrase: string } | null>;
  /** Whether keyExport would succeed, without decrypting anything (plan/status ask this often). */
  keyPresent?(): Promise<boolean>;
}

export interface StackServiceDeps {
  docker: () => Docker;
  settings: () => Promise<StackSettings>;
  hardware: () => Promise<HardwareFacts>;
  wallet: WalletSource;
  /** The pricing engineer's seam: bid script + env. */
  pricing: () => Promise<PricingPassthrough>;
  /** Farm controller mode, read at every plan (the farm may become a controller while the app runs); absent = never. */
  farm?: () => Promise<FarmExposure | null>;
  /** Files for the provider's /config volume written during `up` before the charts (the chain wiring's provider certificate); absent = none. */
  nodeFiles?: ConvergeOptions['nodeFiles'];
  /** How to build the pinned k3s image on this engine when it cannot be pulled (the recipe the app ships); absent or null = pull only. */
  k3sImage?: () => Promise<K3sImageSource | null>;
  /** Where `up` gets the CRDs no chart ships (downloaded once, verified, cached); absent = none written. */
  remoteManifests?: RemoteManifestSource;
  tasks: TaskRegistry;
  logger: Logger;
}

const UP_STEPS = 8;

/** Docker's own errors become a RigError a person can read; ours pass through unchanged. */
export function dockerError(err: unknown, log?: (line: string) => void): unknown {
  if (err instanceof RigError || (err instanceof Error && err.name === 'AbortError')) return err;
  const msg = err instanceof Error ? err.message : String(err);
  const code = (err as { code?: unknown } | null)?.code;
  log?.(`Docker error: ${msg}`);
  const first = msg.split('\n')[0] ?? msg;
  if (code === 'ENOENT' || code === 'ECONNREFUSED' || code === 'EACCES' || code === 'EPERM') {
    return new RigError(
      'unavailable',
      `RigLease cannot reach Docker (${String(code)}): ${first}`,
      code === 'EACCES' || code === 'EPERM'
        ? 'Your user may not use Docker: add it to the docker group (Linux) and sign in again, or set DOCKER_HOST.'
        : 'Start Docker (Docker Desktop, or the docker service) and try again; DOCKER_HOST chooses another engine.',
      { cause: err },
    );
  }
  if (/failed to create task|OCI runtime|exec format error/i.test(msg)) {
    return new RigError(
      'unavailable',
      `The k3s container could not start: ${first}`,
      'Check the k3s image (stack.images.k3s; empty = the pinned one) runs on this computer, then Start providing again.',
      { cause: err },
    );
  }
  return new RigError('unavailable', `Docker refused the request: ${first}`, 'Check that Docker is running; "riglease stack status" shows what exists.', { cause: err });
}

export class StackService {
  /** The `up`/`upgrade` task running now, so a second click joins it instead of racing it. */
  private converging: TaskRef | null = null;
  /** Every task this service started that may still run (up, upgrade, log follows), for stop(). */
  private readonly live = new Set<string>();

  constructor(private readonly deps: StackServiceDeps) {}

  /** Cancels what this service started (log follows, a running up) and waits for it; called on quit. */
  async stop(): Promise<void> {
    const ids = [...this.live];
    for (const id of ids) {
      try {
        this.deps.tasks.cancel(id);
      } catch {
        // Already pruned: nothing to cancel.
      }
    }
    await Promise.all(ids.map((id) => this.deps.tasks.wait(id).catch(() => undefined)));
  }

  private track(ref: TaskRef): TaskRef {
    this.live.add(ref.id);
    void this.deps.tasks
      .wait(ref.id)
      .catch(() => undefined)
      .finally(() => {
        this.live.delete(ref.id);
      });
    return ref;
  }

  /** Stop/start/restart/uninstall while `up` runs would race it: refuse with what to do. */
  private refuseWhileConverging(action: string): void {
    if (this.converging) {
      throw new RigError('conflict', `The provider stack is being brought up right now, so it cannot ${action} at the same time.`, 'Wait for "Start providing" to finish, or cancel it first.');
    }
  }

  async plan(): Promise<StackPlan> {
    // A wallet that cannot be read (a damaged secret file) leaves the provider out of the plan,
    // with the reason in its notes: status, repairs and the rest of the stack keep working.
    let walletProblem: string | null = null;
    const walletAddress = this.deps.wallet.address().catch((err: unknown) => {
      walletProblem = err instanceof Error ? err.message : String(err);
      return null;
    });
    const [settings, hardware, address, pricing, farm] = await Promise.all([
      this.deps.settings(),
      this.deps.hardware(),
      walletAddress,
      this.deps.pricing(),
      this.deps.farm ? this.deps.farm() : Promise.resolve(null),
    ]);
    const w = this.deps.wallet;
    const present = address ? (w.keyPresent ? await w.keyPresent() : (await w.keyExport()) !== null) : false;
    const planned = plan({ settings, hardware, secrets: { walletAddress: address, walletKeyPresent: present }, pricing, farm });
    if (walletProblem !== null) {
      planned.notes = planned.notes.map((n) => (n.startsWith('No provider wallet yet') ? `The provider wallet cannot be read (${walletProblem}): the Akash provider chart is left out until it can. Diagnostics says how to repair it.` : n));
    }
    return planned;
  }

  /** Brings the stack to the planned state as a Task; idempotent (a second run changes nothing). */
  up(kind: 'stack.up' | 'stack.upgrade' = 'stack.up'): TaskRef {
    if (this.converging) return this.converging;
    const ref = this.deps.tasks.start(kind, UP_STEPS, async (p) => {
      try {
        return await this.runUp(p);
      } catch (err) {
        throw dockerError(err, (l) => p.log(l));
      } finally {
        // Cleared here, before the task reports its end, so whoever awaited it may act at once.
        this.converging = null;
      }
    });
    this.converging = ref;
    return this.track(ref);
  }

  private async runUp(p: TaskProgress) {
    p.step(1, 'Planning the provider stack from your settings…');
    const settings = await this.deps.settings();
    const theplan = await this.plan();
    // A stack that would come up without its provider for want of an email is no success: say so first.
    if (settings.domain && (await this.deps.wallet.address().catch(() => null))) requireProviderEmail(settings.email);
    for (const n of theplan.notes) p.log(n);
    const docker = this.deps.docker();
    // The plan carries the wallet Secret redacted; only the copy handed to converge holds the key.
    const full = await withRemoteManifests(await this.withWalletKey(theplan), this.deps.remoteManifests, p);
    const result = await converge(docker, full, { minFreeDiskGiB: settings.minFreeDiskGiB, ...(this.deps.nodeFiles ? { nodeFiles: this.deps.nodeFiles } : {}), k3sImage: this.deps.k3sImage ? await this.deps.k3sImage() : null }, p);
    const container = docker.getContainer(result.containerId);

    p.step(7, `Waiting for the k3s API (up to ${settings.readyTimeoutSec} s)…`);
    const k3s = await waitK3s(container, settings.readyTimeoutSec, p.signal, (left) => p.percent(100 - (left / Math.max(1, settings.readyTimeoutSec)) * 100, `Waiting for the k3s API (${left} s left)…`));
    if (p.signal.aborted) throw new RigError('cancelled', 'Cancelled while waiting for k3s. The container keeps running; "status" shows when the cluster is ready.');
    p.step(8, k3s.ok ? "k3s answers: checking whether Akash's inventory lists the GPUs…" : 'k3s has not answered yet.');
    // The key Secret is a manifest in k3s's folder (written in step 6): k3s applies it whenever it runs.
    const wallet: 'delivered' | 'pending' | 'none' = theplan.manifests.some((m) => m.component === WALLET_COMPONENT)
      ? 'delivered'
      : theplan.manifests.some((m) => m.component === 'akash-provider')
        ? 'pending'
        : 'none';
    if (k3s.ok) {
      await this.reportGpuInventory(container, theplan, settings, (l) => p.log(l));
    } else {
      p.log(`${k3s.reason}. The container is running; "status" shows when the cluster is ready and whether Akash's inventory lists the GPUs.`);
    }
    this.deps.logger.info('stack up finished', { changed: result.changed, created: result.created, k3s: k3s.ok });
    return { ...result, k3s: k3s.ok ? 'ready' : k3s.reason, wallet };
  }

  /**
   * The plan with the wallet Secret manifest holding the real key, for converge to write into
   * k3s's auto-deploy folder. Never returned to a caller, logged or kept: it lives for one `up`.
   */
  private async withWalletKey(theplan: StackPlan): Promise<StackPlan> {
    const i = theplan.manifests.findIndex((m) => m.component === WALLET_COMPONENT);
    if (i < 0) return theplan;
    const [address, key] = await Promise.all([this.deps.wallet.address(), this.deps.wallet.keyExport()]);
    if (!address || !key) {
      throw new RigError('precondition_failed', 'The provider wallet key could not be read for the provider chart.', 'Check the Wallet screen (the wallet may have been removed), then Start providing again.');
    }
    const real = walletSecretManifest(address, key);
    const manifests = [...theplan.manifests];
    manifests[i] = { file: real.file, component: real.component, kind: real.kind, hash: real.hash, yaml: real.yaml };
    return { ...theplan, manifests };
  }

  /**
   * Reads (never writes) the node's GPU labels and tells the user, per GPU, whether Akash's
   * inventory operator recognised it and, if not, what to do. Labels set here would be removed
   * by the operator (it owns every `akash.network*` label; gpu-labels.ts), so none are set.
   */
  private async reportGpuInventory(container: Docker.Container, theplan: StackPlan, settings: StackSettings, log: (l: string) => void): Promise<void> {
    if (!theplan.gpuLabels.length) return;
    const node = stackNames(settings.namePrefix).hostname;
    const json = (await kubectlJson(container, ['get', 'node', node])) as { metadata?: { labels?: Record<string, string> } } | null;
    if (!json) {
      log('Could not read the node yet; "status" shows whether Akash\'s inventory lists the GPUs.');
      return;
    }
    const rows = gpuInventory(theplan.gpuLabels, json.metadata?.labels ?? {}, await readDrmCards(container));
    if (rows.every((r) => r.state === 'labelled')) {
      log("Akash's inventory lists every selected GPU.");
      return;
    }
    // The operator needs a minute or two after the charts install to detect the hardware.
    for (const r of rows.filter((x) => x.state !== 'labelled')) log(`${r.name}: not listed yet. ${r.detail}`);
  }

  async status(): Promise<StackStatus> {
    return stackStatus(this.deps.docker(), await this.plan());
  }

  async down(): Promise<StackActionResult> {
    this.refuseWhileConverging('be stopped');
    const c = await this.container();
    const info = await withTimeout('inspect', T.quick, c.inspect());
    if (!info.State.Running) return { changed: false, message: 'The provider stack is already stopped.' };
    await withTimeout('stop', T.stop, c.stop({ t: 30 }));
    return {
      changed: true,
      message:
        'Stopped. Data volumes are kept. Running leases stay open on chain, but their workloads are unreachable until you start again; if it stays down, tenants are likely to close them. Start again with "start" or "up".',
    };
  }

  async start(): Promise<StackActionResult> {
    this.refuseWhileConverging('be started');
    const c = await this.container();
    const info = await withTimeout('inspect', T.quick, c.inspect());
    if (info.State.Running) return { changed: false, message: 'The provider stack is already running.' };
    await withTimeout('start', T.create, c.start());
    return { changed: true, message: 'Started. The cluster takes a minute or two to be ready; "status" shows progress.' };
  }

  async restart(): Promise<StackActionResult> {
    this.refuseWhileConverging('be restarted');
    const c = await this.container();
    await withTimeout('restart', T.stop, c.restart({ t: 30 }));
    return { changed: true, message: 'Restarted. Running leases pause while k3s comes back.' };
  }

  async logs(component: string, tail: number): Promise<LogsResult> {
    const c = await this.container();
    return tailLogs(c, component, tail);
  }

  /** Follows a component's logs into a Task's live log until cancelled. */
  followLogs(component: string): TaskRef {
    return this.track(
      this.deps.tasks.start('stack.logs', 1, async (p) => {
        p.step(1, `Following ${component} logs…`);
        await streamLogs(await this.container(), component, (line) => p.log(line), p.signal);
      }),
    );
  }

  async uninstall(purge: boolean, confirm: boolean): Promise<StackActionResult> {
    this.refuseWhileConverging('be uninstalled');
    const settings = await this.deps.settings();
    const docker = this.deps.docker();
    const prefix = settings.namePrefix;
    const volumes = await listOurVolumes(docker, prefix);
    const containers = await listOurContainers(docker, prefix);
    const networks = await listOurNetworks(docker, prefix);
    if (!containers.length && !networks.length && !volumes.length) return { changed: false, message: 'Nothing to remove: the provider stack is not installed.' };
    if (!confirm) throw new RigError('precondition_failed', uninstallWarning(purge, volumes), 'Confirm to go ahead (CLI: --yes; API: confirm: true).');
    const removed: string[] = [];
    for (const c of containers) {
      await withTimeout('remove container', T.stop, docker.getContainer(c.Id).remove({ force: true }));
      removed.push(`container ${c.Names[0]?.replace(/^\//, '') ?? c.Id}`);
    }
    for (const n of networks) {
      await withTimeout('remove network', T.quick, docker.getNetwork(n).remove());
      removed.push(`network ${n}`);
    }
    if (purge) {
      for (const v of volumes) {
        await withTimeout('remove volume', T.stop, docker.getVolume(v).remove());
        removed.push(`volume ${v}`);
      }
    }
    const kept = purge ? '' : ` Data volumes kept: ${volumes.join(', ') || 'none'}.`;
    return { changed: removed.length > 0, message: removed.length ? `Removed ${removed.join(', ')}.${kept}` : `Nothing to remove.${kept}` };
  }

  private async container(): Promise<Docker.Container> {
    const settings = await this.deps.settings();
    const docker = this.deps.docker();
    const info = await findContainer(docker, stackNames(settings.namePrefix).container, settings.namePrefix);
    if (!info) throw notInstalled();
    return docker.getContainer(info.Id);
  }
}
