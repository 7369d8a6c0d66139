import type { RelayStatus } from '../../api/schemas/relay.js';
import type { RelaySettings } from '../../api/schemas/settings/network-relay.js';
import { endpointHost, endpointPort } from './relay-address.js';

/** What the health knocks found; owned by the service, read here. */
export interface HealthRecord {
  startedAt: string | null;
  lastAnswerAt: string | null;
  failingSince: string | null;
  /** Knocks in a row that got no answer. */
  misses: number;
}

export interface StatusFacts {
  relay: RelaySettings;
  configured: boolean;
  /** This process runs the tunnel. */
  held: boolean;
  /** The interface exists and answers `wg show`. */
  present: boolean;
  /** Another process holds the tunnel and one knock was tried now: its answer. */
  answered: boolean | null;
  mode: 'kernel' | 'userspace' | null;
  tunnelError: string | null;
  /** Why this process's own attempt to bring the tunnel up failed (start, a settings change); null when none did. */
  startError: { message: string; fix: string | null } | null;
  handshakeAgeSec: number | null;
  health: HealthRecord;
  intervalMs: number;
  publicAddress: string | null;
  ports: RelayStatus['ports'];
  now: number;
}

/** Two knocks in a row without an answer: one lost packet is not an outage. */
const MISSES_FOR_DOWN = 2;

const hhmm = (iso: string) => `${iso.slice(11, 16)} UTC`;

/** The relay's state in words a person can act on; pure, so every branch is tested without a tunnel. */
export function relayStatusView(f: StatusFacts): RelayStatus {
  const r = f.relay;
  const host = r.endpoint === '' ? null : endpointHost(r.endpoint);
  const wgPort = r.endpoint === '' ? 51820 : endpointPort(r.endpoint);
  const serverFix = `Check that your server ${host ?? ''} is running, that its firewall (and your cloud provider\u2019s) lets UDP ${wgPort} in, and on the server run: sudo wg show ${r.interfaceName}. If the server was rebuilt, run \`riglease relay setup-script\` there again.`;
  const base = {
    enabled: r.enabled,
    endpoint: r.endpoint === '' ? null : r.endpoint,
    publicAddress: f.publicAddress,
    tunnel: { interfaceName: r.interfaceName, mode: f.mode, rigAddress: r.rigAddress, relayAddress: r.relayAddress, handshakeAgeSec: f.handshakeAgeSec },
    lastAnswerAt: f.health.lastAnswerAt,
    failingSince: f.health.failingSince,
    ports: f.ports,
    checkedAt: new Date(f.now).toISOString(),
  };
  const say = (state: RelayStatus['state'], text: string, fix: string | null): RelayStatus => ({ state, text, fix, ...base });

  if (!f.configured) return say('not_set_up', 'The relay is not set up.', 'Run `riglease relay init --endpoint <your server address>:51820`, then run the output of `riglease relay setup-script` on your server.');
  if (!r.enabled) return say('off', 'The relay is off: tenants reach this rig through your home connection, if at all.', 'Turn it on with `riglease relay up`.');
  if (!f.held) {
    if (f.startError && !f.present) return say('error', f.startError.message, f.startError.fix);
    if (!f.present) return say('error', 'The relay is on, but no RigLease process is holding its tunnel.', 'Start the RigLease app or `riglease serve` (they keep the tunnel up), or run `riglease relay up`.');
    return f.answered
      ? say('up', `The relay at ${host ?? '?'} answers through the tunnel (held by another RigLease process).`, null)
      : say('down', `Your relay server at ${host ?? '?'} does not answer through the tunnel.`, serverFix);
  }
  if (!f.present) {
    return say('error', `The tunnel on this computer is not running${f.tunnelError ? `: ${f.tunnelError}` : ''}.`, 'RigLease restarts it by itself; if this stays, install WireGuard (sudo apt-get install wireguard-tools wireguard-go) and run `riglease relay up`.');
  }
  if (f.health.misses >= MISSES_FOR_DOWN) {
    const since = f.health.failingSince ? ` since ${hhmm(f.health.failingSince)}` : '';
    return say('down', `Not reachable by tenants: your relay server at ${host ?? '?'} has not answered through the tunnel${since}.`, serverFix);
  }
  if (f.health.lastAnswerAt === null) return say('starting', `Connecting to your relay server at ${host ?? '?'}\u2026`, null);
  return say('up', `Tenants reach this rig through your relay server at ${f.publicAddress ?? host ?? '?'}.`, null);
}
