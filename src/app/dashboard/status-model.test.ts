import { describe, expect, it } from 'vitest';
import { gpuLabel, rigStatus, type StatusInputs } from './status-model.js';

/** A healthy rig with no lease yet: every case below changes one or two things. */
const healthy: StatusInputs = {
  gpus: [{ name: 'NVIDIA GeForce RTX 4090' }],
  availability: { mode: 'online', activity: 'online', bidding: true, reason: 'Online: bidding', pausedUntil: null, gamingProcesses: [] },
  prices: [{ label: 'RTX 4090', usdPerHour: 0.3, marketMedianUsdPerHour: 0.35 }],
  stack: { overall: 'running' },
  ports: [
    { port: 8443, state: 'open' },
    { port: 8444, state: 'open' },
  ],
  wallet: { exists: true, balanceUakt: 10_000_000n, bidDepositUakt: 500_000n },
  activeLeases: 0,
  certificate: { daysLeft: 300, notAfter: '2027-09-26T00:00:00.000Z' },
  leasedGpus: [],
};

const cases: { name: string; patch: Partial<StatusInputs>; state: string; level: string; text: string | RegExp }[] = [
  { name: 'healthy, no lease yet', patch: {}, state: 'bidding', level: 'ok', text: 'Online: bidding, waiting for the first lease' },
  { name: 'earning', patch: { activeLeases: 2, leasedGpus: ['rtx4090 24Gi', 'rtx4090 24Gi'] }, state: 'earning', level: 'ok', text: 'Earning: 2 active leases on rtx4090 24Gi' },
  { name: 'earning, one of three leases on the GPU', patch: { activeLeases: 3, leasedGpus: ['rtx4090 24Gi'] }, state: 'earning', level: 'ok', text: 'Earning: 3 active leases (1 on rtx4090 24Gi)' },
  {
    name: 'price above market',
    patch: { prices: [{ label: 'RTX 4090', usdPerHour: 0.5, marketMedianUsdPerHour: 0.35 }] },
    state: 'not_bidding',
    level: 'warn',
    text: 'Not bidding: price above market for RTX 4090',
  },
  { name: 'price with no market figure is not "above market"', patch: { prices: [{ label: 'RTX 4090', usdPerHour: 9, marketMedianUsdPerHour: null }] }, state: 'bidding', level: 'ok', text: /^Online/ },
  {
    name: 'ports closed',
    patch: { ports: [{ port: 8444, state: 'closed' }, { port: 443, state: 'open' }, { port: 8443, state: 'closed' }] },
    state: 'not_bidding',
    level: 'block',
    text: 'Ports 8443/8444 not reachable',
  },
  { name: 'ports never tested are no problem', patch: { ports: [{ port: 8443, state: 'not_tested' }] }, state: 'bidding', level: 'ok', text: /^Online/ },
  { name: 'balance below bid deposit', patch: { wallet: { exists: true, balanceUakt: 499_999n, bidDepositUakt: 500_000n } }, state: 'not_bidding', level: 'warn', text: 'Not bidding: balance below bid deposit' },
  { name: 'certificate expiring within the renewal window', patch: { certificate: { daysLeft: 12, notAfter: '2026-12-12T00:00:00.000Z' } }, state: 'bidding', level: 'warn', text: 'Online: bidding · Provider certificate expires in 12 days' },
  { name: 'certificate expiring tomorrow', patch: { certificate: { daysLeft: 1, notAfter: '2026-12-01T00:00:00.000Z' } }, state: 'bidding', level: 'warn', text: 'Online: bidding · Provider certificate expires in 1 day' },
  {
    name: 'certificate to renew while earning',
    patch: { activeLeases: 1, leasedGpus: ['rtx4090 24Gi'], certificate: { daysLeft: 20, notAfter: '2026-12-20T00:00:00.000Z' } },
    state: 'earning',
    level: 'warn',
    text: 'Earning: 1 active lease on rtx4090 24Gi · Provider certificate expires in 20 days',
  },
  {
    name: 'a price above market outranks the certificate reminder in the line',
    patch: { prices: [{ label: 'RTX 4090', usdPerHour: 0.5, marketMedianUsdPerHour: 0.35 }], certificate: { daysLeft: 20, notAfter: '2026-12-20T00:00:00.000Z' } },
    state: 'not_bidding',
    level: 'warn',
    text: 'Not bidding: price above market for RTX 4090',
  },
  { name: 'certificate expired: tenants cannot reach the provider', patch: { certificate: { daysLeft: -2, notAfter: '2026-11-28T10:00:00.000Z' } }, state: 'not_bidding', level: 'block', text: 'Not earning: the provider certificate expired on 2026-11-28' },
  { name: 'no certificate on record is not a certificate problem', patch: { certificate: null }, state: 'bidding', level: 'ok', text: /^Online/ },
  { name: 'balance exactly the deposit is enough', patch: { wallet: { exists: true, balanceUakt: 500_000n, bidDepositUakt: 500_000n } }, state: 'bidding', level: 'ok', text: /^Online/ },
  {
    name: 'gaming mode',
    patch: { availability: { mode: 'paused', activity: 'gaming', bidding: false, reason: 'a game is running', pausedUntil: null, gamingProcesses: ['cs2.exe'] } },
    state: 'gaming',
    level: 'info',
    text: 'Gaming: cs2.exe is running, no new bids',
  },
  {
    name: 'paused by hand until a time',
    patch: { availability: { mode: 'paused', activity: 'paused', bidding: false, reason: 'maintenance', pausedUntil: '2026-11-30T18:30:00Z', gamingProcesses: [] } },
    state: 'paused',
    level: 'info',
    text: 'Paused until 18:30 UTC: maintenance',
  },
  { name: 'offline', patch: { availability: { mode: 'offline', activity: 'offline', bidding: false, reason: 'off', pausedUntil: null, gamingProcesses: [] } }, state: 'offline', level: 'warn', text: 'Offline: switched off, no bids' },
  { name: 'stack stopped', patch: { stack: { overall: 'stopped' } }, state: 'not_bidding', level: 'block', text: 'Not earning: the provider stack is stopped' },
  { name: 'stack starting', patch: { stack: { overall: 'starting' } }, state: 'setup', level: 'info', text: 'Not earning: the provider stack is still starting' },
  { name: 'no wallet', patch: { wallet: { exists: false, balanceUakt: null, bidDepositUakt: null } }, state: 'setup', level: 'block', text: 'Not earning: no wallet yet' },
  { name: 'no GPU beats everything else', patch: { gpus: [], wallet: { exists: false, balanceUakt: null, bidDepositUakt: null }, stack: { overall: 'not_installed' } }, state: 'not_ready', level: 'block', text: 'Not earning: no NVIDIA GPU found' },
  { name: 'stack not installed is setup, not a fault', patch: { stack: { overall: 'not_installed' } }, state: 'setup', level: 'block', text: 'Not earning: the provider stack is not installed' },
  {
    name: 'a blocking fault beats a pause',
    patch: { ports: [{ port: 8443, state: 'closed' }], availability: { mode: 'paused', activity: 'gaming', bidding: false, reason: 'game', pausedUntil: null, gamingProcesses: [] } },
    state: 'not_bidding',
    level: 'block',
    text: 'Ports 8443 not reachable',
  },
  {
    name: 'earning while gaming: the tenant keeps the GPU and the game shares it',
    patch: { activeLeases: 1, leasedGpus: ['rtx4090 24Gi'], availability: { mode: 'paused', activity: 'gaming', bidding: false, reason: 'game', pausedUntil: null, gamingProcesses: [] } },
    state: 'earning',
    level: 'warn',
    text: 'Earning: 1 active lease on rtx4090 24Gi · GPU 0 rented until you reclaim it (the game shares it with the tenant)',
  },
  {
    name: 'earning with a blocking fault names the fault',
    patch: { activeLeases: 1, leasedGpus: ['rtx4090 24Gi'], stack: { overall: 'degraded' } },
    state: 'not_bidding',
    level: 'block',
    text: 'Not earning: part of the provider stack is not ready',
  },
  // Seen: a bare machine (no Docker, no wallet, no stack) said "Online: bidding on new orders".
  {
    name: 'a bare machine names Docker first, before the wallet and the stack',
    patch: {
      readinessBlocks: [
        { id: 'disk.free', title: 'Free disk', detail: '20 GB free is under the 100 GB Akash asks for.', fix: 'Free some space.', hard: false },
        { id: 'docker.engine', title: 'Docker engine', detail: 'No Docker engine was found on this machine.', fix: 'Install Docker Engine.', hard: true },
      ],
      wallet: { exists: false, balanceUakt: null, bidDepositUakt: null },
      stack: null,
      activeLeases: 0,
    },
    state: 'not_ready',
    level: 'block',
    text: 'Not ready: no Docker engine was found on this machine',
  },
  // Seen: while paused the card still blamed the price.
  {
    name: 'paused: the pause is the reason, not the price',
    patch: { prices: [{ label: 'RTX 4090', usdPerHour: 0.5, marketMedianUsdPerHour: 0.35 }], availability: { mode: 'paused', activity: 'paused', bidding: false, reason: 'from the tray', pausedUntil: null, gamingProcesses: [] } },
    state: 'paused',
    level: 'info',
    text: 'Paused: from the tray',
  },
  {
    name: 'paused with a lease: the GPU is rented until reclaimed, not "paused"',
    patch: { activeLeases: 1, leasedGpus: ['rtx4090 24Gi'], availability: { mode: 'paused', activity: 'paused', bidding: false, reason: 'from the tray', pausedUntil: null, gamingProcesses: [] } },
    state: 'earning',
    level: 'warn',
    text: 'Earning: 1 active lease on rtx4090 24Gi · GPU 0 rented until you reclaim it (the pause only stops new bids)',
  },
  {
    name: 'gaming with notice given: the GPU comes back when the notice ends, and that time is said',
    patch: { activeLeases: 1, leasedGpus: ['rtx4090 24Gi'], noticeDeadlines: [Date.parse('2026-12-07T18:30:00Z') / 1000], availability: { mode: 'paused', activity: 'gaming', bidding: false, reason: 'game', pausedUntil: null, gamingProcesses: ['cs2.exe'] } },
    state: 'earning',
    level: 'warn',
    text: 'Earning: 1 active lease on rtx4090 24Gi · GPU 0 rented until the notice ends 2026-12-07 18:30 UTC (the game shares it with the tenant)',
  },
  {
    name: 'offline stops the stack: offline is the reason, not "stack stopped"',
    patch: { stack: { overall: 'stopped' }, availability: { mode: 'offline', activity: 'offline', bidding: false, reason: 'off', pausedUntil: null, gamingProcesses: [] } },
    state: 'offline',
    level: 'warn',
    text: 'Offline: switched off, no bids',
  },
  {
    name: 'unreachable from outside blocks',
    patch: { reachability: { state: 'unreachable', headline: 'Tenants cannot reach this rig', reasons: ['Port 8443 is closed from outside.'] } },
    state: 'not_bidding',
    level: 'block',
    text: 'Not reachable from the internet: port 8443 is closed from outside',
  },
  {
    name: 'not yet checked from outside rides along with bidding, never plain "Online"',
    patch: { reachability: { state: 'unchecked', headline: 'Not checked', reasons: ['No domain set yet.'] } },
    state: 'bidding',
    level: 'warn',
    text: 'Online: bidding · Not yet proven reachable from the internet',
  },
  {
    name: 'a block the person may accept (few CPU threads) is said with bidding, not as "not ready"',
    patch: { readinessBlocks: [{ id: 'cpu.threads', title: 'CPU threads', detail: '2 threads leave nothing for tenants.', fix: 'Use a machine with at least 8 CPU threads.', hard: false }] },
    state: 'bidding',
    level: 'warn',
    text: 'Online: bidding · Offers less: 2 threads leave nothing for tenants',
  },
  {
    name: 'the availability sentence that already says "Paused" is not said twice',
    patch: { availability: { mode: 'paused', activity: 'paused', bidding: false, reason: 'Paused (tray): no new bids, running leases continue.', pausedUntil: null, gamingProcesses: [] } },
    state: 'paused',
    level: 'info',
    text: 'Paused (tray): no new bids, running leases continue',
  },
  { name: 'parts that could not be read are not faults', patch: { stack: null, wallet: null }, state: 'unknown', level: 'info', text: /could not be read/ },
];

