import type { RelayForward } from './relay-forwards.js';

export interface RelayScriptInput {
  /** The server's WireGuard private key. It is the reason this script is a secret. */
  relayPrivateKey: string;
  rigPublicKey: string;
  relayAddress: string;
  rigAddress: string;
  prefixLength: number;
  interfaceName: string;
  listenPort: number;
  mtu: number;
  forwards: readonly RelayForward[];
}

/** Every value is validated by zod before it gets here; quoting is still done, so nothing can break out. */
const q = (s: string | number): string => `'${String(s).replace(/'/g, `'\\''`)}'`;

function dnatLine(f: RelayForward, rig: string): string {
  const dport = f.count === 1 ? String(f.publicPort) : `${f.publicPort}:${f.publicPort + f.count - 1}`;
  // A range keeps each connection's own port (NodePorts are published 1:1); a single port may move.
  const to = f.count === 1 ? `${rig}:${f.rigPort}` : rig;
  if (f.count > 1 && f.rigPort !== f.publicPort) throw new Error('a forwarded range must keep its port numbers');
  return `  ipt -t nat -A RIGLEASE-DNAT -p ${f.protocol} --dport ${dport} -j DNAT --to-destination ${to}   # ${f.purpose}`;
}

/**
 * What wg-quick runs after the tunnel comes up (`up`) and before it goes (`down`): DNAT from
 * the public interface to the rig's tunnel address, SNAT to the relay's tunnel address (the
 * rig's default route is its home connection, so replies must be addressed to the relay to come
 * back through the tunnel), forwarding allowed ahead of any DROP policy (Docker, ufw), and an
 * instant reset on the tunnel's port 9 so the rig can tell in one round trip that the tunnel
 * works. Own chains, flushed and refilled: running `up` twice leaves one copy of every rule.
 */
export function forwardScript(i: RelayScriptInput): string {
  const rig = i.rigAddress;
  const dnat = i.forwards.map((f) => dnatLine(f, rig)).join('\n');
  return `#!/usr/bin/env bash
# Written by the RigLease relay setup. wg-quick runs "up" after ${i.interfaceName} comes up, "down" before it goes.
set -eu
PUBLIC_IF=$(cat "$(dirname "$0")/riglease-relay.public-if")
IFACE=$(cat "$(dirname "$0")/riglease-relay.iface")
ipt() { iptables -w 5 "$@"; }
chain() { ipt "$@" -N "$CH" 2>/dev/null || ipt "$@" -F "$CH"; }
jump() { ipt "$@" 2>/dev/null || true; }
unhook() {
  while ipt -t nat -D PREROUTING -i "$PUBLIC_IF" -j RIGLEASE-DNAT 2>/dev/null; do :; done
  while ipt -t nat -D POSTROUTING -o "$IFACE" -j RIGLEASE-SNAT 2>/dev/null; do :; done
  while ipt -D FORWARD -j RIGLEASE-FWD 2>/dev/null; do :; done
  while ipt -D INPUT -j RIGLEASE-IN 2>/dev/null; do :; done
}
case "\${1:-}" in
up)
  sysctl -qw net.ipv4.ip_forward=1
  unhook
  CH=RIGLEASE-DNAT chain -t nat
${dnat}
  CH=RIGLEASE-SNAT chain -t nat
  ipt -t nat -A RIGLEASE-SNAT -d ${rig} -j SNAT --to-source ${i.relayAddress}
  CH=RIGLEASE-FWD chain
  ipt -A RIGLEASE-FWD -i "$PUBLIC_IF" -o "$IFACE" -d ${rig} -m conntrack --ctstate DNAT -j ACCEPT
  ipt -A RIGLEASE-FWD -i "$IFACE" -o "$PUBLIC_IF" -s ${rig} -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT
  CH=RIGLEASE-IN chain
  ipt -A RIGLEASE-IN -i "$PUBLIC_IF" -p udp --dport ${i.listenPort} -j ACCEPT
  ipt -A RIGLEASE-IN -i "$IFACE" -p tcp --dport 9 -j REJECT --reject-with tcp-reset
  ipt -t nat -I PREROUTING -i "$PUBLIC_IF" -j RIGLEASE-DNAT
  ipt -t nat -I POSTROUTING -o "$IFACE" -j RIGLEASE-SNAT
  ipt -I FORWARD -j RIGLEASE-FWD
  ipt -I INPUT -j RIGLEASE-IN
  ;;
down)
  unhook
  for c in RIGLEASE-DNAT RIGLEASE-SNAT; do jump -t nat -F $c; jump -t nat -X $c; done
  for c in RIGLEASE-FWD RIGLEASE-IN; do jump -F $c; jump -X $c; done
  ;;
*) echo "usage: $0 up|down" >&2; exit 2 ;;
esac
`;
}

