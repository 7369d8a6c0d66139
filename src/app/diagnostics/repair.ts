import { randomBytes } from 'node:crypto';
import { readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { RigError } from '../../api/errors.js';
import type { RepairAction, RepairPreview } from '../../api/schemas/diagnostics.js';
import type { StackActionResult, StackStatus } from '../../api/schemas/stack.js';
import type { TaskRef } from '../../api/schemas/task.js';
import { stackNames } from '../../provider/stack/names.js';
import type { Paths } from '../../store/paths.js';
import type { Logger } from '../../util/logger.js';
import type { TaskRegistry } from '../../core/task-registry.js';

/** What the repair actions need of the provider stack (the Agent's StackService, or the demo's). */
export interface RepairStack {
  status(): Promise<StackStatus>;
  restart(): Promise<StackActionResult>;
  uninstall(purge: boolean, confirm: boolean): Promise<StackActionResult>;
  up(): TaskRef;
}

export interface RepairDeps {
  stack: RepairStack;
  tasks: TaskRegistry;
  paths: Paths;
  /** Puts every setting back to its default (through the settings store, so its cache follows). */
  resetSettings(): Promise<void>;
  logger: Logger;
  now?: () => Date;
}

/** The wallet's non-secret record (its address); kept with the secret store, or the wallet is "gone". */
const WALLET_STATE = 'wallet.json';
/** Folders of the data folder that are RigLease's own (the data folder may be Electron's userData, which holds more). */
const DATA_FOLDERS = ['logs', 'state', 'history', 'diagnostics'] as const;
const TOKEN_TTL_MS = 10 * 60_000;

interface Pending {
  action: RepairAction;
  wipeWallet: boolean;
  expires: number;
}

/**
 * Graduated repairs, mildest first: restart the stack → reset k3s (a fresh cluster: container,
 * network and every data volume removed, then `up` again; RigLease's wallet, settings and
 * history kept) → factory reset (stack removed with its volumes, settings back to defaults,
 * RigLease's logs, state, history and exports deleted; the wallet kept unless asked).
 * Each runs only with the token of a preview that listed by name what it deletes.
 */
export class RepairService {
  private readonly pending = new Map<string, Pending>();
  private running: string | null = null;
  private readonly now: () => Date;

  constructor(private readonly deps: RepairDeps) {
    this.now = deps.now ?? (() => new Date());
  }

  async preview(action: RepairAction, wipeWallet = false): Promise<RepairPreview> {
    if (wipeWallet && action !== 'factory-reset') throw new RigError('invalid_input', 'Only a factory reset can erase the wallet.', 'Leave "also erase the wallet" off for this action.');
    const plan = await this.plan(action, wipeWallet);
    const t = this.now().getTime();
    for (const [k, p] of this.pending) if (p.expires <= t) this.pending.delete(k);
    const confirmToken = randomBytes(16).toString('hex');
    this.pending.set(confirmToken, { action, wipeWallet, expires: t + TOKEN_TTL_MS });
    return { action, wipeWallet, ...plan, confirmToken, expiresAt: new Date(t + TOKEN_TTL_MS).toISOString() };
  }

  run(action: RepairAction, wipeWallet: boolean, confirmToken: string): TaskRef {
    const p = this.pending.get(confirmToken);
    if (!p || p.action !== action || p.wipeWallet !== wipeWallet || p.expires <= this.now().getTime()) {
      throw new RigError('precondition_failed', 'This repair was not confirmed (or its confirmation expired or was for another action).', 'Ask for the preview again, read what it deletes, and confirm that one.');
    }
    if (this.running) throw new RigError('conflict', 'Another repair is running.', 'Wait for it to finish; its progress is on the Diagnostics screen.');
    this.pending.delete(confirmToken);
    const steps = action === 'restart-stack' ? 1 : action === 'reset-k3s' ? 3 : 4;
    const ref = this.deps.tasks.start(`repair.${action}`, steps, async (progress) => {
      const log = (line: string): void => {
        progress.log(line);
        this.deps.logger.info('repair', { action, line });
      };
      switch (action) {
        case 'restart-stack': {
          progress.step(1, 'Restarting the provider stack…');
          const done = (await this.deps.stack.restart()).message;
          log(done);
          return { action, summary: done };
        }
        case 'reset-k3s': {
          progress.step(1, 'Checking the provider stack…');
          const status = await this.deps.stack.status();
          if (status.overall === 'not_installed') throw notInstalledForReset();
          progress.step(2, 'Removing the k3s container, network and data volumes…');
          log((await this.deps.stack.uninstall(true, true)).message);
          progress.step(3, 'Creating a fresh cluster (stack up)…');
          await this.upAndWait(log);
          return { action, summary: 'A fresh cluster is running. Your wallet, settings and history are as they were.' };
        }
        case 'factory-reset': {
          progress.step(1, 'Removing the provider stack and its data volumes…');
          const status = await this.deps.stack.status().catch(() => null);
          if (status && status.overall !== 'not_installed') log((await this.deps.stack.uninstall(true, true)).message);
          else log('No provider stack installed: nothing to remove in Docker.');
          progress.step(2, 'Putting every setting back to its default…');
          await this.deps.resetSettings();
          log('Settings reset to their defaults.');
          progress.step(3, "Deleting RigLease's logs, state, history and exports…");
          for (const line of await this.deleteData(wipeWallet)) log(line);
          const summary = wipeWallet ? 'Wallet erased. Restart RigLease to start from scratch.' : 'Wallet kept. Restart RigLease to start from scratch.';
          progress.step(4, summary);
          this.deps.logger.info('repair', { action, line: summary });
          return { action, summary };
        }
      }
    });
    this.running = ref.id;
    void this.deps.tasks.wait(ref.id).finally(() => {
      if (this.running === ref.id) this.running = null;
    });
    return ref;
  }

  private async upAndWait(log: (line: string) => void): Promise<void> {
    const up = this.deps.stack.up();
    log(`Stack up started (task ${up.id}).`);
    const done = await this.deps.tasks.wait(up.id);
    for (const line of done.log.slice(-20)) log(line);
    if (done.state !== 'succeeded') {
      throw new RigError('unavailable', `The fresh cluster did not come up: ${done.error?.message ?? done.message}`, done.error?.fix ?? 'Open Provider stack and run Up again; its log says what failed.');
    }
  }

  /** What an action deletes and keeps, read from the real stack and data folder. */
  private async plan(action: RepairAction, wipeWallet: boolean): Promise<Omit<RepairPreview, 'action' | 'wipeWallet' | 'confirmToken' | 'expiresAt'>> {
    if (action === 'restart-stack') {
      const status = await this.deps.stack.status();
      if (status.overall === 'not_installed') throw notInstalledForReset('restart');
      return {
        title: 'Restart the provider stack',
        deletes: [],
        keeps: ['everything: no data is deleted'],
        consequences: 'Running leases pause for a minute or two while k3s comes back.',
      };
    }
    if (action === 'reset-k3s') {
      const status = await this.deps.stack.status();
      if (status.overall === 'not_installed') throw notInstalledForReset();
      return {
        title: 'Reset k3s',
        deletes: stackObjects(status),
        keeps: [
          'the wallet and the provider key (in RigLease, written into the new cluster by "up")',
          'the provider certificate key and the on-chain registration',
          'settings, pricing, availability, earnings history and logs of RigLease',
          'leases on chain (they stay open until a tenant or the provider closes them)',
        ],
        consequences:
          "Every running lease's pods and their data are lost: tenants lose their workloads and will likely close those leases. The cluster is created fresh right after (stack up), which takes a few minutes.",
      };
    }
    const status = await this.deps.stack.status().catch(() => null);
    const { deletes, keeps } = await this.dataPlan(wipeWallet);
    return {
      title: wipeWallet ? 'Factory reset, wallet included' : 'Factory reset',
      deletes: [...(status && status.overall !== 'not_installed' ? stackObjects(status) : []), 'settings.json (every setting back to its default)', ...deletes],
      keeps,
      consequences: wipeWallet
        ? 'RigLease starts over as if newly installed, WITHOUT the wallet: any AKT left in it is unreachable unless you wrote down its recovery phrase. Running leases lose their workloads. Restart RigLease afterwards.'
        : 'RigLease starts over as if newly installed, with the same wallet (its balance and provider registration stay on chain). Running leases lose their workloads. Restart RigLease afterwards.',
    };
  }

  /** The data-folder entries a factory reset deletes (relative to the data folder) and what it keeps. */
  private async dataPlan(wipeWallet: boolean): Promise<{ deletes: string[]; keeps: string[]; paths: string[] }> {
    const home = this.deps.paths.home;
    const deletes: string[] = [];
    const paths: string[] = [];
    const dirs: Record<(typeof DATA_FOLDERS)[number], string> = {
      logs: this.deps.paths.logsDir,
      state: this.deps.paths.stateDir,
      history: this.deps.paths.historyDir,
      diagnostics: path.join(home, 'diagnostics'),
    };
    for (const name of DATA_FOLDERS) {
      const entries = await readdir(dirs[name]).catch(() => [] as string[]);
      for (const e of entries.sort()) {
        if (name === 'state' && e === WALLET_STATE && !wipeWallet) continue;
        deletes.push(`${path.relative(home, path.join(dirs[name], e)) || e}${name === 'diagnostics' ? ' (an exported diagnostics zip)' : ''}`);
        paths.push(path.join(dirs[name], e));
      }
    }
    const secrets = await readdir(this.deps.paths.secretsDir).catch(() => [] as string[]);
    const keeps: string[] = [];
    if (wipeWallet) {
      if (secrets.length) {
        deletes.push(`${path.relative(home, this.deps.paths.secretsDir)}/ (the wallet's recovery phrase, the provider key and certificate key, any farm pairing code: ${secrets.length} file(s))`);
        paths.push(this.deps.paths.secretsDir);
      }
    } else {
      keeps.push(`the wallet: ${path.relative(home, this.deps.paths.secretsDir)}/ (recovery phrase, provider key and certificate key) and state/${WALLET_STATE} (its address)`);
    }
    keeps.push('your AKT, the provider registration and leases on chain (nothing is sent or closed)');
    keeps.push('anything else in the data folder that is not RigLease data');
    return { deletes, keeps, paths };
  }

  private async deleteData(wipeWallet: boolean): Promise<string[]> {
    const { paths } = await this.dataPlan(wipeWallet);
    const out: string[] = [];
    for (const p of paths) {
      try {
        await rm(p, { recursive: true, force: true });
        out.push(`Deleted ${path.relative(this.deps.paths.home, p)}`);
      } catch (err) {
        // An open log file on Windows, say: said, not hidden; the rest still goes.
        out.push(`Could not delete ${path.relative(this.deps.paths.home, p)}: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
    return out;
  }
}

function stackObjects(status: StackStatus): string[] {
  const names = stackNames(status.prefix);
  return [
    `Docker container ${names.container} (k3s, and every pod of every lease in it)`,
    `Docker network ${names.network}`,
    ...status.volumes.map((v) => `Docker volume ${v} (${VOLUME_WHAT[v.slice(status.prefix.length + 1)] ?? 'cluster data'})`),
  ];
}

const VOLUME_WHAT: Record<string, string> = {
  k3s: "the cluster's datastore, images, manifests and the lease workloads' local storage",
  kubelet: 'pod volumes',
  cni: 'pod network state',
  log: 'container and k3s logs',
};

function notInstalledForReset(what = 'reset'): RigError {
  return new RigError('precondition_failed', `The provider stack is not installed: there is nothing to ${what}.`, 'Set it up with "Start providing" (Set up screen) or Provider stack → Up.');
}
