import type { RelayInfo, RelaySetupScript, RelayStatus } from '../../api/schemas/relay.js';
import { formatAgo } from '../../api/format/age.js';

export function formatRelayStatus(s: RelayStatus): string {
  const lines = [s.text];
  if (s.fix) lines.push(`fix: ${s.fix}`);
  lines.push(
    '',
    `  state           ${s.state}${s.enabled ? '' : ' (relay off)'}`,
    `  server          ${s.endpoint ?? 'not set'}${s.publicAddress ? `, tenants use ${s.publicAddress}` : ''}`,
    `  tunnel          ${s.tunnel.interfaceName} ${s.tunnel.rigAddress} → ${s.tunnel.relayAddress}${s.tunnel.mode ? ` (${s.tunnel.mode === 'kernel' ? 'kernel WireGuard' : 'wireguard-go'})` : ''}`,
    `  last handshake  ${formatAgo(s.tunnel.handshakeAgeSec, 'none')}`,
    `  last answer     ${s.lastAnswerAt ?? 'none'}${s.failingSince ? `, failing since ${s.failingSince}` : ''}`,
  );
  if (s.ports) {
    lines.push('', 'Provider ports at the relay\u2019s public address, tried from here over the internet:');
    for (const p of s.ports) lines.push(`  TCP ${String(p.port).padEnd(5)} ${p.state}  (${p.ms} ms)`);
  }
  return lines.join('\n');
}

export function formatRelayInfo(i: RelayInfo): string {
  return [
    i.newKeys ? 'New WireGuard keys made for this rig and your server.' : 'Kept the existing keys (--new-keys makes new ones).',
    `  server          ${i.endpoint}${i.publicAddress ? ` (tenants use ${i.publicAddress})` : ''}`,
    `  tunnel          this rig ${i.rigAddress}, server ${i.relayAddress}`,
    `  rig key         ${i.rigPublicKey}`,
    `  server key      ${i.relayPublicKey}`,
    '',
    'Next: `riglease relay setup-script` prints the setup for your server; run it there, then `riglease relay up`.',
  ].join('\n');
}

export function formatSetupScript(s: RelaySetupScript): string {
  return [
    `WARNING: ${s.warning}`,
    '',
    '== Option 1: over SSH from this computer (the script travels on stdin: nothing in command lines or shell history)',
    s.ssh,
    '',
    '== Option 2: cloud-init "user data" when creating a new server',
    s.cloudInit,
    '== Option 3: the script itself (`riglease relay setup-script --bash > riglease-relay.sh`, copy it over, `sudo bash riglease-relay.sh`)',
    '',
    'It forwards:',
    ...s.forwards.map((f) => `  ${f.protocol.toUpperCase()} ${f.count === 1 ? f.publicPort : `${f.publicPort}-${f.publicPort + f.count - 1}`} → this rig${f.count === 1 ? `:${f.rigPort}` : ''}  (${f.purpose})`),
  ].join('\n');
}
