import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { CheckStatus, DockerStatus, GpuInfo, NvidiaState, SystemInfo } from '../../api/schemas/hardware.js';
import { nvidiaFixture } from '../../../test/fake-nvidia-smi/index.js';
import { parseNvidiaSmiXml } from '../nvidia/parse-xml.js';
import { detectOsKind } from '../system/os-kind.js';
import { runChecks, verdictOf, type HardwareFacts } from './index.js';

/** A machine that should pass everything: real RTX 3090 capture, a roomy Linux box, Docker with the nvidia runtime. */
function goodFacts(): HardwareFacts {
  const parsed = parseNvidiaSmiXml(readFileSync(nvidiaFixture('rtx3090_590.44.01_1gpu.xml'), 'utf8'));
  const system: SystemInfo = {
    hostname: 'rig',
    os: { kind: 'linux', platform: 'linux', distro: 'Ubuntu', release: '24.04', kernel: '6.8.0' },
    arch: 'x64',
    cpu: { model: 'AMD Ryzen 9 7950X', vendor: 'AMD', cores: 16, threads: 32, virtualization: true },
    memory: { totalMiB: 64 * 1024, availableMiB: 60 * 1024 },
    disk: { path: '/var/lib/docker', mount: '/', totalMiB: 2_000_000, freeMiB: 1_000_000 },
  };
  const docker: DockerStatus = {
    endpoint: 'unix:///var/run/docker.sock', found: true, reachable: true, problem: null, message: 'ok',
    version: '28.1.1', apiVersion: '1.49', os: 'linux', operatingSystem: 'Ubuntu 24.04', rootDir: '/var/lib/docker',
    runtimes: ['nvidia', 'runc'], defaultRuntime: 'runc', cdiSpecDirs: [], gpuCapable: true,
    nvidiaToolkit: { present: true, how: 'nvidia runtime registered in Docker' },
  };
  return {
    nvidia: { state: 'ok', path: '/usr/bin/nvidia-smi', message: 'ok', driverVersion: parsed.driverVersion, cudaVersion: parsed.cudaVersion, durationMs: 100 },
    gpus: parsed.gpus.map((g) => ({ ...g, pciSubSystemId: '220410DE' })),
    system,
    docker,
  };
}

type Case = [string, (f: HardwareFacts) => void, string, CheckStatus];
const gpu = (f: HardwareFacts, over: Partial<GpuInfo>) => (f.gpus = f.gpus.map((g) => ({ ...g, ...over })));
const failNvidia = (state: NvidiaState) => (f: HardwareFacts) => {
  f.nvidia = { ...f.nvidia, state, message: `nvidia ${state}` };
  f.gpus = [];
};

