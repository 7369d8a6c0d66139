import type Docker from 'dockerode';
import { isIP } from 'node:net';
import { EGRESS_CHAIN, entryScript, egressRules, hostFenceLines, type HostFence } from '../stack/egress.js';
import { specHash } from '../stack/hash.js';
import { NODE_LABEL_CONTROLLER, NODE_LABEL_NVDP, managedLabels } from '../stack/names.js';
import { agentPodNetworkLines, WIREGUARD_PORT } from '../stack/pod-network.js';

/** Where the join token file is mounted, read-only, inside the agent container. */
export const TOKEN_DIR = '/var/lib/riglease-farm';
export const TOKEN_FILE = `${TOKEN_DIR}/token`;
export const LABEL_FARM_ROLE = 'io.riglease.farm.role';
export const LABEL_FARM_NODE = 'io.riglease.farm.node';

/** Agent data that survives container replacement (same folders as the server, own volumes). */
export const AGENT_MOUNTS = [
  { key: 'agent-k3s', path: '/var/lib/rancher/k3s' },
  { key: 'agent-kubelet', path: '/var/lib/kubelet' },
  { key: 'agent-cni', path: '/var/lib/cni' },
  { key: 'agent-log', path: '/var/log' },
] as const;

export interface AgentNames {
  container: string;
  network: string;
  /** Holds only the join token file; mounted read-only. */
  tokenVolume: string;
  volume: (key: (typeof AGENT_MOUNTS)[number]['key']) => string;
}

export function agentNames(prefix: string): AgentNames {
  return {
    container: `${prefix}-k3s-agent`,
    network: `${prefix}-agent-net`,
    tokenVolume: `${prefix}-farm-join`,
    volume: (key) => `${prefix}-${key}`,
  };
}

/**
 * The k3s node name of a machine: stable across container re-creation, reboots and a second
 * `join`, so the cluster keeps one node per machine. Kubernetes node names are DNS labels.
 */
export function farmNodeName(hostname: string): string {
  const clean = hostname
    .toLowerCase()
    .replace(/\..*$/, '')
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 50);
  return `rl-${clean || 'machine'}`;
}

/**
 * Labels a joined machine's node gets: which farm machine it is and, with GPUs, the playbook's
 * GPU-node label the device plugin's DaemonSet selects (names.ts NODE_LABEL_NVDP): without it the
 * plugin never runs there and the node offers no `nvidia.com/gpu`. The Akash GPU labels
 * (`akash.network*`, `nvidia.com/gpu.present`) belong to the provider's inventory operator, which
 * writes them from what it detects and deletes any it did not generate (see the stack README,
 * "How Akash's inventory finds a GPU"); setting them here would only flap.
 */
export function agentNodeLabels(machineId: string, gpus: boolean): Record<string, string> {
  return {
    'riglease.io/farm-machine': machineId,
    [NODE_LABEL_CONTROLLER.key]: 'agent',
    ...(gpus ? { [NODE_LABEL_NVDP.key]: NODE_LABEL_NVDP.value } : {}),
  };
}

export interface AgentSpecInput {
  prefix: string;
  image: string;
  /** `https://controller:6443` from the join code. */
  serverUrl: string;
  nodeName: string;
  nodeLabels: Record<string, string>;
  /** null = CPU only; otherwise exactly these GPUs (or every GPU when allGpus). */
  gpuDeviceIds: string[] | null;
  allGpus: boolean;
  restartPolicy: 'unless-stopped' | 'always' | 'on-failure' | 'no';
  allowPrivateEgress: string[];
  dnsServers: string[];
  /** The address other nodes reach this machine on (its LAN address); null lets k3s pick. */
  nodeExternalIp: string | null;
  /** Host ports for the kubelet (API server → node) and flannel's VXLAN (pod network between machines). */
  kubeletPort: number;
  vxlanPort: number;
  /** Host port for flannel's WireGuard; peers always send to 51820, so only tests change it. */
  wireguardPort?: number;
  /**
   * The controller's public-address fence (host-fence.ts): tenants here sit behind the same router,
   * so its hairpin to the router's admin page and forwarded ports is closed here too.
   */
  hostFence?: HostFence | null;
}

