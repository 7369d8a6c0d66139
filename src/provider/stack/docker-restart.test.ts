import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, openSync, closeSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Docker from 'dockerode';
import { afterAll, describe, expect, it } from 'vitest';
import { cleanup, stackEnv, type StackEnv } from '../../../test/stack/stack-env.js';
import { EventHub } from '../../core/event-hub.js';
import { TaskRegistry } from '../../core/task-registry.js';
import { silentLogger } from '../../util/logger.js';
import { StackService, dockerError } from './stack-service.js';

/**
 * "Docker restarting while the stack runs: the stack comes back by itself and the app shows the
 * true state afterwards." Proven on a SECOND private dockerd of this test's own (the shared test
 * engine must never be stopped under the other tests): stack up → SIGTERM dockerd, wait for it to
 * exit → start it again on the same data root → the k3s container runs again without anyone
 * asking, and a brand-new StackService reports exactly that.
 *
 * Same runtime shim as test/docker/start-test-dockerd.sh (privileged containers on this sandbox).
 * The daemon runs in a network namespace of its own (`unshare --net`): on the host's namespace it
 * would delete or fight over the shared engine's docker0 bridge and iptables chains, breaking the
 * suites running beside it. `--iptables=false`: published ports are served by docker-proxy.
 */

const SHIM = fileURLToPath(new URL('../../../test/docker/runc-drop-missing-caps.sh', import.meta.url));

function skipReason(): string | null {
  if (process.getuid?.() !== 0) return 'not root, so a private dockerd cannot be started';
  if (spawnSync('sh', ['-c', 'command -v dockerd']).status !== 0) return 'dockerd is not installed';
  return null;
}
const reason = skipReason();
if (reason && process.env['CI'] === 'true') throw new Error(`CI must run the Docker-restart test: ${reason}`);
if (reason) console.warn(`docker-restart.test.ts skipped: ${reason}`);
const d = reason ? describe.skip : describe;

class PrivateDockerd {
  readonly sock: string;
  readonly docker: Docker;
  private proc: ChildProcess | null = null;
  private exited: Promise<number | null> | null = null;

  constructor(
    readonly dir: string,
    private readonly extraArgs: string[] = [],
  ) {
    this.sock = path.join(dir, 'd.sock');
    this.docker = new Docker({ socketPath: this.sock });
  }

  async start(): Promise<void> {
    const log = openSync(path.join(this.dir, 'dockerd.log'), 'a');
    // In a network namespace of its own: a second dockerd on the host's namespace deletes the
    // shared engine's docker0 bridge when started with --bridge=none, and fights over it without.
    const proc = spawn(
      'unshare',
      [
        '--net',
        '--',
        'dockerd',
        `--host=unix://${this.sock}`,
        `--data-root=${path.join(this.dir, 'data')}`,
        // Short paths: containerd's sockets live under exec-root and unix paths are capped at 108 bytes.
        `--exec-root=${path.join(this.dir, 'x')}`,
        `--pidfile=${path.join(this.dir, 'dockerd.pid')}`,
        '--iptables=false',
        '--ip6tables=false',
        `--add-runtime=riglease-test=${SHIM}`,
        '--default-runtime=riglease-test',
        ...this.extraArgs,
      ],
      { stdio: ['ignore', log, log] },
    );
    closeSync(log);
    this.proc = proc;
    this.exited = new Promise((resolve) => proc.once('exit', (code) => resolve(code)));
    const deadline = Date.now() + 60_000;
    for (;;) {
      if (proc.exitCode !== null) throw new Error(`dockerd exited (${proc.exitCode}) while starting:\n${this.logTail()}`);
      try {
        await this.docker.ping();
        return;
      } catch {
        if (Date.now() > deadline) throw new Error(`dockerd did not answer within 60 s:\n${this.logTail()}`);
        await new Promise((r) => setTimeout(r, 200));
      }
    }
  }

  /** SIGTERM, as a system shutdown or `systemctl restart docker` sends, and wait for it to exit. */
  async stop(timeoutMs = 60_000): Promise<number | null> {
    const proc = this.proc;
    if (!proc || !this.exited) return null;
    this.proc = null;
    if (proc.exitCode !== null) return proc.exitCode;
    proc.kill('SIGTERM');
    const timer = setTimeout(() => proc.kill('SIGKILL'), timeoutMs);
    const code = await this.exited;
    clearTimeout(timer);
    return code;
  }

  logTail(): string {
    try {
      return readFileSync(path.join(this.dir, 'dockerd.log'), 'utf8').split('\n').slice(-30).join('\n');
    } catch {
      return '(no log)';
    }
  }
}

function freshService(docker: Docker, e: StackEnv): StackService {
  return new StackService({
    docker: () => docker,
    settings: async () => e.settings,
    hardware: async () => ({ gpus: [] }),
    wallet: { address: async () => 'akash1qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqq', keyExport: async () => null },
    pricing: async () => ({ script: '#!/bin/sh\necho 2\n', env: { PRICE_TARGET_GPU_MAPPINGS: 'rtx4090=150' } }),
    tasks: new TaskRegistry(new EventHub()),
    logger: silentLogger,
  });
}