const cases: Case[] = [
  ['good machine: GPU present', () => undefined, 'gpu.present', 'ok'],
  ...(['absent', 'driver_not_loaded', 'library_missing', 'no_devices', 'version_mismatch', 'permission_denied', 'timeout', 'garbage', 'failed'] as const).map(
    (s): Case => [`nvidia ${s} blocks`, failNvidia(s), 'gpu.present', 'block'],
  ),
  ['driver older than the container toolkit supports', (f) => (f.nvidia.driverVersion = '410.73'), 'gpu.driver', 'block'],
  ['driver too old for CUDA 12', (f) => (f.nvidia.driverVersion = '470.74'), 'gpu.driver', 'warn'],
  ['driver exactly CUDA 12.0 minimum', (f) => (f.nvidia.driverVersion = '525.60.13'), 'gpu.driver', 'ok'],
  ['no CUDA version reported', (f) => (f.nvidia.cudaVersion = null), 'gpu.cuda', 'warn'],
  ['CUDA 11.7', (f) => (f.nvidia.cudaVersion = '11.7'), 'gpu.cuda', 'warn'],
  ['4 GB card', (f) => gpu(f, { vramMiB: 4040 }), 'gpu.vram', 'warn'],
  ['two models', (f) => (f.gpus = [f.gpus[0]!, { ...f.gpus[0]!, index: 1, name: 'NVIDIA GeForce RTX 3080' }]), 'gpu.same-model', 'block'],
  ['unknown model name', (f) => gpu(f, { akash: null }), 'gpu.akash-model', 'warn'],
  ['board-partner subsystem id (ASUS 1043)', (f) => gpu(f, { pciSubSystemId: '87AD1043' }), 'gpu.subsystem-id', 'warn'],
  ['NVIDIA reference subsystem id', () => undefined, 'gpu.subsystem-id', 'ok'],
  // The RTX 3090 capture demo mode ships was published with its PCI ids redacted.
  ['unreadable subsystem id ([REDACTED])', (f) => gpu(f, { pciSubSystemId: '[REDACTED]' }), 'gpu.subsystem-id', 'ok'],
  ['vGPU slice', (f) => gpu(f, { virtualized: true }), 'gpu.whole', 'block'],
  ['MIG enabled', (f) => gpu(f, { migEnabled: true }), 'gpu.whole', 'warn'],
  ['macOS', (f) => { f.system.os.kind = 'macos'; failNvidia('absent')(f); }, 'os', 'block'],
  ['macOS says no NVIDIA at all', (f) => { f.system.os.kind = 'macos'; failNvidia('absent')(f); }, 'gpu.present', 'block'],
  ['WSL2', (f) => (f.system.os.kind = 'wsl2'), 'os', 'warn'],
  ['Windows', (f) => (f.system.os.kind = 'windows'), 'os', 'warn'],
  ['arm64', (f) => (f.system.arch = 'arm64'), 'arch', 'block'],
  ['2 threads', (f) => (f.system.cpu.threads = 2), 'cpu.threads', 'block'],
  ['6 threads', (f) => (f.system.cpu.threads = 6), 'cpu.threads', 'warn'],
  ['Windows without VT-x', (f) => { f.system.os.kind = 'windows'; f.system.cpu.virtualization = false; }, 'cpu.virtualization', 'block'],
  ['Linux without VT-x is fine', (f) => (f.system.cpu.virtualization = false), 'cpu.virtualization', 'ok'],
  ['8 GB RAM', (f) => (f.system.memory.totalMiB = 8 * 1024), 'memory.total', 'block'],
  ['16 GB RAM for 2 GPUs', (f) => { f.system.memory.totalMiB = 16 * 1024; f.gpus = [f.gpus[0]!, { ...f.gpus[0]!, index: 1 }]; }, 'memory.per-gpu', 'warn'],
  ['50 GB free', (f) => (f.system.disk!.freeMiB = 50 * 1024), 'disk.free', 'block'],
  ['120 GB free', (f) => (f.system.disk!.freeMiB = 120 * 1024), 'disk.free', 'warn'],
  ['no disk measured', (f) => (f.system.disk = null), 'disk.free', 'warn'],
  ['150 GB free for 2 GPUs', (f) => { f.system.disk!.freeMiB = 150 * 1024; f.gpus = [f.gpus[0]!, { ...f.gpus[0]!, index: 1 }]; }, 'disk.per-gpu', 'warn'],
  ['Docker absent', (f) => (f.docker = { ...f.docker, found: false, reachable: false, problem: 'absent', message: 'The engine said absent.' }), 'docker.engine', 'block'],
  ['Docker not running', (f) => (f.docker = { ...f.docker, reachable: false, problem: 'not_running', message: 'The engine said not_running.' }), 'docker.engine', 'block'],
  ['Docker permission denied', (f) => (f.docker = { ...f.docker, reachable: false, problem: 'permission_denied', message: 'The engine said permission_denied.' }), 'docker.engine', 'block'],
  ['Docker timeout', (f) => (f.docker = { ...f.docker, reachable: false, problem: 'timeout', message: 'The engine said timeout.' }), 'docker.engine', 'block'],
  ['Docker 18.09 cannot hand out GPUs', (f) => (f.docker.version = '18.09.7'), 'docker.version', 'block'],
  ['no GPU runtime', (f) => (f.docker = { ...f.docker, runtimes: ['runc'], gpuCapable: false }), 'docker.gpu-runtime', 'block'],
  ['GPU via CDI', (f) => (f.docker = { ...f.docker, runtimes: ['runc'], gpuCapable: true }), 'docker.gpu-runtime', 'ok'],
  ['no toolkit', (f) => (f.docker = { ...f.docker, nvidiaToolkit: { present: false, how: null } }), 'docker.toolkit', 'block'],
  ['Linux with Docker Engine: Akash sees the GPU', () => undefined, 'gpu.akash-visible', 'ok'],
  ['WSL2: no PCI devices in /sys, so no GPU bid can happen', (f) => (f.system.os.kind = 'wsl2'), 'gpu.akash-visible', 'block'],
  ['Windows (Docker Desktop on WSL2)', (f) => (f.system.os.kind = 'windows'), 'gpu.akash-visible', 'block'],
  ['Docker Desktop on Linux (its own VM)', (f) => (f.docker.operatingSystem = 'Docker Desktop'), 'gpu.akash-visible', 'block'],
  ['two GPUs: all are offered, and it says why', (f) => (f.gpus = [f.gpus[0]!, { ...f.gpus[0]!, index: 1 }]), 'gpu.offer-all', 'ok'],
];

