import { isIP } from 'node:net';
import type Docker from 'dockerode';
import type { z } from 'zod';
import type { EgressRule, PlannedPort } from '../../api/schemas/stack.js';
import type { StackSettings } from '../../api/schemas/settings/stack.js';
import { EGRESS_CHAIN, entryScript } from './egress.js';
import { hostFenceLines, providerHostFence } from './host-fence.js';
import { serverPodNetworkLines, VXLAN_PORT, WIREGUARD_PORT } from './pod-network.js';
import { specHash } from './hash.js';
import { DATA_MOUNTS, NODE_LABEL_CONTROLLER, NODE_LABEL_NVDP, POD_CIDR, SERVICE_CIDR, managedLabels, stackNames } from './names.js';

type Port = z.infer<typeof PlannedPort>;

/**
 * Farm controller mode (src/app/farm): agents on other machines join this k3s server, so it must
 * be reachable from the LAN. Derived by the wiring from `farm.*` settings while this machine is
 * the farm's controller; null otherwise.
 */
export interface FarmExposure {
  /** The address other machines use for this one (farm.advertiseAddress, else the first private IPv4); null = none found. */
  address: string | null;
  /** Host port → container 6443 (k3s API; farm.k3sPort, the port in the join code). */
  apiPort: number;
  /** Host port → container 10250/tcp (kubelet: the API server's logs/exec to this node). */
  kubeletPort: number;
  /** Host port → container 8472/udp (flannel VXLAN between the machines' pod networks, when the kernel has no WireGuard). */
  vxlanPort: number;
  /** Host port → container 51820/udp (flannel WireGuard); other machines always send to 51820, so only tests change it. */
  wireguardPort?: number;
  /** GPUs the farm's members reported: the device plugin and RuntimeClass are needed for them even when this machine has none. */
  memberGpus?: number;
}

export function plannedPorts(s: StackSettings, farm: FarmExposure | null = null): Port[] {
  const p = s.ports;
  const ports: Port[] = [
    { host: p.http, container: 80, protocol: 'tcp', purpose: 'tenant HTTP ingress' },
    { host: p.https, container: 443, protocol: 'tcp', purpose: 'tenant HTTPS ingress' },
    { host: p.gateway, container: 8443, protocol: 'tcp', purpose: 'provider gateway (manifests, lease status)' },
    { host: p.grpc, container: 8444, protocol: 'tcp', purpose: 'provider gRPC' },
  ];
  // Akash leases expose UDP as well as TCP through NodePorts, so each is published for both.
  // Docker runs a userland proxy per published port and address family: 100 NodePorts are 400
  // docker-proxy processes (~300 MB PSS on the test engine) instead of 200 (README "Ports").
  for (let i = 0; i < p.nodePortCount; i++) {
    const n = p.nodePortStart + i;
    ports.push({ host: n, container: n, protocol: 'tcp', purpose: 'tenant NodePort' }, { host: n, container: n, protocol: 'udp', purpose: 'tenant NodePort (UDP)' });
  }
  if (farm) {
    // Only on the LAN address the join code names: k3s's API, kubelet and pod network are for
    // the farm's machines, not for every network this computer is on (a VPN, a public address).
    // A host name cannot be bound to: then every interface, and the plan's note says so.
    const hostIp = farm.address && isIP(farm.address) ? farm.address : '';
    ports.push(
      { host: farm.apiPort, container: 6443, protocol: 'tcp', purpose: 'farm: k3s API for the agents of other machines', hostIp },
      { host: farm.wireguardPort ?? WIREGUARD_PORT, container: WIREGUARD_PORT, protocol: 'udp', purpose: 'farm: flannel WireGuard (encrypted pod network between machines)', hostIp },
      { host: farm.vxlanPort, container: VXLAN_PORT, protocol: 'udp', purpose: 'farm: flannel VXLAN (pod network between machines, unencrypted; only where the kernel has no WireGuard)', hostIp },
      { host: farm.kubeletPort, container: 10250, protocol: 'tcp', purpose: 'farm: kubelet of this node', hostIp },
    );
  }
  return ports;
}

export interface K3sArgsInput {
  settings: StackSettings;
  gpus: boolean;
  /** Farm controller mode; absent/null = a single machine. */
  farm?: FarmExposure | null;
}

