import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fakeNvidiaSmiEnv, type FakeNvidiaSmiOptions } from '../fake-nvidia-smi/index.js';

export const PASSPHRASE = 'farm-test-passphrase-1234';

export interface Envelope {
  ok: boolean;
  value?: unknown;
  error?: { code: string; message: string; fix?: string };
}

/**
 * One farm machine for tests: a real `riglease serve` child with its own RIGLEASE_HOME and its
 * own fake nvidia-smi capture, on the shared test Docker engine.
 */
export class FarmMachine {
  child: ChildProcess | null = null;
  origin = '';
  stderr = '';
  readonly token = `farmtest-${Math.random().toString(36).slice(2)}-token`;

  private constructor(
    readonly name: string,
    readonly home: string,
    private readonly main: string,
    private readonly env: NodeJS.ProcessEnv,
  ) {}

  static async create(name: string, main: string, nvidia: FakeNvidiaSmiOptions, dockerHost: string): Promise<FarmMachine> {
    const home = await mkdtemp(path.join(os.tmpdir(), `riglease-farm-${name}-`));
    const env = { ...fakeNvidiaSmiEnv(nvidia), RIGLEASE_HOME: home, DOCKER_HOST: dockerHost, RIGLEASE_PASSPHRASE: PASSPHRASE };
    return new FarmMachine(name, home, main, env);
  }

  async start(): Promise<void> {
    const child = spawn(process.execPath, [this.main, 'serve', '--port', '0', `--token=${this.token}`], { env: this.env, stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    child.stderr!.on('data', (d: Buffer) => (this.stderr += d.toString()));
    const line = await new Promise<string>((resolve, reject) => {
      let buf = '';
      child.stdout!.on('data', (d: Buffer) => {
        buf += d.toString();
        const nl = buf.indexOf('\n');
        if (nl >= 0) resolve(buf.slice(0, nl));
      });
      child.once('exit', () => reject(new Error(`${this.name}: serve exited early: ${this.stderr}`)));
    });
    this.origin = new URL(line).origin;
  }

  async call(method: string, input: unknown = {}): Promise<Envelope> {
    const res = await fetch(`${this.origin}/api/rpc`, {
      method: 'POST',
      headers: { authorization: `Bearer ${this.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ method, input }),
    });
    return (await res.json()) as Envelope;
  }

  async ok<T>(method: string, input: unknown = {}): Promise<T> {
    const r = await this.call(method, input);
    if (!r.ok) throw new Error(`${this.name} ${method}: ${r.error?.message} (${r.error?.fix ?? ''})`);
    return r.value as T;
  }

  async set(settings: Record<string, unknown>): Promise<void> {
    for (const [key, value] of Object.entries(settings)) await this.ok('settings.set', { key, value });
  }

  /** The CLI as a one-shot process against this machine's home. */
  cli(args: string[], stdin?: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
    return new Promise((resolve, reject) => {
      const child = spawn(process.execPath, [this.main, ...args], { env: this.env, stdio: [stdin === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout!.on('data', (b: Buffer) => (stdout += b.toString()));
      child.stderr!.on('data', (b: Buffer) => (stderr += b.toString()));
      if (stdin !== undefined) child.stdin!.end(stdin);
      child.once('error', reject);
      child.once('close', (code) => resolve({ code, stdout, stderr }));
    });
  }

  /** Kills the process hard, as a power cut or a lost network would look to the controller. */
  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    const c = this.child;
    if (!c || c.exitCode !== null || c.signalCode !== null) return;
    const gone = new Promise<void>((resolve) => c.once('exit', () => resolve()));
    c.kill(signal);
    await gone;
    this.child = null;
  }

  async dispose(): Promise<void> {
    await this.kill('SIGTERM');
    await rm(this.home, { recursive: true, force: true });
  }
}

/**
 * The settings that make a test machine a farm controller on this one host: its stack from the
 * k3s stand-in (no GPUs in the stack, no readiness wait), every port free, everything on 127.0.0.1.
 */
export function controllerSettings(o: { prefix: string; standIn: string; name: string; fleetPort: number; base: number; k3sPort: number }): Record<string, unknown> {
  return {
    'stack.namePrefix': o.prefix,
    'stack.images.k3s': o.standIn,
    'stack.gpus': [],
    'stack.domain': 'provider-test.example.org',
    'stack.ports': { http: o.base, https: o.base + 1, gateway: o.base + 2, grpc: o.base + 3, nodePortStart: o.base + 4, nodePortCount: 2 },
    'stack.readyTimeoutSec': 0,
    'stack.minFreeDiskGiB': 0,
    'farm.machineName': o.name,
    'farm.fleetPort': o.fleetPort,
    'farm.listenHost': '127.0.0.1',
    'farm.advertiseAddress': '127.0.0.1',
    'farm.k3sPort': o.k3sPort,
    'farm.kubeletPort': o.k3sPort + 1,
    'farm.vxlanPort': o.k3sPort + 2,
    // k3sPort starts a run of four free ports: WireGuard's 51820 is taken by one stack per engine only.
    'farm.wireguardPort': o.k3sPort + 3,
  };
}
