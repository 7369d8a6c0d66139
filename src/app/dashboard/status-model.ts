import type { DashboardAlert, RigStatus, StatusLevel } from '../../api/schemas/dashboard.js';
import { RENEW_AHEAD_DAYS } from '../../provider/chain/cert-expiry.js';

/**
 * Everything the status line depends on, already read. `null` means "could not be read" —
 * which is different from "read and empty" (no GPU, no wallet) and never counts as a problem.
 */
export interface StatusInputs {
  gpus: { name: string }[] | null;
  availability: { mode: 'online' | 'paused' | 'offline'; activity: string; bidding: boolean; reason: string; pausedUntil: string | null; gamingProcesses: string[] } | null;
  /** This machine's GPU models' prices, USD per GPU-hour. */
  prices: { label: string; usdPerHour: number; marketMedianUsdPerHour: number | null }[] | null;
  stack: { overall: 'not_installed' | 'stopped' | 'starting' | 'running' | 'degraded' } | null;
  /** The last ports probe (from the network benchmark); null when never tested. */
  ports: { port: number; state: 'open' | 'closed' | 'not_tested' }[] | null;
  wallet: { exists: boolean; balanceUakt: bigint | null; bidDepositUakt: bigint | null } | null;
  activeLeases: number;
  /** The registered provider certificate's expiry; null when there is none or it could not be read. */
  certificate: { daysLeft: number; notAfter: string } | null;
  /** GPU models the active leases run ("rtx4090 24Gi"), for the earning line. */
  leasedGpus: string[];
  /** The relay through the user's own server (relay.status); absent or null when not read. */
  relay?: { state: 'off' | 'not_set_up' | 'starting' | 'up' | 'down' | 'error'; text: string; fix: string | null } | null;
}

export interface StatusResult {
  status: RigStatus;
  /** Every problem found, most severe first; the status line shows the first, the alert list all. */
  alerts: DashboardAlert[];
}

/** "NVIDIA GeForce RTX 4090" → "RTX 4090": the words a gamer knows the card by. */
export function gpuLabel(name: string): string {
  const short = name.replace(/^NVIDIA\s+/i, '').replace(/^GeForce\s+/i, '').trim();
  return short === '' ? name : short;
}

