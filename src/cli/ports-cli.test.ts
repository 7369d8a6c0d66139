import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BenchRun, PortMapResult, PortsStatus } from '../api/schemas/bench.js';
import { SettingsStore } from '../store/settings-store.js';
import { pathsUnder } from '../store/paths.js';
import { bundleCli, runBundledCli, type CliRun } from '../../test/cli-bundle.js';
import { natPmpTestRouter } from '../../test/net/nat-pmp-router.js';

/**
 * `riglease ports` and `riglease probe-server` as a user runs them: the real CLI in separate
 * processes, the loopback NAT-PMP stand-in router (test/net), the probe server on 127.0.0.1.
 */
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const BUNDLE_DIR = path.join(ROOT, 'node_modules', '.cache', `riglease-ports-cli-test-${process.pid}`);
const MAIN = path.join(BUNDLE_DIR, 'cli.js');

let home: string;
let env: NodeJS.ProcessEnv;
const children: ChildProcess[] = [];

function riglease(args: string[]): Promise<CliRun> {
  return runBundledCli(MAIN, args, env);
}

beforeAll(async () => {
  await bundleCli(BUNDLE_DIR);
  home = await mkdtemp(path.join(os.tmpdir(), 'riglease-ports-cli-'));
  env = { PATH: process.env['PATH'], RIGLEASE_HOME: home, RIGLEASE_UPNP_SSDP: '127.0.0.1:9' };
  const settings = new SettingsStore(pathsUnder(home).settingsFile);
  await settings.update((s) => {
    s.stack.ports.gateway = 18443;
    s.bench.network.downloadUrl = '';
    s.bench.network.uploadUrl = '';
    s.bench.network.publicIpUrl = '';
  });
}, 120_000);
afterAll(async () => {
  for (const c of children) c.kill('SIGKILL');
  await rm(BUNDLE_DIR, { recursive: true, force: true });
  if (home) await rm(home, { recursive: true, force: true });
});

describe('riglease ports (real CLI, loopback NAT-PMP router)', () => {
  it('map in one process, status and unmap in later ones: the router is asked to delete exactly what was mapped', async () => {
    const router = await natPmpTestRouter({});
    env['RIGLEASE_NAT_PMP_GATEWAY'] = `127.0.0.1:${router.port}`;
    try {
      const t0 = Date.now();
      const mapped = await riglease(['ports', 'map', '--lifetime', '600', '--json']);
      expect(mapped.code, mapped.stderr).toBe(0);
      const r = PortMapResult.parse(JSON.parse(mapped.stdout));
      expect(r.method).toBe('nat-pmp');
      expect(r.externalAddress).toBe('203.0.113.7');
      expect(r.mappings.map((m) => [m.port, m.internalPort, m.ok])).toEqual([[80, 80, true], [443, 443, true], [8443, 18443, true], [8444, 8444, true]]);

      const status = await riglease(['ports', 'status', '--json']);
      expect(status.code, status.stderr).toBe(0);
      const s = PortsStatus.parse(JSON.parse(status.stdout));
      expect(s.held).toMatchObject({ method: 'nat-pmp', gateway: '127.0.0.1', renewing: false });
      // The stand-in router grants the next outside port up (its documented quirk): the status shows what the router granted.
      expect(s.held!.mappings.map((m) => [m.port, m.internalPort, m.externalPort, m.lifetimeSec, m.expired])).toEqual([[80, 80, 81, 600, false], [443, 443, 444, 600, false], [8443, 18443, 8444, 600, false], [8444, 8444, 8445, 600, false]]);
      const expires = Date.parse(s.held!.mappings[0]!.expiresAt!);
      expect(expires).toBeGreaterThanOrEqual(t0 + 599_000);
      expect(expires).toBeLessThanOrEqual(Date.now() + 600_000);
      expect(s.lastCheck).toBeNull();
      expect(s.advice[0]).toMatch(/^Reachability from outside has not been checked yet: run `riglease bench ports`/);

      const human = await riglease(['ports', 'status']);
      expect(human.stdout).toContain('Router mappings RigLease holds (NAT-PMP at 127.0.0.1');
      expect(human.stdout).toMatch(/TCP 8443  → this computer:18443  until 20/);

      const before = router.received.length;
      const removed = await riglease(['ports', 'unmap', '--json']);
      expect(removed.code, removed.stderr).toBe(0);
      const u = PortMapResult.parse(JSON.parse(removed.stdout));
      expect(u.mappings.every((m) => m.ok)).toBe(true);
      // RFC 6886 §3.4: per inside port, a mapping request with outside port 0 and lifetime 0.
      const deletes = router.received.slice(before).filter((b) => b.readUInt8(1) === 2).map((b) => [b.readUInt16BE(4), b.readUInt16BE(6), b.readUInt32BE(8)]);
      expect(deletes).toEqual([[80, 0, 0], [443, 0, 0], [18443, 0, 0], [8444, 0, 0]]);

      expect(PortsStatus.parse(JSON.parse((await riglease(['ports', 'status', '--json'])).stdout)).held).toBeNull();
      const again = await riglease(['ports', 'unmap']);
      expect(again.code).toBe(0);
      expect(again.stdout).toMatch(/Nothing to remove/);
    } finally {
      router.socket.close();
      delete env['RIGLEASE_NAT_PMP_GATEWAY'];
    }
  }, 60_000);

  it('a router that answers neither protocol: exit 1, and every port listed to forward by hand', async () => {
    const silent = await natPmpTestRouter({ silentFor: 1000 });
    env['RIGLEASE_NAT_PMP_GATEWAY'] = `127.0.0.1:${silent.port}`;
    try {
      const run = await riglease(['ports', 'map']);
      expect(run.code).toBe(1);
      expect(run.stdout).toMatch(/^No router mapped the ports\./);
      expect(run.stdout).toMatch(/to do: Neither NAT-PMP nor UPnP mapped the ports\. Forward them by hand .*TCP 8443 → .*:18443/);
    } finally {
      silent.socket.close();
      delete env['RIGLEASE_NAT_PMP_GATEWAY'];
    }
  }, 30_000);

  it('usage errors exit 2', async () => {
    expect((await riglease(['ports', 'open'])).code).toBe(2);
    expect((await riglease(['ports', 'status', '--lifetime', '60'])).code).toBe(2);
    expect((await riglease(['probe-server', '--ports', '80,x'])).code).toBe(2);
  });
});