describe('rigStatus', () => {
  it.each(cases)('$name', ({ patch, state, level, text }) => {
    const { status } = rigStatus({ ...healthy, ...patch });
    expect(status.state).toBe(state);
    expect(status.level).toBe(level);
    if (typeof text === 'string') expect(status.text).toBe(text);
    else expect(status.text).toMatch(text);
  });

  it('lists every problem as an alert, most severe first, each with a fix and a screen', () => {
    const { alerts } = rigStatus({
      ...healthy,
      prices: [
        { label: 'RTX 4090', usdPerHour: 0.5, marketMedianUsdPerHour: 0.35 },
        { label: 'RTX 3090', usdPerHour: 0.4, marketMedianUsdPerHour: 0.2 },
      ],
      wallet: { exists: true, balanceUakt: 0n, bidDepositUakt: 500_000n },
      ports: [{ port: 8443, state: 'closed' }],
    });
    expect(alerts.map((a) => a.text)).toEqual(['Ports 8443 not reachable', 'Not bidding: balance below bid deposit', 'Not bidding: price above market for RTX 4090 and RTX 3090']);
    for (const a of alerts) {
      expect(a.fix).toBeTruthy();
      expect(a.route).toMatch(/^\//);
    }
  });
});

describe('gpuLabel', () => {
  it.each([
    ['NVIDIA GeForce RTX 4090', 'RTX 4090'],
    ['NVIDIA RTX A6000', 'RTX A6000'],
    ['Tesla T4', 'Tesla T4'],
  ])('%s → %s', (name, label) => expect(gpuLabel(name)).toBe(label));
});
