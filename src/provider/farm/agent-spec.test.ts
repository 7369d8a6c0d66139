import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { RigError } from '../../api/errors.js';
import type { HardwareReport } from '../../api/schemas/hardware.js';
import { nvidiaFixture } from '../../../test/fake-nvidia-smi/index.js';
import { parseNvidiaSmiXml } from '../../hardware/nvidia/parse-xml.js';
import { LABEL_MANAGED, LABEL_SPEC_HASH } from '../stack/names.js';
import { agentArgs, agentContainerSpec, agentNodeLabels, farmNodeName, LABEL_FARM_ROLE, TOKEN_DIR, TOKEN_FILE, type AgentSpecInput } from './agent-spec.js';
import { checkClockSkew, checkK3sVersion } from './clock.js';
import { kubectlFor, removalCommands } from './kube-commands.js';
import { joinGate } from './readiness-gate.js';

/** GPUs of a real capture, parsed by the real parser (Akash identity included). */
function gpusOf(file: string) {
  return parseNvidiaSmiXml(readFileSync(nvidiaFixture(file), 'utf8')).gpus;
}

const rtx2080x2 = gpusOf('rtx2080_590.44.01_2gpu.xml');
const rtx4090 = gpusOf('rtx4090_535.86.05_1gpu.xml');

function input(over: Partial<AgentSpecInput> = {}): AgentSpecInput {
  return {
    prefix: 'riglease',
    image: 'ghcr.io/riglease/k3s-cuda:v1.32.4-k3s1-cuda12.9.2',
    serverUrl: 'https://192.168.1.20:6443',
    nodeName: farmNodeName('Rig-02.local'),
    nodeLabels: agentNodeLabels('abcdef0123456789', true),
    gpuDeviceIds: rtx2080x2.map((g) => g.uuid!),
    allGpus: false,
    restartPolicy: 'unless-stopped',
    allowPrivateEgress: [],
    dnsServers: ['1.1.1.1'],
    nodeExternalIp: '192.168.1.21',
    kubeletPort: 10250,
    vxlanPort: 8472,
    ...over,
  };
}

describe('k3s agent container spec', () => {
  const { spec, hash } = agentContainerSpec(input());
  const hc = spec.HostConfig!;

  it('joins the server by K3S_URL and reads the token from a read-only file, never from the env or argv', () => {
    expect(spec.Env).toContain('K3S_URL=https://192.168.1.20:6443');
    expect(spec.Cmd).toContain(`--token-file=${TOKEN_FILE}`);
    expect(spec.Cmd?.[0]).toBe('agent');
    const all = JSON.stringify(spec);
    expect(all).not.toMatch(/K3S_TOKEN=|--token=/);
    const tokenMount = hc.Mounts!.find((m) => m.Target === TOKEN_DIR);
    expect(tokenMount).toMatchObject({ Type: 'volume', Source: 'riglease-farm-join', ReadOnly: true });
    // Every other mount is a data volume that survives re-creation, writable.
    expect(hc.Mounts!.filter((m) => m.Target !== TOKEN_DIR).every((m) => !m.ReadOnly && m.Source?.startsWith('riglease-agent-'))).toBe(true);
  });

  it('has the server\'s GPU plumbing: privileged, exactly the scanned GPUs, NVIDIA capabilities, nvidia runtime', () => {
    expect(hc.Privileged).toBe(true);
    expect(hc.DeviceRequests).toEqual([{ Driver: 'nvidia', Count: 0, DeviceIDs: rtx2080x2.map((g) => g.uuid), Capabilities: [['gpu']] }]);
    expect(spec.Env).toContain('NVIDIA_DRIVER_CAPABILITIES=compute,utility');
    expect(spec.Cmd).toContain('--default-runtime=nvidia');
    // The same egress fence as the server, applied before k3s starts.
    expect(spec.Entrypoint?.[2]).toContain('iptables -t mangle');
    expect(spec.Entrypoint?.[2]).toContain('exec /bin/k3s "$@"');
  });

  it('labels the node with its farm machine only; the Akash labels are left to the inventory operator, which deletes any it did not write', () => {
    expect(spec.Cmd).toContain('--node-label=riglease.io/farm-machine=abcdef0123456789');
    expect(spec.Cmd?.some((a) => a.startsWith('--node-label=akash.network') || a.startsWith('--node-label=nvidia.com/gpu.present'))).toBe(false);
  });

  it('restarts by itself, carries our labels and its spec hash, and has a stable name so a second join finds it', () => {
    expect(hc.RestartPolicy).toEqual({ Name: 'unless-stopped' });
    expect(spec.name).toBe('riglease-k3s-agent');
    expect(spec.Labels).toMatchObject({ [LABEL_MANAGED]: 'true', [LABEL_FARM_ROLE]: 'agent', [LABEL_SPEC_HASH]: hash });
    expect(agentContainerSpec(input()).hash).toBe(hash);
    expect(agentContainerSpec(input({ serverUrl: 'https://192.168.1.30:6443' })).hash).not.toBe(hash);
    expect(spec.Cmd).toContain('--node-name=rl-rig-02');
  });

  it('publishes the kubelet and pod-network ports on its LAN address only; a CPU-only machine gets no GPU request', () => {
    expect(hc.PortBindings).toEqual({
      '10250/tcp': [{ HostIp: '192.168.1.21', HostPort: '10250' }],
      '8472/udp': [{ HostIp: '192.168.1.21', HostPort: '8472' }],
      '51820/udp': [{ HostIp: '192.168.1.21', HostPort: '51820' }],
    });
    // Without a known address (or with a host name) Docker can only publish on every interface.
    expect(agentContainerSpec(input({ nodeExternalIp: null })).spec.HostConfig?.PortBindings).toMatchObject({ '10250/tcp': [{ HostIp: '' }] });
    expect(String(spec.Entrypoint)).toMatch(/kernel has no WireGuard/);
    const cpu = agentContainerSpec(input({ gpuDeviceIds: null })).spec;
    expect(cpu.HostConfig?.DeviceRequests).toEqual([]);
    expect(cpu.Cmd).not.toContain('--default-runtime=nvidia');
  });

  it('node names: stable, DNS-safe, the same for the same machine however its name is written', () => {
    const cases: [string, string][] = [
      ['Rig-02', 'rl-rig-02'],
      ['rig-02.local', 'rl-rig-02'],
      ['RIG_02', 'rl-rig-02'],
      ['Gaming PC (Anna)', 'rl-gaming-pc-anna'],
      ['---', 'rl-machine'],
    ];
    for (const [host, node] of cases) expect(farmNodeName(host)).toBe(node);
    expect(agentArgs(input({ nodeExternalIp: null }))).not.toContainEqual(expect.stringMatching(/node-external-ip/));
  });
});