/** wg-quick(8)'s format; PostUp/PreDown (which need the runtime path) are added by the script inside [Interface]. */
function wgQuickInterface(i: RelayScriptInput): string[] {
  return ['[Interface]', `Address = ${i.relayAddress}/${i.prefixLength}`, `ListenPort = ${i.listenPort}`, `MTU = ${i.mtu}`, `PrivateKey = ${i.relayPrivateKey}`];
}

function wgQuickPeer(i: RelayScriptInput): string[] {
  return [
    '',
    '[Peer]',
    '# The RigLease rig. It connects out from behind its NAT; its address is learned from its handshakes.',
    `PublicKey = ${i.rigPublicKey}`,
    `AllowedIPs = ${i.rigAddress}/32`,
  ];
}

function publicList(forwards: readonly RelayForward[]): string {
  return forwards.map((f) => `${f.protocol.toUpperCase()} ${f.count === 1 ? f.publicPort : `${f.publicPort}-${f.publicPort + f.count - 1}`}`).join(', ');
}

/**
 * The whole setup for the user's server, as one bash script (run as root; running it again
 * converges). It installs WireGuard only when missing (the kernel module when the kernel has
 * it, else wireguard-go), writes a wg-quick config whose PostUp/PreDown hooks own the
 * forwarding, and keeps the tunnel up across reboots with systemd's wg-quick@ unit (plus a
 * one-minute watch when userspace wireguard-go could die). `--no-install` never runs apt-get.
 * RIGLEASE_RELAY_ROOT puts every file under another folder (tests, never a real server).
 */
