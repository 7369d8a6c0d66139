import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { RigError } from '../../api/errors.js';
import { RelaySettings } from '../../api/schemas/settings/network-relay.js';
import { StackPorts } from '../../api/schemas/settings/stack.js';
import type { SecretStore } from '../../store/secret-store.js';
import type { Logger } from '../../util/logger.js';
import type { RelayExec } from './relay-exec.js';
import { createRelayService } from './relay-service.js';

const quiet: Logger = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined, child: () => quiet };

function service(exec: RelayExec, wireguardGo = 'wireguard-go') {
  const m = new Map<string, string>();
  const secrets: SecretStore = { kind: 'memory', has: async (n) => m.has(n), get: async (n) => m.get(n) ?? null, set: async (n, v) => void m.set(n, v), delete: async (n) => void m.delete(n) };
  let relay = RelaySettings.parse({});
  const ports = StackPorts.parse({});
  return createRelayService({ settings: async () => ({ relay, ports }), saveRelay: async (n) => void (relay = n), secrets, logger: quiet, platform: 'linux', exec, wireguardGo });
}

const ok = { code: 0, stdout: '', stderr: '', timedOut: false };

describe('relay up refuses with a reason a person can act on', () => {
  it('before init: not set up, with the command', async () => {
    const s = service(async () => ok);
    await expect(s.up()).rejects.toThrow(/not set up/);
  });

  it('an interface already in the tunnel subnet (another VPN in 100.64.0.0/10)', async () => {
    const s = service(async (file, args) =>
      file === 'ip' && args[0] === '-4' ? { ...ok, stdout: '1: lo    inet 127.0.0.1/8 scope host lo\n7: tailscale0    inet 100.88.13.3/32 scope global tailscale0\n' } : ok,
    );
    await s.init({ endpoint: '203.0.113.7:51820', newKeys: false });
    const err = await s.up().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RigError);
    expect((err as RigError).message).toContain('already uses 100.88.13.3 on tailscale0');
    expect((err as RigError).fix).toContain('network.relay.rigAddress');
  });

  it('no kernel module and no wireguard-go: says what to install, at once (no retry backoff)', async () => {
    const s = service(async (file, args) => (file === 'ip' && args[0] === 'link' && args[1] === 'add' ? { ...ok, code: 2, stderr: 'Error: Unknown device type.' } : file === 'ip' && args[1] === 'show' ? { ...ok, code: 1 } : ok), '/nonexistent/wireguard-go');
    await s.init({ endpoint: '203.0.113.7:51820', newKeys: false });
    const started = performance.now();
    const err = (await s.up().catch((e: unknown) => e)) as RigError;
    expect(performance.now() - started).toBeLessThan(2_000);
    expect(err.message).toContain('wireguard-go is not installed');
    expect(err.fix).toContain('apt-get install wireguard-tools wireguard-go');
    await s.stop();
  });
});

describe('relay follows its settings in a running app', () => {
  it('kernel WireGuard: up, a changed keepalive rebuilds the tunnel, enabled=false takes it down', async () => {
    const calls: string[] = [];
    const s = service(async (file, args) => {
      calls.push(`${file} ${args.join(' ')}`);
      return file === 'ip' && args[1] === 'show' ? { ...ok, code: 1 } : ok;
    });
    const info = await s.init({ endpoint: '203.0.113.7:51820', newKeys: false });
    const up = await s.up();
    expect(up.tunnel.mode).toBe('kernel');
    expect(calls.filter((c) => c.startsWith('ip link add'))).toHaveLength(1);
    // The key went to wg on stdin: no call's arguments hold anything but the interface name.
    expect(calls.find((c) => c.includes('setconf'))).toBe(`/bin/sh -c cat | "$0" setconf "$1" /dev/stdin wg riglease0`);
    const settings = RelaySettings.parse({ enabled: true, endpoint: '203.0.113.7:51820', rigPublicKey: info.rigPublicKey, relayPublicKey: info.relayPublicKey });
    await s.reconcile(settings);
    expect(calls.filter((c) => c.startsWith('ip link add'))).toHaveLength(1);
    await s.reconcile({ ...settings, keepaliveSec: 15 });
    expect(calls.filter((c) => c.startsWith('ip link add'))).toHaveLength(2);
    await s.reconcile({ ...settings, enabled: false });
    expect((await s.status()).tunnel.mode).toBeNull();
    await s.stop();
  });
});

describe('relay errors never carry a key', () => {
  it('wg quoting a config line it rejects: the key-shaped text is replaced before the message is made', async () => {
    let leaked = '';
    const s = service(async (file, args, opts) => {
      if (file === '/bin/sh') {
        leaked = /PrivateKey = (\S+)/.exec(opts?.input ?? '')?.[1] ?? '';
        return { ...ok, code: 1, stderr: `Line unrecognized: \`PrivateKey=${leaked}x'\nConfiguration parsing error` };
      }
      return file === 'ip' && args[1] === 'show' ? { ...ok, code: 1 } : ok;
    });
    await s.init({ endpoint: '203.0.113.7:51820', newKeys: false });
    const err = (await s.up().catch((e: unknown) => e)) as Error;
    expect(leaked).toHaveLength(44);
    expect(err.message).toContain('[key]');
    expect(err.message).not.toContain(leaked.slice(0, 20));
    await s.stop();
  });
});

describe('a relay that cannot start in the app says why in its status', () => {
  it('wireguard-go not executable: start() logs, and relay.status carries the reason and the fix', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'relay-noexec-'));
    const notExecutable = path.join(dir, 'wireguard-go');
    writeFileSync(notExecutable, '#!/bin/sh\n', { mode: 0o644 });
    // No interface anywhere (`ip link show` and `wg show` fail), the kernel's refused, wireguard-go cannot be run.
    const s = service(async (file, args) => (file === 'ip' && args[1] === 'add' ? { ...ok, code: 2, stderr: 'RTNETLINK answers: Operation not permitted' } : (file === 'ip' && args[1] === 'show') || file === 'wg' ? { ...ok, code: 1 } : ok), notExecutable);
    await s.init({ endpoint: '203.0.113.7:51820', newKeys: false });
    await s.up().catch(() => undefined);
    await s.start();
    const st = await s.status();
    rmSync(dir, { recursive: true, force: true });
    expect(st.state).toBe('error');
    expect(st.text).toMatch(/could not start/);
    expect(st.fix).toMatch(/root/);
    await s.stop();
  });
});