function list(items: string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

const RANK: Record<StatusLevel, number> = { block: 3, warn: 2, info: 1, ok: 0 };
/** Alerts that need doing soon but, below 'block', do not stop the rig from bidding. */
const ADVISORY = new Set(['certificate']);

/**
 * One plain-words status from the rig's parts. Order matters: the first thing that stops the rig
 * from earning is the one the status line names (no GPU before no wallet before a stopped
 * stack…); while leases run, the rig is "earning" and the remaining problems become alerts.
 */
export function rigStatus(i: StatusInputs): StatusResult {
  const alerts: DashboardAlert[] = [];
  const add = (id: string, level: StatusLevel, text: string, fix: string | null, route: string | null) => alerts.push({ id, level, text, fix, route });

  // Blocking: nothing can be rented out.
  if (i.gpus !== null && i.gpus.length === 0) add('no-gpu', 'block', 'Not earning: no NVIDIA GPU found', 'Check the driver on the Readiness screen.', '/readiness');
  if (i.wallet !== null && !i.wallet.exists) add('no-wallet', 'block', 'Not earning: no wallet yet', 'Create or import a wallet on the Wallet screen.', '/wallet');
  if (i.stack !== null && i.stack.overall !== 'running') {
    const words: Record<NonNullable<StatusInputs['stack']>['overall'], string> = {
      not_installed: 'the provider stack is not installed',
      stopped: 'the provider stack is stopped',
      starting: 'the provider stack is still starting',
      degraded: 'part of the provider stack is not ready',
      running: '',
    };
    add('stack', i.stack.overall === 'starting' ? 'info' : 'block', `Not earning: ${words[i.stack.overall]}`, 'Open the Provider stack screen to start or repair it.', '/stack');
  }
  // Chosen by the user (or gaming mode): not a fault, but the reason there are no bids.
  const a = i.availability;
  if (a !== null) {
    if (a.mode === 'offline') add('offline', 'warn', 'Offline: switched off, no bids', 'Go online on the Availability screen.', '/availability');
    else if (a.activity === 'gaming') {
      const game = a.gamingProcesses[0];
      add('gaming', 'info', game ? `Paused: game running (${game})` : 'Paused: game running', 'Bidding resumes by itself when the game closes.', '/availability');
    } else if (a.mode === 'paused' || !a.bidding) {
      const until = a.pausedUntil ? ` until ${new Date(a.pausedUntil).toISOString().slice(11, 16)} UTC` : '';
      add('paused', 'info', `Paused${until}: ${a.reason}`, 'Resume on the Availability screen.', '/availability');
    }
  }
  // Relay on but not carrying traffic: tenants cannot reach the provider at all.
  if (i.relay && (i.relay.state === 'down' || i.relay.state === 'error')) add('relay', 'block', i.relay.text, i.relay.fix, '/settings');
  if (i.ports !== null) {
    const closed = i.ports.filter((p) => p.state === 'closed').map((p) => p.port).sort((x, y) => x - y);
    if (closed.length > 0) {
      add('ports', 'block', `Ports ${closed.join('/')} not reachable`, 'Forward them on the router (Benchmarks → map ports), then test again.', '/benchmarks');
    }
  }
  const w = i.wallet;
  if (w !== null && w.exists && w.balanceUakt !== null && w.bidDepositUakt !== null && w.balanceUakt < w.bidDepositUakt) {
    add('balance', 'warn', 'Not bidding: balance below bid deposit', `Each bid locks ${Number(w.bidDepositUakt) / 1e6} AKT; send AKT to the wallet (Wallet → Receive).`, '/wallet');
  }
  if (i.prices !== null) {
    const above = i.prices.filter((p) => p.marketMedianUsdPerHour !== null && p.usdPerHour > p.marketMedianUsdPerHour);
    if (above.length > 0) {
      add('price', 'warn', `Not bidding: price above market for ${list(above.map((p) => p.label))}`, 'Lower the price or follow the market on the Pricing screen.', '/pricing');
    }
  }

  // After the bid blockers: a renewal reminder never hides why the rig is not bidding.
  const c = i.certificate;
  if (c !== null && c.daysLeft < 0) {
    add('certificate', 'block', `Not earning: the provider certificate expired on ${c.notAfter.slice(0, 10)}`, 'Register again on the Wallet screen: it publishes a new certificate (fee shown first).', '/wallet');
  } else if (c !== null && c.daysLeft < RENEW_AHEAD_DAYS) {
    add('certificate', 'warn', `Provider certificate expires in ${c.daysLeft} day${c.daysLeft === 1 ? '' : 's'}`, 'Register again on the Wallet screen before then: it publishes a new certificate (fee shown first).', '/wallet');
  }
  const ordered = alerts.map((al, n) => ({ al, n })).sort((x, y) => RANK[y.al.level] - RANK[x.al.level] || x.n - y.n).map((x) => x.al);
  const stopping = ordered.find((al) => al.level === 'block') ?? ordered.find((al) => ['stack', 'offline', 'gaming', 'paused'].includes(al.id));
  const earning = i.activeLeases > 0;
  if (stopping && !(earning && stopping.level !== 'block')) {
    const state = stopping.id === 'offline' ? 'offline' : stopping.id === 'gaming' || stopping.id === 'paused' ? 'paused' : stopping.id === 'stack' && stopping.level === 'info' ? 'setup' : 'not_bidding';
    return { status: { state: stopping.id === 'no-wallet' || stopping.id === 'no-gpu' ? 'setup' : state, level: stopping.level, text: stopping.text, fix: stopping.fix, route: stopping.route }, alerts: ordered };
  }
  if (earning) {
    const models = [...new Set(i.leasedGpus)];
    const on = models.length > 0 ? ` on ${list(models)}` : '';
    const also = ordered.length > 0 ? ` · ${ordered[0]!.text}` : '';
    return { status: { state: 'earning', level: ordered.length > 0 ? 'warn' : 'ok', text: `Earning: ${i.activeLeases} active lease${i.activeLeases === 1 ? '' : 's'}${on}${also}`, fix: ordered[0]?.fix ?? null, route: ordered[0]?.route ?? null }, alerts: ordered };
  }
  const first = ordered[0];
  // A warning that does not stop bids (a certificate to renew soon) rides along with the bidding line.
  if (first && first.level !== 'block' && ADVISORY.has(first.id)) {
    return { status: { state: 'bidding', level: 'warn', text: `Online: bidding · ${first.text}`, fix: first.fix, route: first.route }, alerts: ordered };
  }
  if (first) return { status: { state: 'not_bidding', level: first.level, text: first.text, fix: first.fix, route: first.route }, alerts: ordered };
  const unknown = i.gpus === null || i.stack === null || i.availability === null || i.wallet === null;
  if (unknown) return { status: { state: 'unknown', level: 'info', text: 'Checking the rig: some parts could not be read yet', fix: null, route: null }, alerts: ordered };
  return { status: { state: 'bidding', level: 'ok', text: 'Online: bidding, waiting for the first lease', fix: null, route: null }, alerts: ordered };
}
