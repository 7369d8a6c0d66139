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
  /** The readiness scan's blocking checks (Docker missing, unsupported system…); absent or null when not read. */
  readinessBlocks?: ReadinessBlock[] | null;
  /** Unix seconds each running GPU lease under notice (AEP-82) ends its notice; absent: none. */
  noticeDeadlines?: number[];
  /** The outside check (network.reachability), only once a provider runs; absent or null when not known. */
  reachability?: { state: 'reachable' | 'unreachable' | 'unchecked'; headline: string; reasons: string[] } | null;
}

export interface ReadinessBlock {
  id: string;
  title: string;
  detail: string;
  fix: string | null;
  /**
   * True when providing is impossible whatever the person says (no Docker engine, no GPU driver);
   * false when the provider still works, offering less (few CPU threads, no GPU runtime).
   */
  hard: boolean;
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
const ADVISORY = new Set(['certificate', 'reach-unchecked', 'offers-less']);
/** What the user chose (or gaming mode chose): the reason for no bids, not a fault. */
const CHOSEN = new Set(['offline', 'gaming', 'paused']);
/** Readiness blocks in the order they must be fixed: the system, then Docker, then the GPU. */
const READINESS_ORDER = ['os', 'arch', 'docker.engine', 'docker.version', 'docker.gpu-runtime', 'docker.toolkit', 'gpu.present'];
const readinessRank = (id: string): number => {
  const n = READINESS_ORDER.indexOf(id);
  return n < 0 ? READINESS_ORDER.length : n;
};

/** "No Docker engine was found." → "no Docker engine was found", to follow "Not ready: ". */
function clause(sentence: string): string {
  const s = sentence.trim().replace(/\.\s*\(/, ' (').replace(/[.]$/, '');
  return /^[A-Z][a-z]/.test(s) ? s[0]!.toLowerCase() + s.slice(1) : s;
}

/** "GPU 0", "GPUs 0 and 1": the cards a running lease holds (the stack offers every GPU or none). */
function rentedGpus(gpuCount: number, leasedGpus: number): string {
  const n = Math.max(1, Math.min(gpuCount, leasedGpus));
  const ids = Array.from({ length: n }, (_, k) => String(k));
  return n === 1 ? `GPU ${ids[0]}` : `GPUs ${list(ids)}`;
}

/**
 * The rig's one state, derived once: the top bar, the Dashboard, the tray and `riglease status`
 * all show this answer. Causes come in the order they must be fixed: the machine (readiness,
 * Docker before the GPU), then setup (wallet, stack), then what the user chose (offline, pause,
 * gaming), then faults that stop tenants reaching the rig, then bid details (balance, price).
 * While the user chose to pause, bid details are alerts, never the reason. A running lease is
 * said as it is: the tenant keeps the GPU until the lease ends or is reclaimed.
 */
export function rigStatus(i: StatusInputs): StatusResult {
  const alerts: DashboardAlert[] = [];
  const add = (id: string, level: StatusLevel, text: string, fix: string | null, route: string | null) => alerts.push({ id, level, text, fix, route });

  // The machine: nothing can be set up until these are fixed.
  const blocks = [...(i.readinessBlocks ?? [])].sort((x, y) => readinessRank(x.id) - readinessRank(y.id));
  for (const b of blocks.filter((x) => x.hard)) add(`ready:${b.id}`, 'block', `Not ready: ${clause(b.detail)}`, b.fix ?? 'See the Readiness screen.', '/readiness');
  if (i.gpus !== null && i.gpus.length === 0 && !blocks.some((b) => b.id === 'gpu.present')) add('no-gpu', 'block', 'Not earning: no NVIDIA GPU found', 'Check the driver on the Readiness screen.', '/readiness');
  // Setup: a wallet, then the provider stack.
  if (i.wallet !== null && !i.wallet.exists) add('no-wallet', 'block', 'Not earning: no wallet yet', 'Create or import a wallet on the Wallet screen.', '/wallet');
  const a = i.availability;
  const offline = a !== null && a.mode === 'offline';
  if (i.stack !== null && i.stack.overall !== 'running' && !(offline && i.stack.overall === 'stopped')) {
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
  if (a !== null) {
    if (offline) add('offline', 'warn', 'Offline: switched off, no bids', 'Go online on the Availability screen.', '/availability');
    else if (a.activity === 'gaming') {
      const game = a.gamingProcesses[0];
      add('gaming', 'info', game ? `Gaming: ${game} is running, no new bids` : 'Gaming: a game is running, no new bids', 'Bidding resumes by itself when the game closes.', '/availability');
    } else if (a.mode === 'paused' || !a.bidding) {
      const until = a.pausedUntil ? ` until ${new Date(a.pausedUntil).toISOString().slice(11, 16)} UTC` : '';
      // The availability service's own sentence may already start with "Paused": never say it twice.
      const text = /^paused\b/i.test(a.reason) ? a.reason.replace(/\.$/, '') : `Paused${until}: ${a.reason}`;
      add('paused', 'info', text, 'Resume on the Availability screen.', '/availability');
    }
  }
  // Relay on but not carrying traffic: tenants cannot reach the provider at all.
  if (i.relay && (i.relay.state === 'down' || i.relay.state === 'error')) add('relay', 'block', i.relay.text, i.relay.fix, '/settings');
  const r = i.reachability;
  if (r && r.state === 'unreachable') add('reach', 'block', `Not reachable from the internet: ${clause(r.reasons[0] ?? r.headline)}`, 'Open Settings → Network to see what is missing and check again.', '/settings');
  else if (r && r.state === 'unchecked') add('reach-unchecked', 'warn', 'Not yet proven reachable from the internet', r.reasons[0] ?? 'Run the outside check in Settings → Network.', '/settings');
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

  // Blocks the person may accept: the provider works but offers tenants less. Said, never hidden.
  const soft = blocks.filter((x) => !x.hard);
  if (soft.length > 0) add('offers-less', 'warn', `Offers less: ${clause(soft[0]!.detail)}${soft.length > 1 ? ` (and ${soft.length - 1} more)` : ''}`, soft[0]!.fix ?? 'See the Readiness screen.', '/readiness');
  // After the bid blockers: a renewal reminder never hides why the rig is not bidding.
  const c = i.certificate;
  if (c !== null && c.daysLeft < 0) {
    add('certificate', 'block', `Not earning: the provider certificate expired on ${c.notAfter.slice(0, 10)}`, 'Register again on the Wallet screen: it publishes a new certificate (fee shown first).', '/wallet');
  } else if (c !== null && c.daysLeft < RENEW_AHEAD_DAYS) {
    add('certificate', 'warn', `Provider certificate expires in ${c.daysLeft} day${c.daysLeft === 1 ? '' : 's'}`, 'Register again on the Wallet screen before then: it publishes a new certificate (fee shown first).', '/wallet');
  }
  const ordered = alerts.map((al, n) => ({ al, n })).sort((x, y) => RANK[y.al.level] - RANK[x.al.level] || x.n - y.n).map((x) => x.al);
  const chosen = ordered.find((al) => CHOSEN.has(al.id)) ?? null;
  const block = ordered.find((al) => al.level === 'block') ?? null;
  const earning = i.activeLeases > 0;
  const status = (state: RigStatus['state'], al: DashboardAlert): StatusResult => ({ status: { state, level: al.level, text: al.text, fix: al.fix, route: al.route }, alerts: ordered });

  if (block) {
    const state = block.id.startsWith('ready:') || block.id === 'no-gpu' ? 'not_ready' : block.id === 'no-wallet' || (block.id === 'stack' && i.stack?.overall === 'not_installed') ? 'setup' : 'not_bidding';
    return status(state, block);
  }
  if (earning) {
    const models = [...new Set(i.leasedGpus)];
    // Only the leases that rent a GPU are "on" it: 3 leases of which 1 rents the card say so.
    const gpuLeases = i.leasedGpus.length;
    const on = models.length === 0 ? '' : gpuLeases >= i.activeLeases ? ` on ${list(models)}` : ` (${gpuLeases} on ${list(models)})`;
    const head = `Earning: ${i.activeLeases} active lease${i.activeLeases === 1 ? '' : 's'}${on}`;
    // Pause and gaming only stop new bids: a tenant keeps the GPU until the lease ends or is reclaimed.
    if (chosen && i.leasedGpus.length > 0) {
      const gpus = rentedGpus(i.gpus?.length ?? 1, i.leasedGpus.length);
      const why = chosen.id === 'gaming' ? 'the game shares it with the tenant' : chosen.id === 'offline' ? 'going offline stops the provider and ends it' : 'the pause only stops new bids';
      const deadlines = i.noticeDeadlines ?? [];
      if (deadlines.length > 0) {
        // Notice given: say when the GPU comes back, the one date the person waits for.
        const by = new Date(Math.max(...deadlines) * 1000).toISOString().replace('T', ' ').slice(0, 16);
        return {
          status: { state: 'earning', level: 'warn', text: `${head} · ${gpus} rented until the notice ends ${by} UTC (${why})`, fix: 'After the notice ends, close the lease on the Leases screen to get the GPU back.', route: '/leases' },
          alerts: ordered,
        };
      }
      return {
        status: { state: 'earning', level: 'warn', text: `${head} · ${gpus} rented until you reclaim it (${why})`, fix: 'To play on the whole GPU, take it back with notice on the Leases screen.', route: '/leases' },
        alerts: ordered,
      };
    }
    const first = chosen ?? ordered[0];
    const also = first ? ` · ${first.text}` : '';
    return { status: { state: 'earning', level: first ? 'warn' : 'ok', text: `${head}${also}`, fix: first?.fix ?? null, route: first?.route ?? null }, alerts: ordered };
  }
  if (chosen) return status(chosen.id === 'offline' ? 'offline' : chosen.id === 'gaming' ? 'gaming' : 'paused', chosen);
  const starting = ordered.find((al) => al.id === 'stack');
  if (starting) return status('setup', starting);
  const first = ordered.find((al) => !ADVISORY.has(al.id));
  if (first) return status('not_bidding', first);
  const advisory = ordered[0];
  const unknown = i.gpus === null || i.stack === null || i.availability === null || i.wallet === null;
  if (unknown) return { status: { state: 'unknown', level: 'info', text: 'Checking the rig: some parts could not be read yet', fix: null, route: null }, alerts: ordered };
  // A warning that does not stop bids (a certificate to renew soon) rides along with the bidding line.
  if (advisory) return { status: { state: 'bidding', level: 'warn', text: `Online: bidding · ${advisory.text}`, fix: advisory.fix, route: advisory.route }, alerts: ordered };
  return { status: { state: 'bidding', level: 'ok', text: 'Online: bidding, waiting for the first lease', fix: null, route: null }, alerts: ordered };
}