/** k3s agent arguments. The token comes from the read-only file, never from argv or the env. */
export function agentArgs(i: AgentSpecInput): string[] {
  const args = [
    'agent',
    `--server=${i.serverUrl}`,
    `--token-file=${TOKEN_FILE}`,
    `--node-name=${i.nodeName}`,
    '--resolv-conf=/etc/riglease/resolv.conf',
  ];
  if (i.nodeExternalIp) args.push(`--node-external-ip=${i.nodeExternalIp}`);
  if (i.gpuDeviceIds) args.push('--default-runtime=nvidia');
  for (const [k, v] of Object.entries(i.nodeLabels).sort(([a], [b]) => a.localeCompare(b))) args.push(`--node-label=${k}=${v}`);
  return args;
}

/**
 * The ContainerCreate body of the k3s agent: the server's GPU plumbing (privileged, DeviceRequests,
 * NVIDIA capabilities, default runtime nvidia, the same egress block from the pod network),
 * K3S_URL for the server, the token as a file on a read-only volume, and the spec hash in a label.
 */
export function agentContainerSpec(i: AgentSpecInput): { spec: Docker.ContainerCreateOptions; hash: string } {
  const names = agentNames(i.prefix);
  const deviceRequests = i.gpuDeviceIds
    ? [i.allGpus ? { Driver: 'nvidia', Count: -1, DeviceIDs: [], Capabilities: [['gpu']] } : { Driver: 'nvidia', Count: 0, DeviceIDs: i.gpuDeviceIds, Capabilities: [['gpu']] }]
    : [];
  const hostIp = i.nodeExternalIp && isIP(i.nodeExternalIp) ? i.nodeExternalIp : '';
  const body: Docker.ContainerCreateOptions = {
    name: names.container,
    Image: i.image,
    Hostname: i.nodeName,
    Entrypoint: ['/bin/sh', '-c', entryScript(egressRules(i.allowPrivateEgress), i.dnsServers, [...(i.hostFence ? hostFenceLines(i.hostFence, EGRESS_CHAIN) : []), ...agentPodNetworkLines()]), 'riglease-entry'],
    Cmd: agentArgs(i),
    // K3S_URL is what k3s reads to run as an agent; the token deliberately is not here.
    Env: ['NVIDIA_DRIVER_CAPABILITIES=compute,utility', `K3S_URL=${i.serverUrl}`, `K3S_NODE_NAME=${i.nodeName}`],
    ExposedPorts: { '10250/tcp': {}, '8472/udp': {}, [`${WIREGUARD_PORT}/udp`]: {} },
    StopTimeout: 30,
    HostConfig: {
      Privileged: true,
      RestartPolicy: i.restartPolicy === 'on-failure' ? { Name: 'on-failure', MaximumRetryCount: 5 } : { Name: i.restartPolicy },
      Mounts: [
        ...AGENT_MOUNTS.map((m) => ({ Type: 'volume' as const, Source: names.volume(m.key), Target: m.path })),
        { Type: 'volume' as const, Source: names.tokenVolume, Target: TOKEN_DIR, ReadOnly: true },
      ],
      Tmpfs: { '/run': '', '/var/run': '' },
      // On this machine's LAN address when it is known: the kubelet and the pod network are for the farm only.
      PortBindings: {
        '10250/tcp': [{ HostIp: hostIp, HostPort: String(i.kubeletPort) }],
        '8472/udp': [{ HostIp: hostIp, HostPort: String(i.vxlanPort) }],
        [`${WIREGUARD_PORT}/udp`]: [{ HostIp: hostIp, HostPort: String(i.wireguardPort ?? WIREGUARD_PORT) }],
      },
      NetworkMode: names.network,
      DeviceRequests: deviceRequests,
      LogConfig: { Type: 'json-file', Config: { 'max-size': '20m', 'max-file': '3' } },
    },
  };
  const hash = specHash(body);
  body.Labels = { ...managedLabels(i.prefix, 'k3s-agent', hash), [LABEL_FARM_ROLE]: 'agent', [LABEL_FARM_NODE]: i.nodeName };
  return { spec: body, hash };
}