describe('riglease probe-server + riglease bench ports (two processes)', () => {
  it('the probe connects back to this machine on 80, 443, 8443, 8444; the stored check explains each port; SIGTERM stops the probe', async () => {
    const probe = spawn(process.execPath, [MAIN, 'probe-server', '--host', '127.0.0.1', '--port', '0', '--timeout', '1000', '--json'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    children.push(probe);
    let stderr = '';
    probe.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const first = await new Promise<string>((resolve) => probe.stdout.once('data', (d: Buffer) => resolve(d.toString())));
    const { url, ports } = JSON.parse(first) as { url: string; ports: number[] };
    expect(ports).toEqual([80, 443, 8443, 8444]);
    // 8444 answered on this machine when it is free here (nothing else on this host uses it); the others have nothing listening.
    const l = net.createServer((c) => c.destroy());
    const listening = await new Promise<boolean>((resolve) => {
      l.once('error', () => resolve(false));
      l.listen(8444, '127.0.0.1', () => resolve(true));
    });
    try {
      const settings = new SettingsStore(pathsUnder(home).settingsFile);
      await settings.update((s) => {
        s.bench.network.portProbeUrl = url;
      });
      const run = await riglease(['bench', 'ports', '--json']);
      const stored = BenchRun.parse(JSON.parse(run.stdout));
      expect(stored.ports?.tested).toBe(true);
      expect(stored.ports?.reason).toBe('checked from outside against 127.0.0.1');
      const byPort = Object.fromEntries(stored.ports!.ports.map((p) => [p.port, p]));
      if (listening) expect(byPort[8444]).toMatchObject({ state: 'open', probe: 'open' });
      // Nothing listens on 127.0.0.1:8443 here (the stack is not running).
      expect(byPort[8443]).toMatchObject({ state: 'closed', probe: 'closed' });
      expect(byPort[8443]!.detail).toMatch(/^refused at 127\.0\.0\.1:8443 \(\d+ ms\): the connection arrived but nothing accepted it — .*18443/);
      // The probe logged the check: who asked and what it found.
      expect(stderr).toMatch(/probe\.checked \{"from":"127\.0\.0\.1","ports":"80:\w+ 443:\w+ 8443:closed 8444:\w+"\}/);
      // `ports status` now shows that check.
      const s = PortsStatus.parse(JSON.parse((await riglease(['ports', 'status', '--json'])).stdout));
      expect(s.lastCheck?.at).toBe(stored.at);
    } finally {
      await new Promise((r) => l.close(r));
    }
    const exited = new Promise<number | null>((resolve) => probe.once('close', resolve));
    probe.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(stderr).toMatch(/SIGTERM: stopping\./);
  }, 60_000);
});