describe('readiness checks', () => {
  it.each(cases)('%s → %s is %s', (_name, mutate, id, status) => {
    const facts = goodFacts();
    mutate(facts);
    const checks = runChecks(facts);
    const c = checks.find((x) => x.id === id);
    expect(c, `check ${id} missing`).toBeDefined();
    expect(c!.status).toBe(status);
    expect(c!.detail.length).toBeGreaterThan(10);
    // Anything that is not ok tells the person what to do or where to read.
    if (status !== 'ok' && id !== 'gpu.vram') expect(c!.fix ?? c!.link).toBeTruthy();
  });

  it('a good machine is ready with every check ok', () => {
    const checks = runChecks(goodFacts());
    expect(checks.filter((c) => c.status !== 'ok')).toEqual([]);
    expect(verdictOf(checks)).toBe('ready');
  });

  it('the permission fix is the docker group command', () => {
    const f = goodFacts();
    f.docker = { ...f.docker, reachable: false, problem: 'permission_denied' };
    expect(runChecks(f).find((c) => c.id === 'docker.engine')!.fix).toContain('usermod -aG docker');
  });

  it('verdict: any block → blocked, else any warn → needs_attention', () => {
    const warn = goodFacts();
    warn.system.cpu.threads = 6;
    expect(verdictOf(runChecks(warn))).toBe('needs_attention');
    const block = goodFacts();
    block.system.arch = 'arm64';
    block.system.cpu.threads = 6;
    expect(verdictOf(runChecks(block))).toBe('blocked');
  });

  it('WSL2 detected from the platform blocks GPU providing with the reason, and the CPU path stays open', () => {
    const f = goodFacts();
    f.system.os.kind = detectOsKind({ platform: 'linux', env: {}, procVersion: 'Linux version 5.15.167.4-microsoft-standard-WSL2 (root@f9c826d3017f)' });
    expect(f.system.os.kind).toBe('wsl2');
    const c = runChecks(f).find((x) => x.id === 'gpu.akash-visible')!;
    expect(c.status).toBe('block');
    expect(c.detail).toMatch(/PCI devices .* \/sys.*no GPU lease could ever be won/);
    expect(c.fix).toMatch(/CPU providing can go on/);
    // The same machine on native Linux: nothing to block.
    f.system.os.kind = detectOsKind({ platform: 'linux', env: {}, procVersion: 'Linux version 6.8.0-49-generic (buildd@lcy02-amd64-103)' });
    expect(runChecks(f).find((x) => x.id === 'gpu.akash-visible')!.status).toBe('ok');
  });

  it('two GPUs: says plainly that one cannot be kept for gaming, and what to do instead', () => {
    const f = goodFacts();
    f.gpus = [f.gpus[0]!, { ...f.gpus[0]!, index: 1 }];
    expect(runChecks(f).find((x) => x.id === 'gpu.offer-all')!.detail).toMatch(/cannot keep one GPU for gaming yet: .*privileged container.*Pause providing or turn on gaming mode/);
  });

  it('check ids are unique', () => {
    const ids = runChecks(goodFacts()).map((c) => c.id);
    expect(new Set(ids).size).toBe(ids.length);
  });
});