d('Docker itself restarting while the stack runs', () => {
  const daemons: PrivateDockerd[] = [];
  afterAll(async () => {
    for (const dd of daemons) {
      await dd.stop(20_000);
      // dockerd makes its data root a private bind mount of itself (kept on shutdown with
      // --live-restore); undo every mount under the folder before removing it.
      const mounts = readFileSync('/proc/mounts', 'utf8').split('\n').map((l) => l.split(' ')[1] ?? '').filter((m) => m.startsWith(`${dd.dir}/`));
      for (const m of mounts.reverse()) spawnSync('umount', ['-l', m]);
      rmSync(dd.dir, { recursive: true, force: true });
    }
  }, 120_000);

  async function daemon(extra: string[] = []): Promise<PrivateDockerd> {
    const dd = new PrivateDockerd(mkdtempSync('/tmp/rl-dr-'), extra);
    daemons.push(dd);
    await dd.start();
    return dd;
  }

  it('default daemon: SIGTERM stops the k3s container, the restarted daemon starts it by itself, a new service shows it running', async () => {
    const dd = await daemon();
    const e = await stackEnv(dd.docker);
    expect((await e.tasks.wait(e.service.up().id)).state).toBe('succeeded');
    const name = `${e.prefix}-k3s`;
    const before = await dd.docker.getContainer(name).inspect();
    expect(before.State.Running).toBe(true);
    expect(before.HostConfig.RestartPolicy?.Name).toBe('unless-stopped');

    expect(await dd.stop()).toBe(0);
    // While Docker is down the app claims nothing: status fails, and the API (stack handlers map
    // through dockerError) tells the user to start Docker.
    const down = await freshService(dd.docker, e).status().then(() => null, (err: unknown) => err);
    expect(down).not.toBeNull();
    expect(dockerError(down)).toMatchObject({ code: 'unavailable', fix: expect.stringContaining('Start Docker') });

    await dd.start();
    // Nobody calls up or start: the daemon's restart policy brings the container back.
    await expect.poll(async () => (await dd.docker.getContainer(name).inspect()).State.Running, { timeout: 30_000, interval: 200 }).toBe(true);
    const after = await dd.docker.getContainer(name).inspect();
    expect(after.Id).toBe(before.Id);
    // A new process, not a restart by the policy's crash counter: Docker started it afresh.
    expect(after.State.StartedAt).not.toBe(before.State.StartedAt);
    expect(after.State.Pid).not.toBe(before.State.Pid);

    const st = await freshService(dd.docker, e).status();
    const row = st.components.find((x) => x.name === 'container')!;
    expect(row.state).toBe('running');
    expect(row.since).toBe(after.State.StartedAt);
    expect(st.upToDate).toBe(true);
    // The stand-in never answers as k3s, so "starting" is the true state — not "stopped", not "running".
    expect(st.overall).toBe('starting');
    // And nothing needs doing: a second up changes nothing.
    expect((await e.tasks.wait(e.service.up().id)).result).toMatchObject({ changed: false, containerId: before.Id });
    await cleanup(dd.docker, e.prefix);
  }, 180_000);

  it('a user\'s docker stop is respected across a daemon restart (unless-stopped), and status says stopped', async () => {
    const dd = await daemon();
    const e = await stackEnv(dd.docker);
    expect((await e.tasks.wait(e.service.up().id)).state).toBe('succeeded');
    const name = `${e.prefix}-k3s`;
    await e.service.down();
    expect(await dd.stop()).toBe(0);
    await dd.start();
    // Give the daemon's restore pass a chance to (wrongly) start it: wait for the daemon to list it.
    await expect.poll(async () => (await dd.docker.listContainers({ all: true, filters: JSON.stringify({ name: [name] }) })).length, { timeout: 30_000 }).toBe(1);
    expect((await dd.docker.getContainer(name).inspect()).State.Running).toBe(false);
    const st = await freshService(dd.docker, e).status();
    expect(st.components.find((x) => x.name === 'container')!.state).toBe('stopped');
    await cleanup(dd.docker, e.prefix);
  }, 180_000);

  it('--live-restore daemon: the k3s process keeps running through the daemon restart (same pid, same start time)', async () => {
    const dd = await daemon(['--live-restore']);
    const e = await stackEnv(dd.docker);
    expect((await e.tasks.wait(e.service.up().id)).state).toBe('succeeded');
    const name = `${e.prefix}-k3s`;
    const before = await dd.docker.getContainer(name).inspect();
    expect(await dd.stop()).toBe(0);
    // The container's process outlived its daemon.
    expect(() => process.kill(before.State.Pid, 0)).not.toThrow();
    await dd.start();
    const after = await dd.docker.getContainer(name).inspect();
    expect(after.State.Running).toBe(true);
    expect(after.State.Pid).toBe(before.State.Pid);
    expect(after.State.StartedAt).toBe(before.State.StartedAt);
    const st = await freshService(dd.docker, e).status();
    expect(st.components.find((x) => x.name === 'container')!.state).toBe('running');
    expect(st.upToDate).toBe(true);
    await cleanup(dd.docker, e.prefix);
  }, 180_000);
});