describe('per-machine node actions (planned kubectl commands)', () => {
  it('pause cordons, resume uncordons, removal drains then deletes', () => {
    expect(kubectlFor('cordon', 'rl-rig-02')).toEqual(['kubectl', 'cordon', 'rl-rig-02']);
    expect(kubectlFor('uncordon', 'rl-rig-02')).toEqual(['kubectl', 'uncordon', 'rl-rig-02']);
    const rm = removalCommands('rl-rig-02');
    expect(rm.map((c) => c[1])).toEqual(['cordon', 'drain', 'delete']);
    expect(rm[1]).toContain('--ignore-daemonsets');
    expect(rm[2]).toEqual(['kubectl', 'delete', 'node', 'rl-rig-02', '--ignore-not-found', '--wait=false']);
    expect(() => kubectlFor('cordon', 'x; rm -rf /')).toThrow();
  });
});

describe('clock and version agreement', () => {
  const t = Date.parse('2026-11-30T12:00:00Z');
  it.each([
    [0, true],
    [4 * 60_000, true],
    [-4 * 60_000, true],
    [6 * 60_000, false],
    [-90 * 60_000, false],
  ])('skew %i ms → ok=%s', (skew, ok) => {
    if (ok) expect(() => checkClockSkew(t + skew, t)).not.toThrow();
    else expect(() => checkClockSkew(t + skew, t)).toThrow(skew > 0 ? /ahead of/ : /behind/);
  });
  it('a k3s version mismatch names both versions', () => {
    expect(() => checkK3sVersion('v1.32.4-k3s1', 'v1.32.4-k3s1')).not.toThrow();
    expect(() => checkK3sVersion('v1.32.4-k3s1', 'v1.31.2-k3s1')).toThrow(/v1\.31\.2-k3s1.*v1\.32\.4-k3s1/);
  });
});

describe('join readiness gate', () => {
  const base = (over: Partial<HardwareReport> = {}): HardwareReport =>
    ({
      scannedAt: '2026-11-30T12:00:00Z',
      durationMs: 1,
      verdict: 'ready',
      gpus: rtx4090,
      nvidia: { state: 'ok', path: '/usr/bin/nvidia-smi', message: 'ok', driverVersion: '535.86.05', cudaVersion: '12.2', durationMs: 1 },
      checks: [],
      ...over,
    }) as unknown as HardwareReport;
  const block = (id: string, title: string) => ({ id, status: 'block' as const, title, detail: `${title}.`, fix: `Fix ${id}.`, link: null });

  it('lets a GPU machine in; RAM/disk blocks become notes, not refusals', () => {
    expect(joinGate(base({ checks: [block('memory.total', 'Only 8 GB RAM')] })).notes).toEqual(['Only 8 GB RAM (Only 8 GB RAM.)']);
  });
  it.each([
    ['no GPU at all', base({ gpus: [] }), /No NVIDIA GPU found/],
    ['driver not loaded', base({ checks: [block('gpu.present', 'The NVIDIA driver is not loaded')] }), /driver is not loaded/],
    ['Docker not running', base({ checks: [block('docker.engine', 'Docker is not running')] }), /Docker is not running/],
    ['no GPU runtime', base({ checks: [block('docker.gpu-runtime', 'Docker has no GPU runtime')] }), /no GPU runtime/],
  ])('refuses %s, with the reason and the fix', (_n, report, why) => {
    let err: unknown;
    try {
      joinGate(report);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(RigError);
    expect((err as RigError).message).toMatch(/cannot serve GPUs/);
    expect((err as RigError).message).toMatch(why);
    expect((err as RigError).fix).toMatch(/join again/);
  });
});
