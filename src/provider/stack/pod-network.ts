/**
 * The pod network between a farm's machines. Flannel's default backend, VXLAN (UDP 8472), has no
 * authentication or encryption: anyone on the LAN could read tenants' traffic between machines
 * or inject packets into the pod network. k3s's own `--flannel-backend=wireguard-native` encrypts
 * it with the kernel's WireGuard (docs.k3s.io/networking/basic-network-options, "Flannel
 * Options": set on servers only, and every node, servers and agents, needs the WireGuard kernel
 * module). Its peers always talk on UDP 51820 (k3s-io/k3s discussion #10784: not configurable).
 *
 * Whether the kernel has WireGuard is only known inside the container (Docker Desktop runs its own
 * kernel), so the entry script decides at start and says in plain words what is exposed when not.
 */
export const WIREGUARD_PORT = 51820;
export const VXLAN_PORT = 8472;

const HAS_WIREGUARD = '[ -d /sys/module/wireguard ] || modprobe wireguard >/dev/null 2>&1';

/** Entry-script lines for a farm controller's k3s server: WireGuard when the kernel has it. */
export function serverPodNetworkLines(): string[] {
  return [
    `if ${HAS_WIREGUARD}; then`,
    '  set -- "$@" --flannel-backend=wireguard-native',
    `  echo "riglease-entry: the pod network between the farm's machines is encrypted (WireGuard, UDP ${WIREGUARD_PORT})"`,
    'else',
    `  echo "riglease-entry: warning: this computer's kernel has no WireGuard, so the pod network between the farm's machines is NOT encrypted: flannel VXLAN on UDP ${VXLAN_PORT} carries tenants' traffic that anyone on your network can read or inject into. Load or install WireGuard (Linux: modprobe wireguard, or the wireguard package) and start providing again to encrypt it." >&2`,
    'fi',
  ];
}

/** Entry-script lines for a member's k3s agent: the backend is the server's; say when this kernel cannot follow WireGuard. */
export function agentPodNetworkLines(): string[] {
  return [
    `if ! { ${HAS_WIREGUARD}; }; then`,
    `  echo "riglease-entry: warning: this computer's kernel has no WireGuard: if the controller encrypts the farm's pod network (WireGuard), this machine's pods cannot reach the others; if it does not, tenants' traffic between machines crosses your network unencrypted (VXLAN, UDP ${VXLAN_PORT}). Load or install WireGuard (Linux: modprobe wireguard) and restart RigLease." >&2`,
    'fi',
  ];
}
