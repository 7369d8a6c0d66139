import type Docker from 'dockerode';
import { stringify } from 'yaml';
import { RigError } from '../../api/errors.js';
import type { StackActionResult, StackPlan, StackStatus } from '../../api/schemas/stack.js';
import { uninstallWarning } from '../../api/schemas/stack.js';
import type { StackSettings } from '../../api/schemas/settings/stack.js';
import type { TaskRef } from '../../api/schemas/task.js';
import type { TaskProgress, TaskRegistry } from '../../app/task-registry.js';
import type { Logger } from '../../util/logger.js';
import { converge, notInstalled } from './converge.js';
import { T, withTimeout } from './docker-client.js';
import { findContainer, listOurContainers, listOurNetworks, listOurVolumes } from './docker-objects.js';
import { execIn } from './exec.js';
import { waitK3s } from './k3s-probe.js';
import { HELM_NAMESPACE, WALLET_SECRET, type PricingPassthrough } from './manifests.js';
import { plan, type HardwareFacts } from './plan.js';
import { stackStatus } from './stack-status.js';
import { stackNames } from './names.js';
import { streamLogs, tailLogs, type LogsResult } from './stack-logs.js';

/** What the chain side hands the stack: the public address, and the key export only on demand. */
export interface WalletSource {
  address(): Promise<string | null>;
  /** Armored key export + its passphrase; read only to pipe into k3s, never kept or logged. */
  keyExport(): Promise<{ armored: string; passphrase: string } | null>;
}

export interface StackServiceDeps {
  docker: () => Docker;
  settings: () => Promise<StackSettings>;
  hardware: () => Promise<HardwareFacts>;
  wallet: WalletSource;
  /** The pricing engineer's seam: bid script + env. */
  pricing: () => Promise<PricingPassthrough>;
  tasks: TaskRegistry;
  logger: Logger;
}

const UP_STEPS = 8;

/** Docker's own errors become a RigError a person can read; ours pass through unchanged. */
export function dockerError(err: unknown, log?: (line: string) => void): unknown {
  if (err instanceof RigError || (err instanceof Error && err.name === 'AbortError')) return err;
  const msg = err instanceof Error ? err.message : String(err);
  log?.(`Docker error: ${msg}`);
  return new RigError('unavailable', `Docker refused the request: ${msg.split('\n')[0]}`, 'Check that Docker is running; "riglease stack status" shows what exists.', { cause: err });
}

export class StackService {
  constructor(private readonly deps: StackServiceDeps) {}

  async plan(): Promise<StackPlan> {
    const [settings, hardware, address, pricing] = await Promise.all([this.deps.settings(), this.deps.hardware(), this.deps.wallet.address(), this.deps.pricing()]);
    const key = address ? await this.deps.wallet.keyExport() : null;
    return plan({ settings, hardware, secrets: { walletAddress: address, walletKeyPresent: key !== null }, pricing });
  }

  /** Brings the stack to the planned state as a Task; idempotent (a second run changes nothing). */
  up(kind: 'stack.up' | 'stack.upgrade' = 'stack.up'): TaskRef {
    return this.deps.tasks.start(kind, UP_STEPS, async (p) => {
      try {
        return await this.runUp(p);
      } catch (err) {
        throw dockerError(err, (l) => p.log(l));
      }
    });
  }

  private async runUp(p: TaskProgress) {
    p.step(1, 'Planning the provider stack from your settings…');
    const settings = await this.deps.settings();
    const theplan = await this.plan();
    for (const n of theplan.notes) p.log(n);
    const docker = this.deps.docker();
    const result = await converge(docker, theplan, { minFreeDiskGiB: settings.minFreeDiskGiB }, p);
    const container = docker.getContainer(result.containerId);

    p.step(7, `Waiting for the k3s API (up to ${settings.readyTimeoutSec} s)…`);
    const k3s = await waitK3s(container, settings.readyTimeoutSec, p.signal, (left) => p.percent(100 - (left / Math.max(1, settings.readyTimeoutSec)) * 100, `Waiting for the k3s API (${left} s left)…`));
    p.step(8, k3s.ok ? 'k3s answers: handing over the wallet key and node labels…' : 'k3s has not answered yet.');
    let wallet: 'delivered' | 'pending' | 'none' = 'none';
    if (k3s.ok) {
      wallet = await this.deliverWallet(container);
      await this.applyNodeLabels(container, theplan, settings, (l) => p.log(l));
    } else {
      p.log(`${k3s.reason}. The container is running; "status" shows when the cluster is ready, and the next "up" finishes the hand-over.`);
      if (theplan.manifests.some((m) => m.component === 'akash-provider')) wallet = 'pending';
    }
    this.deps.logger.info('stack up finished', { changed: result.changed, created: result.created, k3s: k3s.ok });
    return { ...result, k3s: k3s.ok ? 'ready' : k3s.reason, wallet };
  }