export function k3sArgs({ settings: s, gpus, farm = null }: K3sArgsInput): string[] {
  const names = stackNames(s.namePrefix);
  const args = [
    'server',
    // Same node name across container re-creation, so the cluster keeps one node and its leases.
    `--node-name=${names.hostname}`,
    `--cluster-cidr=${POD_CIDR}`,
    `--service-cidr=${SERVICE_CIDR}`,
    // The network-policy controller stays ON (no --disable-network-policy): Akash's per-lease policies need it.
    '--secrets-encryption',
    '--write-kubeconfig-mode=600',
    '--kube-apiserver-arg=anonymous-auth=false',
    '--resolv-conf=/etc/riglease/resolv.conf',
    // servicelb would grab 80/443 for LoadBalancer services; ingress-nginx listens there itself.
    '--disable=servicelb',
  ];
  if (s.ingress === 'gateway-api') args.push('--disable=traefik'); // NGINX Gateway Fabric holds 80/443, not traefik
  if (s.ports.nodePortCount > 0) {
    args.push(`--service-node-port-range=${s.ports.nodePortStart}-${s.ports.nodePortStart + s.ports.nodePortCount - 1}`);
  }
  // The playbook's GPU-node label, which the device plugin's DaemonSet selects (chart-values.ts):
  // on every node whose containerd has the nvidia runtime, members included (farm agent-spec.ts).
  if (gpus) args.push('--default-runtime=nvidia', `--node-label=${NODE_LABEL_NVDP.key}=${NODE_LABEL_NVDP.value}`);
  if (farm?.address) {
    // Agents reach the API at the advertised address (the certificate must name it), and the
    // pod network between machines runs over the hosts' addresses, not the container's.
    args.push(`--tls-san=${farm.address}`, `--node-external-ip=${farm.address}`, '--flannel-external-ip');
  }
  // The provider, the gateway and the operators are pinned to this node (chart-values.ts), single
  // machine or farm alike. No Akash label here: the inventory operator owns every `akash.network*`
  // label and `nvidia.com/gpu.present` and replaces the whole set with what it detects (gpu-labels.ts).
  args.push(`--node-label=${NODE_LABEL_CONTROLLER.key}=${NODE_LABEL_CONTROLLER.value}`);
  return args;
}

export interface ContainerSpecInput {
  settings: StackSettings;
  image: string;
  args: string[];
  ports: Port[];
  egress: z.infer<typeof EgressRule>[];
  /** null = no GPUs; [] never happens; ['all'] is not used: "all" is expanded to the scan's UUIDs. */
  gpuDeviceIds: string[] | null;
  allGpus: boolean;
}

/** The Docker Engine ContainerCreate body for the k3s node, with its spec hash in a label. */
export function k3sContainerSpec(input: ContainerSpecInput): { spec: Docker.ContainerCreateOptions; hash: string } {
  const s = input.settings;
  const names = stackNames(s.namePrefix);
  const portBindings: Record<string, { HostIp: string; HostPort: string }[]> = {};
  const exposed: Record<string, object> = {};
  for (const p of input.ports) {
    const key = `${p.container}/${p.protocol}`;
    exposed[key] = {};
    portBindings[key] = [{ HostIp: p.hostIp ?? '', HostPort: String(p.host) }];
  }
  // The k3s API published = a farm controller: its pod network to other machines is WireGuard where the kernel allows.
  const farmController = input.ports.some((p) => p.container === 6443);
  // The provider's public name resolves to this home's public address: fenced too (host-fence.ts).
  const fence = providerHostFence(s);
  const hostFence = fence ? hostFenceLines(fence, EGRESS_CHAIN) : [];
  const deviceRequests = input.gpuDeviceIds
    ? [
        input.allGpus
          ? { Driver: 'nvidia', Count: -1, DeviceIDs: [], Capabilities: [['gpu']] }
          : { Driver: 'nvidia', Count: 0, DeviceIDs: input.gpuDeviceIds, Capabilities: [['gpu']] },
      ]
    : [];
  const body: Docker.ContainerCreateOptions = {
    name: names.container,
    Image: input.image,
    Hostname: names.hostname,
    Entrypoint: ['/bin/sh', '-c', entryScript(input.egress, s.dnsServers, [...hostFence, ...(farmController ? serverPodNetworkLines() : [])]), 'riglease-entry'],
    Cmd: input.args,
    Env: ['NVIDIA_DRIVER_CAPABILITIES=compute,utility'],
    ExposedPorts: exposed,
    StopTimeout: 30,
    HostConfig: {
      // k3s runs containerd, iptables and cgroups of its own: it needs a privileged container.
      Privileged: true,
      RestartPolicy: s.restartPolicy === 'on-failure' ? { Name: 'on-failure', MaximumRetryCount: 5 } : { Name: s.restartPolicy },
      Mounts: DATA_MOUNTS.map((m) => ({ Type: 'volume' as const, Source: names.volume(m.key), Target: m.path })),
      Tmpfs: { '/run': '', '/var/run': '' },
      PortBindings: portBindings,
      NetworkMode: names.network,
      DeviceRequests: deviceRequests,
      LogConfig: { Type: 'json-file', Config: { 'max-size': '20m', 'max-file': '3' } },
    },
  };
  // The hash covers everything that makes the container what it is; labels are added after.
  const hash = specHash(body);
  body.Labels = managedLabels(s.namePrefix, 'k3s', hash);
  return { spec: body, hash };
}
