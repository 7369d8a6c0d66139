import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { StackPorts } from '../../api/schemas/settings/stack.js';
import { forwardsCover, relayForwards } from './relay-forwards.js';
import { generateWgKeyPair } from './relay-keys.js';
import { forwardScript, relayCloudInit, relaySetupScript, relaySshCommand, type RelayScriptInput } from './relay-script.js';

const relay = generateWgKeyPair();
const rig = generateWgKeyPair();
const input: RelayScriptInput = {
  relayPrivateKey: relay.privateKey,
  rigPublicKey: rig.publicKey,
  relayAddress: '100.88.13.1',
  rigAddress: '100.88.13.2',
  prefixLength: 30,
  interfaceName: 'riglease0',
  listenPort: 51820,
  mtu: 1420,
  forwards: relayForwards(StackPorts.parse({ https: 18443, nodePortStart: 31000, nodePortCount: 5 })),
};

describe('relay forwards', () => {
  it('are the four provider ports to their host ports, and the NodePort range 1:1 for TCP and UDP', () => {
    expect(input.forwards.map((f) => `${f.protocol} ${f.publicPort}+${f.count}→${f.rigPort}`)).toEqual([
      'tcp 80+1→80',
      'tcp 443+1→18443',
      'tcp 8443+1→8443',
      'tcp 8444+1→8444',
      'tcp 31000+5→31000',
      'udp 31000+5→31000',
    ]);
    expect(forwardsCover(input.forwards, 'udp', 31004)).toBe(true);
    expect(forwardsCover(input.forwards, 'udp', 51820)).toBe(false);
    expect(relayForwards(StackPorts.parse({ nodePortCount: 0 }))).toHaveLength(4);
  });
});

describe('relay setup script', () => {
  const script = relaySetupScript(input);

  it('is valid bash, and so is the forwarding hook it writes', () => {
    execFileSync('bash', ['-n'], { input: script, timeout: 5_000 });
    execFileSync('bash', ['-n'], { input: forwardScript(input), timeout: 5_000 });
  });

  it('carries the server\u2019s private key once, the rig\u2019s public key, and never the rig\u2019s private key', () => {
    expect(script.split(relay.privateKey)).toHaveLength(2);
    expect(script).toContain(`'PublicKey = ${rig.publicKey}'`);
    expect(script).not.toContain(rig.privateKey);
    expect(script).toMatch(/^# SECRET:/m);
  });

  it('installs only what is missing, and --no-install never runs apt-get', () => {
    expect(script).toContain('kmod || command -v wireguard-go >/dev/null || need+=(wireguard-go)');
    expect(script).toMatch(/if \[ "\$INSTALL" = 0 \]; then echo "Missing/);
    expect(script.indexOf('apt-get install')).toBeGreaterThan(script.indexOf('INSTALL" = 0'));
  });

  it('forwards each port with DNAT (a single port may move, a range keeps its ports) and answers the rig\u2019s knocks', () => {
    const hook = forwardScript(input);
    expect(hook).toContain('-p tcp --dport 443 -j DNAT --to-destination 100.88.13.2:18443');
    expect(hook).toContain('-p udp --dport 31000:31004 -j DNAT --to-destination 100.88.13.2 ');
    expect(hook).toContain('-j SNAT --to-source 100.88.13.1');
    expect(hook).toContain('--dport 9 -j REJECT --reject-with tcp-reset');
    expect(() => forwardScript({ ...input, forwards: [{ protocol: 'tcp', publicPort: 30000, count: 2, rigPort: 40000, purpose: 'x' }] })).toThrow(/keep its port numbers/);
  });

  it('cloud-init carries the very same script (base64, so YAML cannot change it) and removes it after running', () => {
    const doc = parse(relayCloudInit(script)) as { write_files: { path: string; encoding: string; content: string; permissions: string }[]; runcmd: string[][] };
    const file = doc.write_files[0]!;
    expect(file.encoding).toBe('b64');
    expect(file.permissions).toBe('0700');
    expect(Buffer.from(file.content, 'base64').toString('utf8')).toBe(script);
    expect(doc.runcmd).toEqual([['bash', file.path], ['rm', '-f', file.path]]);
    expect(relayCloudInit(script).startsWith('#cloud-config\n')).toBe(true);
  });

  it('the SSH way sends the script on stdin, not in the command line', () => {
    expect(relaySshCommand('203.0.113.7')).toBe("riglease relay setup-script --bash | ssh root@203.0.113.7 'bash -s'");
  });
});

describe.skipIf(process.getuid?.() !== 0)('relay setup script on a server without WireGuard (run as root, PATH without wg)', () => {
  const run = (args: string[]) => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'relay-path-'));
    for (const tool of ['bash', 'id', 'cat', 'awk', 'ip']) {
      const where = execFileSync('sh', ['-c', `command -v ${tool}`]).toString().trim();
      if (where) symlinkSync(where, path.join(dir, tool));
    }
    const r = spawnSync(path.join(dir, 'bash'), ['-s', '--', ...args], { input: relaySetupScript(input), env: { PATH: dir }, encoding: 'utf8', timeout: 10_000 });
    rmSync(dir, { recursive: true, force: true });
    return r;
  };

  it('--no-install stops before installing anything and says what is missing', () => {
    const r = run(['--no-install']);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('Missing wireguard-tools iptables wireguard-go, and --no-install was given.');
  });

  it('without apt-get it says what to install by hand instead of guessing a package manager', () => {
    const r = run([]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('This script installs with apt-get (Debian, Ubuntu). Install wireguard-tools iptables wireguard-go yourself');
  });
});
