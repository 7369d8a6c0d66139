import { access, readFile, statfs } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import si from 'systeminformation';
import type { SystemInfo } from '../../api/schemas/hardware.js';
import { withTimeout } from '../with-timeout.js';
import { detectOsKind, parseOsRelease } from './os-kind.js';

const MiB = 1024 * 1024;

export interface SystemFacts {
  hostname: string;
  os: SystemInfo['os'];
  arch: string;
  cpu: SystemInfo['cpu'];
  memory: SystemInfo['memory'];
  /** Mounted file systems, so the disk can be picked once Docker has said where its data lives. */
  mounts: Array<{ mount: string; totalMiB: number; freeMiB: number }>;
}

/**
 * CPU, memory, OS and mounts. Measured on the dev VM: si.cpu ~70–110 ms, si.mem ~5 ms,
 * si.fsSize ~30 ms, si.osInfo ~250 ms (it spawns lsb_release and friends) — so on Linux the
 * distro comes from /etc/os-release directly, and osInfo is only used where there is none.
 */
export async function gatherSystemFacts(input: { platform: NodeJS.Platform; env: NodeJS.ProcessEnv; timeoutMs: number }): Promise<SystemFacts> {
  const t = input.timeoutMs;
  const [cpu, mem, osPart, fs] = await Promise.all([
    withTimeout(si.cpu(), t).catch(() => null),
    withTimeout(si.mem(), t).catch(() => null),
    osFacts(input.platform, input.env, t),
    withTimeout(si.fsSize(), t).catch(() => []),
  ]);
  const threads = cpu?.cores ?? os.cpus().length;
  return {
    hostname: os.hostname(),
    os: osPart,
    arch: os.arch(),
    cpu: {
      model: cpu ? `${cpu.manufacturer} ${cpu.brand}`.trim() : (os.cpus()[0]?.model ?? 'unknown CPU'),
      vendor: cpu?.manufacturer || null,
      cores: cpu?.physicalCores ?? null,
      threads: threads > 0 ? threads : null,
      // From the CPU flags (vmx/svm) on Linux, Hyper-V's report on Windows; null when we could not ask.
      virtualization: cpu ? Boolean(cpu.virtualization) : null,
    },
    memory: {
      totalMiB: Math.round((mem?.total ?? os.totalmem()) / MiB),
      availableMiB: Math.round((mem?.available ?? os.freemem()) / MiB),
    },
    mounts: fs
      .filter((f) => f.size > 0)
      .map((f) => ({ mount: f.mount, totalMiB: Math.round(f.size / MiB), freeMiB: Math.round(f.available / MiB) })),
  };
}

async function osFacts(platform: NodeJS.Platform, env: NodeJS.ProcessEnv, timeoutMs: number): Promise<SystemInfo['os']> {
  const kernel = os.release();
  if (platform === 'linux') {
    const [procVersion, osRelease] = await Promise.all([
      readFile('/proc/version', 'utf8').catch(() => null),
      readFile('/etc/os-release', 'utf8').catch(() => null),
    ]);
    const rel = osRelease ? parseOsRelease(osRelease) : { distro: null, release: null };
    return { kind: detectOsKind({ platform, env, procVersion }), platform, distro: rel.distro, release: rel.release, kernel };
  }
  const info = await withTimeout(si.osInfo(), timeoutMs).catch(() => null);
  return {
    kind: detectOsKind({ platform, env, procVersion: null }),
    platform,
    distro: info?.distro || null,
    release: info?.release || null,
    kernel,
  };
}

/**
 * The disk that will hold images and tenant data: Docker's data root when it is on this file
 * system (not inside Docker Desktop's VM), else the home folder.
 */
export async function pickDisk(
  facts: SystemFacts,
  dockerRootDir: string | null,
  homeDir: string,
  platform: NodeJS.Platform,
): Promise<SystemInfo['disk']> {
  const candidates = [dockerRootDir, homeDir].filter((p): p is string => !!p);
  for (const dir of candidates) {
    if (!(await exists(dir))) continue;
    const mount = longestMount(facts.mounts, dir, platform);
    if (mount) return { path: dir, mount: mount.mount, totalMiB: mount.totalMiB, freeMiB: mount.freeMiB };
    try {
      const s = await statfs(dir);
      return { path: dir, mount: null, totalMiB: Math.round((s.blocks * s.bsize) / MiB), freeMiB: Math.round((s.bavail * s.bsize) / MiB) };
    } catch {
      // Try the next candidate.
    }
  }
  return null;
}

function longestMount(mounts: SystemFacts['mounts'], dir: string, platform: NodeJS.Platform): SystemFacts['mounts'][number] | null {
  const win = platform === 'win32';
  const norm = (p: string) => (win ? p.toLowerCase().replace(/\//g, '\\') : p);
  const target = norm(win ? path.win32.resolve(dir) : path.posix.resolve(dir));
  let best: SystemFacts['mounts'][number] | null = null;
  for (const m of mounts) {
    const mp = norm(m.mount);
    const sep = win ? '\\' : '/';
    const inside = target === mp || target.startsWith(mp.endsWith(sep) ? mp : mp + sep) || (win && target.startsWith(mp));
    if (inside && (!best || mp.length > best.mount.length)) best = m;
  }
  return best;
}

async function exists(p: string): Promise<boolean> {
  try {
    await access(p);
    return true;
  } catch {
    return false;
  }
}