  /** The key reaches k3s as a Secret over exec stdin: never argv, never a file on the volume. */
  private async deliverWallet(container: Docker.Container): Promise<'delivered' | 'pending' | 'none'> {
    const address = await this.deps.wallet.address();
    const key = address ? await this.deps.wallet.keyExport() : null;
    if (!key) return 'none';
    const values = stringify({ key: Buffer.from(key.armored).toString('base64'), keysecret: Buffer.from(key.passphrase).toString('base64') });
    const secret = stringify({ apiVersion: 'v1', kind: 'Secret', type: 'Opaque', metadata: { name: WALLET_SECRET, namespace: HELM_NAMESPACE }, stringData: { 'values.yaml': values } });
    const r = await execIn(container, ['kubectl', 'apply', '-f', '-'], { stdin: secret, timeoutMs: T.exec });
    if (r.exitCode !== 0) {
      this.deps.logger.warn('wallet secret not applied', { exit: r.exitCode });
      return 'pending';
    }
    return 'delivered';
  }

  /** k3s applies --node-label only when a node registers; later GPU changes need kubectl label. */
  private async applyNodeLabels(container: Docker.Container, theplan: StackPlan, settings: StackSettings, log: (l: string) => void): Promise<void> {
    const labels = theplan.gpuLabels.flatMap((g) => Object.entries(g.labels)).map(([k]) => k);
    if (!labels.length) return;
    const counts = new Map<string, number>();
    for (const k of labels) counts.set(k, (counts.get(k) ?? 0) + 1);
    const args = [...counts].map(([k, n]) => `${k}=${n}`);
    const r = await execIn(container, ['kubectl', 'label', 'node', stackNames(settings.namePrefix).hostname, '--overwrite', ...args], { timeoutMs: T.exec });
    log(r.exitCode === 0 ? `Labelled the node from RigLease's GPU scan: ${args.join(', ')}.` : 'Could not label the node yet; the next "up" retries.');
  }

  async status(): Promise<StackStatus> {
    const theplan = await this.plan();
    const hw = await this.deps.hardware();
    return stackStatus(this.deps.docker(), theplan, hw.gpus);
  }

  async down(): Promise<StackActionResult> {
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
    const c = await this.container();
    const info = await withTimeout('inspect', T.quick, c.inspect());
    if (info.State.Running) return { changed: false, message: 'The provider stack is already running.' };
    await withTimeout('start', T.create, c.start());
    return { changed: true, message: 'Started. The cluster takes a minute or two to be ready; "status" shows progress.' };
  }

  async restart(): Promise<StackActionResult> {
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
    return this.deps.tasks.start('stack.logs', 1, async (p) => {
      p.step(1, `Following ${component} logs…`);
      await streamLogs(await this.container(), component, (line) => p.log(line), p.signal);
    });
  }

  async uninstall(purge: boolean, confirm: boolean): Promise<StackActionResult> {
    const settings = await this.deps.settings();
    const docker = this.deps.docker();
    const prefix = settings.namePrefix;
    const volumes = await listOurVolumes(docker, prefix);
    if (!confirm) throw new RigError('precondition_failed', uninstallWarning(purge, volumes), 'Confirm to go ahead (CLI: --yes; API: confirm: true).');
    const removed: string[] = [];
    for (const c of await listOurContainers(docker, prefix)) {
      await withTimeout('remove container', T.stop, docker.getContainer(c.Id).remove({ force: true }));
      removed.push(`container ${c.Names[0]?.replace(/^\//, '') ?? c.Id}`);
    }
    for (const n of await listOurNetworks(docker, prefix)) {
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
