import os from 'node:os';
import { describe, expect, it } from 'vitest';
import { SystemInfo } from '../../api/schemas/hardware.js';
import { detectOsKind, parseOsRelease } from './os-kind.js';
import { gatherSystemFacts, pickDisk } from './system-info.js';

describe('detectOsKind', () => {
  it.each([
    ['linux', {}, 'Linux version 6.8.0-45-generic (buildd@lcy02-amd64-075) (gcc 13.2.0)', 'linux'],
    ['linux', {}, 'Linux version 5.15.167.4-microsoft-standard-WSL2 (root@f9c826d3017f) (gcc 11.2.0)', 'wsl2'],
    ['linux', { WSL_DISTRO_NAME: 'Ubuntu-24.04' }, null, 'wsl2'],
    ['win32', {}, null, 'windows'],
    ['darwin', {}, null, 'macos'],
    ['freebsd', {}, null, 'other'],
  ] as const)('%s %j %s → %s', (platform, env, procVersion, kind) => {
    expect(detectOsKind({ platform, env, procVersion })).toBe(kind);
  });
});

describe('parseOsRelease', () => {
  it('reads NAME and VERSION_ID', () => {
    const text = 'PRETTY_NAME="Ubuntu 24.04.1 LTS"\nNAME="Ubuntu"\nVERSION_ID="24.04"\nID=ubuntu\n';
    expect(parseOsRelease(text)).toEqual({ distro: 'Ubuntu', release: '24.04' });
  });
});

describe('gatherSystemFacts on this machine', () => {
  it('returns numbers that match what the OS says, fast', async () => {
    const started = performance.now();
    const f = await gatherSystemFacts({ platform: process.platform, env: process.env, timeoutMs: 5000 });
    const took = performance.now() - started;
    expect(f.arch).toBe(os.arch());
    expect(f.hostname).toBe(os.hostname());
    expect(f.cpu.threads).toBe(os.cpus().length);
    expect(Math.abs(f.memory.totalMiB - os.totalmem() / 1024 / 1024)).toBeLessThan(2);
    expect(f.mounts.length).toBeGreaterThan(0);
    // The budget is the whole scan in 1.5 s on a loaded machine; this part must be well under it.
    expect(took).toBeLessThan(3000);
    const disk = await pickDisk(f, null, os.homedir(), process.platform);
    expect(disk?.path).toBe(os.homedir());
    expect(disk!.freeMiB).toBeGreaterThan(0);
    expect(disk!.freeMiB).toBeLessThanOrEqual(disk!.totalMiB);
    expect(SystemInfo.safeParse({ hostname: f.hostname, os: f.os, arch: f.arch, cpu: f.cpu, memory: f.memory, disk }).success).toBe(true);
  });

  it('falls back to the home folder when Docker keeps its data inside a VM we cannot see', async () => {
    const f = await gatherSystemFacts({ platform: process.platform, env: process.env, timeoutMs: 5000 });
    const disk = await pickDisk(f, '/nonexistent/docker-desktop-vm/var/lib/docker', os.homedir(), process.platform);
    expect(disk?.path).toBe(os.homedir());
  });
});