export function relaySetupScript(i: RelayScriptInput): string {
  const lines = (l: string[]) => l.map((x) => q(x)).join(' \\\n  ');
  const iface = i.interfaceName;
  return `#!/usr/bin/env bash
# RigLease relay: makes this server the front door of one RigLease rig behind a home router.
# SECRET: this script holds the server's WireGuard private key. Run it on your own server, then delete it.
# Usage (as root): bash riglease-relay.sh [--no-install]
set -euo pipefail
umask 077
# Another interface name on the server: RIGLEASE_RELAY_IFACE=<name> (at most 15 characters).
IFACE="\${RIGLEASE_RELAY_IFACE:-${iface}}"
[[ "$IFACE" =~ ^[a-zA-Z0-9_=+.-]{1,15}$ ]] || { echo "RIGLEASE_RELAY_IFACE must be 1-15 letters, digits or _=+.-" >&2; exit 2; }
ROOT="\${RIGLEASE_RELAY_ROOT:-}"
INSTALL=1
for a in "$@"; do
  case "$a" in
  --no-install) INSTALL=0 ;;
  *) echo "Unknown option $a (the only one is --no-install)." >&2; exit 2 ;;
  esac
done
[ "$(id -u)" = 0 ] || { echo "Run this as root: sudo bash $0" >&2; exit 1; }

echo "== 1/4 WireGuard"
# The kernel's WireGuard (built into Linux 5.6 and later) when present, else the userspace wireguard-go.
kmod() { [ -e /sys/module/wireguard ] || modprobe wireguard 2>/dev/null; }
need=()
{ command -v wg >/dev/null && command -v wg-quick >/dev/null; } || need+=(wireguard-tools)
command -v iptables >/dev/null || need+=(iptables)
kmod || command -v wireguard-go >/dev/null || need+=(wireguard-go)
if [ \${#need[@]} -gt 0 ]; then
  if [ "$INSTALL" = 0 ]; then echo "Missing \${need[*]}, and --no-install was given. Install them, then run this again." >&2; exit 1; fi
  command -v apt-get >/dev/null || { echo "This script installs with apt-get (Debian, Ubuntu). Install \${need[*]} yourself, then run it with --no-install." >&2; exit 1; }
  export DEBIAN_FRONTEND=noninteractive
  timeout 300 apt-get update -qq
  timeout 600 apt-get install -y -qq --no-install-recommends "\${need[@]}"
fi
USERSPACE=0
kmod || USERSPACE=1

echo "== 2/4 the interface that faces the internet"
PUBLIC_IF="\${RIGLEASE_RELAY_PUBLIC_IF:-}"
[ -n "$PUBLIC_IF" ] || PUBLIC_IF=$(ip -4 route show default | awk '{for (i = 1; i < NF; i++) if ($i == "dev") { print $(i + 1); exit }}')
[ -n "$PUBLIC_IF" ] || { echo "This server has no default route, so the interface facing the internet is unknown. Run again with RIGLEASE_RELAY_PUBLIC_IF=<interface> (see: ip -br addr)." >&2; exit 1; }
echo "forwarding from $PUBLIC_IF"

echo "== 3/4 files"
CONF_DIR="$ROOT/etc/wireguard"
mkdir -p "$CONF_DIR"
CONF="$CONF_DIR/$IFACE.conf"
FWD="$CONF_DIR/riglease-relay-forward"
printf '%s\\n' "$PUBLIC_IF" > "$CONF_DIR/riglease-relay.public-if"
printf '%s\\n' "$IFACE" > "$CONF_DIR/riglease-relay.iface"
cat > "$FWD" <<'RIGLEASE_FORWARD_EOF'
${forwardScript(i)}RIGLEASE_FORWARD_EOF
chmod 0700 "$FWD"
printf '%s\\n' \\
  ${lines(wgQuickInterface(i))} \\
  "PostUp = $FWD up" \\
  "PreDown = $FWD down" \\
  ${lines(wgQuickPeer(i))} > "$CONF"
chmod 0600 "$CONF"
# What a watch (or a person) runs to bring the tunnel back when it is gone.
cat > "$CONF_DIR/riglease-relay-ensure" <<RIGLEASE_ENSURE_EOF
#!/usr/bin/env bash
wg show "$IFACE" >/dev/null 2>&1 && exit 0
ip link del "$IFACE" 2>/dev/null || true
exec wg-quick up "$CONF"
RIGLEASE_ENSURE_EOF
chmod 0700 "$CONF_DIR/riglease-relay-ensure"

echo "== 4/4 tunnel up"
if wg show "$IFACE" >/dev/null 2>&1; then wg-quick down "$CONF" || ip link del "$IFACE" || true; fi
if [ -z "$ROOT" ] && [ -d /run/systemd/system ]; then
  systemctl enable "wg-quick@$IFACE" >/dev/null
  systemctl restart "wg-quick@$IFACE"
  if [ "$USERSPACE" = 1 ]; then
    # wireguard-go is a process that can die; the kernel's WireGuard is not. Check every minute.
    printf '[Unit]\\nDescription=RigLease relay: bring the tunnel back if wireguard-go died\\n[Service]\\nType=oneshot\\nExecStart=%s\\n' "$CONF_DIR/riglease-relay-ensure" > /etc/systemd/system/riglease-relay-watch.service
    printf '[Unit]\\nDescription=RigLease relay watch\\n[Timer]\\nOnBootSec=1min\\nOnUnitActiveSec=1min\\n[Install]\\nWantedBy=timers.target\\n' > /etc/systemd/system/riglease-relay-watch.timer
    systemctl daemon-reload
    systemctl enable --now riglease-relay-watch.timer >/dev/null
  fi
else
  wg-quick up "$CONF"
fi
echo "Relay ready: ${publicList(i.forwards)} on $PUBLIC_IF go to the rig through $IFACE."
echo "If your cloud provider has a firewall in its console, allow UDP ${i.listenPort} and ${publicList(i.forwards)} there too."
`;
}

/**
 * cloud-init user-data that runs the same script at the server's first boot. The script is
 * carried base64-encoded so no YAML quoting can change it. Cloud providers keep user-data in
 * the instance metadata service, readable from inside the server: the SSH variant does not
 * leave the key there.
 */
export function relayCloudInit(script: string): string {
  return `#cloud-config
# RigLease relay. SECRET: holds the server's WireGuard private key. Paste it as "user data"
# when creating YOUR server; your cloud provider keeps it in the server's metadata.
write_files:
  - path: /root/riglease-relay.sh
    owner: root:root
    permissions: '0700'
    encoding: b64
    content: ${Buffer.from(script, 'utf8').toString('base64')}
runcmd:
  - [bash, /root/riglease-relay.sh]
  - [rm, -f, /root/riglease-relay.sh]
`;
}

/** The script reaches the server on ssh's stdin: never in a command line, shell history or `ps`. */
export function relaySshCommand(host: string): string {
  return `riglease relay setup-script --bash | ssh root@${host} 'bash -s'`;
}
