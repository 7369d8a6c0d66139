import { describe, expect, it } from 'vitest';
import type { LeaseRow } from '../../api/schemas/chain.js';
import { RigError } from '../../api/errors.js';
import { dashboardSummary, rigStatusNow, type DashboardSources } from './dashboard-service.js';

const now = new Date('2026-11-30T12:00:00Z');
const lease = (p: Partial<LeaseRow>): LeaseRow => ({
  owner: 'akash1tenant',
  dseq: '1',
  gseq: 1,
  oseq: 1,
  bseq: 1,
  state: 'active',
  denom: 'uakt',
  pricePerBlock: 100,
  createdAt: 1000,
  closedOn: 0,
  escrow: null,
  resources: null,
  ...p,
});
const gpuRes = { cpuMilli: 8000, memoryBytes: 1, storageBytes: 1, gpus: 1, gpuModels: ['rtx4090 24Gi'], summary: '1 × GPU' };
const cpuRes = { cpuMilli: 2000, memoryBytes: 1, storageBytes: 1, gpus: 0, gpuModels: [], summary: '2 CPU' };

/** Sources as a healthy rig answers them; each test breaks one. Values are what the handlers return, trimmed to what the dashboard reads. */
function sources(over: Partial<DashboardSources['handlers']> = {}, leases: LeaseRow[] = [], closed: LeaseRow[] = []): DashboardSources {
  const handlers = {
    'availability.get': async () => ({ mode: 'online', activity: 'online', bidding: true, reason: 'Online', pausedUntil: null, gaming: { enabled: false, processes: [] } }),
    'pricing.get': async () => ({ resolved: { aktUsd: 2, gpus: [{ key: 'rtx4090.24Gi', usdPerHour: 0.3, marketMedianUsdPerHour: 0.35, powerUsdPerHour: 0.06, local: true }] } }),
    'stack.status': async () => ({ overall: 'running' }),
    'wallet.status': async () => ({ wallet: { exists: true }, balance: { uakt: '9000000', shortfall: { breakdown: [{ what: 'one bid deposit (market param bid_min_deposit)', uakt: '500000' }] } } }),
    'bench.history': async () => ({ runs: [], rerun: { suggested: false, reasons: [] } }),
    ...over,
  } as unknown as DashboardSources['handlers'];
  return {
    demo: false,
    handlers,
    hardware: async () => ({ gpus: [{ index: 0, uuid: 'GPU-1', name: 'NVIDIA GeForce RTX 4090', vramMiB: 24564, powerLimitW: 450 }], checks: [] }) as never,
    activeLeases: async () => ({ leases, closed, height: 1000 + 6 * 589 }),
    now: () => now,
  };
}

describe('dashboardSummary', () => {
  it('lists leases (most earned first) with price per hour and earnings, and charges power only for GPU leases', async () => {
    const s = await dashboardSummary(sources({}, [lease({ dseq: '1', resources: cpuRes, pricePerBlock: 10 }), lease({ dseq: '2', resources: gpuRes })]));
    expect(s.leases.map((l) => [l.gpu, l.earnedMicro])).toEqual([
      ['rtx4090 24Gi', 100 * 6 * 589],
      [null, 10 * 6 * 589],
    ]);
    expect(s.leases[0]!.usdPerHour).toBeCloseTo(((100 * 3600) / 6.117 / 1e6) * 2, 3);
    const day = s.earnings.series.find((x) => x.range === '24h')!;
    // ~6 h of one GPU at $0.06 — the CPU-only lease adds no power cost.
    expect(day.totals.powerUsd).toBeCloseTo(6 * 0.06 * (6.117 * 589) / 3600, 2);
    expect(s.status).toMatchObject({ state: 'earning', level: 'ok' });
    expect(s.gaps).toEqual([]);
  });

  it('counts a closed lease in the earnings of the hours it ran, but not among the active leases', async () => {
    const closed = lease({ dseq: '9', state: 'closed', createdAt: 1000, closedOn: 1000 + 2 * 589, resources: gpuRes });
    const s = await dashboardSummary(sources({}, [], [closed]));
    expect(s.leases).toEqual([]);
    const day = s.earnings.series.find((x) => x.range === '24h')!;
    expect(day.totals.grossAkt).toBeCloseTo((100 * 2 * 589) / 1e6, 4);
    expect(s.status.state).toBe('bidding');
  });

  it('names the local GPU by its card name when its price is above the market', async () => {
    const s = await dashboardSummary(
      sources({ 'pricing.get': (async () => ({ resolved: { aktUsd: 2, gpus: [{ key: 'rtx4090.24Gi', usdPerHour: 0.5, marketMedianUsdPerHour: 0.35, powerUsdPerHour: null, local: true }] } })) as never }),
    );
    expect(s.status.text).toBe('Not bidding: price above market for RTX 4090');
  });

  it('reads the bid deposit from the wallet shortfall and says when the balance is below it', async () => {
    const s = await dashboardSummary(
      sources({ 'wallet.status': (async () => ({ wallet: { exists: true }, balance: { uakt: '100', shortfall: { breakdown: [{ what: 'one bid deposit (market param bid_min_deposit)', uakt: '500000' }] } } })) as never }),
    );
    expect(s.status.text).toBe('Not bidding: balance below bid deposit');
  });

  it('a part that fails is a gap, not a failure of the whole dashboard', async () => {
    const s = await dashboardSummary(
      sources({
        'stack.status': (async () => {
          throw new RigError('unavailable', 'Docker is not running.');
        }) as never,
      }),
    );
    expect(s.gaps).toEqual([{ part: 'stack', message: 'Docker is not running.' }]);
    expect(s.gpus).toHaveLength(1);
    expect(s.status.state).toBe('unknown');
  });
});

describe('a page load asking rig.status and dashboard.summary at once', () => {
  it('reads the parts once for both, with the same state and gaps, and reads again for a later call', async () => {
    let stackReads = 0;
    const src = sources({
      'stack.status': async () => {
        stackReads += 1;
        throw new RigError('unavailable', 'Docker is not running.');
      },
    } as never);
    const [status, summary] = await Promise.all([rigStatusNow(src), dashboardSummary(src)]);
    expect(stackReads).toBe(1);
    expect(status.status).toEqual(summary.status);
    expect(status.gaps).toEqual([{ part: 'stack', message: 'Docker is not running.' }]);
    expect(summary.gaps).toEqual(status.gaps);
    await rigStatusNow(src);
    expect(stackReads).toBe(2);
  });
});
