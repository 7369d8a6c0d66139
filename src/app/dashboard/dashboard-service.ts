import type { Out, Parsed } from '../../api/contract.js';
import type { Handler, Handlers } from '../../api/dispatch.js';
import type { BenchRun } from '../../api/schemas/bench.js';
import type { LeaseRow } from '../../api/schemas/chain.js';
import type { DashboardGap, DashboardLease, DashboardSummary, RigStatusReport } from '../../api/schemas/dashboard.js';
import { HARD_BLOCK_IDS, type HardwareReport } from '../../api/schemas/hardware.js';
import { leaseEarned } from '../../provider/chain/lease-ledger.js';
import { blockTime, earningsSeries, SECONDS_PER_BLOCK } from './earnings-series.js';
import { gpuLabel, rigStatus, type StatusInputs } from './status-model.js';

/** What the dashboard reads; the Agent passes its own parts, a test passes literals. */
export interface DashboardSources {
  demo: boolean;
  handlers: Pick<Handlers, 'availability.get' | 'pricing.get' | 'stack.status' | 'wallet.status' | 'bench.history'>;
  hardware: (maxAgeMs: number) => Promise<HardwareReport>;
  /**
   * Every active lease with what it runs, the chain's current height, and (for the earnings
   * history) leases that closed recently.
   */
  activeLeases: () => Promise<{ leases: LeaseRow[]; closed?: LeaseRow[]; height: number; secondsPerBlock?: number }>;
  /** The registered provider certificate's expiry from local state (nothing decrypted, no chain query); null: none. */
  certificate?: () => Promise<{ daysLeft: number; notAfter: string } | null>;
  /** The relay's state (relay.status); absent: no relay alerts. */
  relay?: () => Promise<NonNullable<StatusInputs['relay']>>;
  /** The last outside check (network.reachability without a refresh); asked only once a provider runs. */
  reachability?: () => Promise<NonNullable<StatusInputs['reachability']>>;
  now?: () => Date;
}

/** Each part gets this long; a slow chain endpoint must not hold the whole dashboard. */
const PART_TIMEOUT_MS = 8_000;

async function part<T>(name: string, gaps: DashboardGap[], work: () => Promise<T>): Promise<T | null> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      work(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${PART_TIMEOUT_MS / 1000} s`)), PART_TIMEOUT_MS);
      }),
    ]);
  } catch (err) {
    gaps.push({ part: name, message: err instanceof Error ? err.message : String(err) });
    return null;
  } finally {
    clearTimeout(timer);
  }
}

type Read = keyof DashboardSources['handlers'];
const INTERNAL = { via: 'internal' } as const;
const call = <M extends Read>(h: DashboardSources['handlers'], m: M, input: Parsed<M>): Promise<Out<M>> => (h[m] as Handler<M>)(input, INTERNAL);

/** Every part the rig's state is derived from, read in parallel; a part that fails is a gap. */
async function readParts(src: DashboardSources, gaps: DashboardGap[]) {
  const h = src.handlers;
  const [hw, availability, pricing, stack, wallet, bench, chain, certificate, relay] = await Promise.all([
    part('hardware', gaps, () => src.hardware(60_000)),
    part('availability', gaps, () => call(h, 'availability.get', {})),
    part('pricing', gaps, () => call(h, 'pricing.get', {})),
    part('stack', gaps, () => call(h, 'stack.status', {})),
    part('wallet', gaps, () => call(h, 'wallet.status', {})),
    part('benchmarks', gaps, () => call(h, 'bench.history', { limit: 20 })),
    part('leases', gaps, () => src.activeLeases()),
    part('certificate', gaps, () => src.certificate?.() ?? Promise.resolve(null)),
    part('relay', gaps, () => src.relay?.() ?? Promise.resolve(null)),
  ]);
  // The outside check matters only once a provider runs; before that, setup is the reason.
  const providing = stack?.overall === 'running' && wallet?.wallet.exists === true;
  const reachability = providing ? await part('reachability', gaps, () => src.reachability?.() ?? Promise.resolve(null)) : null;

  const localPrices = pricing?.resolved.gpus.filter((g) => g.local) ?? null;
  const labelFor = (key: string): string => {
    // Price keys are Akash model names ("rtx4090.24Gi"); the card's own name reads better.
    const model = key.split('.')[0]?.toLowerCase() ?? key;
    const gpu = hw?.gpus.find((g) => gpuLabel(g.name).toLowerCase().replace(/\s+/g, '') === model);
    return gpu ? gpuLabel(gpu.name) : key;
  };
  const lastPorts = bench?.runs.find((r: BenchRun) => r.ports?.tested) ?? null;
  const deposit = wallet?.balance?.shortfall.breakdown.find((b) => /bid deposit/i.test(b.what))?.uakt ?? null;
  const leases = chain?.leases ?? [];
  const inputs: StatusInputs = {
    gpus: hw ? hw.gpus.map((g) => ({ name: g.name })) : null,
    availability: availability
      ? { mode: availability.mode, activity: availability.activity, bidding: availability.bidding, reason: availability.reason, pausedUntil: availability.pausedUntil, gamingProcesses: availability.gaming.processes }
      : null,
    prices: localPrices ? localPrices.map((g) => ({ label: labelFor(g.key), usdPerHour: g.usdPerHour, marketMedianUsdPerHour: g.marketMedianUsdPerHour })) : null,
    stack: stack ? { overall: stack.overall } : null,
    ports: lastPorts?.ports ? lastPorts.ports.ports.map((p) => ({ port: p.port, state: p.state })) : null,
    wallet: wallet
      ? { exists: wallet.wallet.exists, balanceUakt: wallet.balance ? BigInt(wallet.balance.uakt) : null, bidDepositUakt: deposit === null ? null : BigInt(deposit) }
      : null,
    activeLeases: leases.length,
    certificate,
    leasedGpus: leases.flatMap((l) => l.resources?.gpuModels ?? []),
    noticeDeadlines: leases.filter((l) => l.state === 'reclaiming' && (l.resources?.gpus ?? 1) > 0).flatMap((l) => (l.reclamation?.deadline ? [l.reclamation.deadline] : [])),
    relay,
    readinessBlocks: hw ? hw.checks.filter((c) => c.status === 'block').map((c) => ({ id: c.id, title: c.title, detail: c.detail, fix: c.fix, hard: HARD_BLOCK_IDS.includes(c.id) })) : null,
    reachability: reachability ? { state: reachability.state, headline: reachability.headline, reasons: reachability.reasons } : null,
  };
  return { hw, pricing, bench, chain, localPrices, lastPorts, leases, inputs };
}

type Parts = Awaited<ReturnType<typeof readParts>>;
const reading = new WeakMap<DashboardSources['handlers'], Promise<{ parts: Parts; gaps: DashboardGap[] }>>();

/**
 * A caller that arrives while the same agent's parts are being read shares that read: every page
 * load asks rig.status (the top line) and dashboard.summary (the card) at once, and a second full
 * read would delay both answers on a small machine. Nothing is kept once the read ends, so no
 * answer is older than the read it waited for.
 */
async function readPartsShared(src: DashboardSources, gaps: DashboardGap[]): Promise<Parts> {
  let read = reading.get(src.handlers);
  if (!read) {
    const own: DashboardGap[] = [];
    read = readParts(src, own)
      .then((parts) => ({ parts, gaps: own }))
      .finally(() => reading.delete(src.handlers));
    reading.set(src.handlers, read);
  }
  const r = await read;
  gaps.push(...r.gaps);
  return r.parts;
}

/** The rig's one state (what the top bar, the tray and `riglease status` show), with every alert. */
export async function rigStatusNow(src: DashboardSources): Promise<RigStatusReport> {
  const now = (src.now ?? (() => new Date()))();
  const gaps: DashboardGap[] = [];
  const { inputs } = await readPartsShared(src, gaps);
  return { checkedAt: now.toISOString(), demo: src.demo, ...rigStatus(inputs), gaps };
}

/** The dashboard in one answer, read in parallel; a part that fails is listed in `gaps`, never fatal. */
export async function dashboardSummary(src: DashboardSources): Promise<DashboardSummary> {
  const now = (src.now ?? (() => new Date()))();
  const gaps: DashboardGap[] = [];
  const { hw, pricing, bench, chain, localPrices, lastPorts, leases, inputs } = await readPartsShared(src, gaps);
  const { status, alerts } = rigStatus(inputs);

  const usdPerAkt = pricing?.resolved.aktUsd ?? null;
  const powerValues = (localPrices ?? []).map((g) => g.powerUsdPerHour).filter((v): v is number => v !== null);
  const powerUsdPerGpuHour = powerValues.length > 0 ? Math.max(...powerValues) : null;
  const height = chain?.height ?? 0;
  // The chain's measured average block time (the same one earnings.get uses), else AKASH.md's.
  const spb = chain?.secondsPerBlock ?? SECONDS_PER_BLOCK;
  const toUsd = (micro: number, denom: string) => (denom === 'uakt' ? (usdPerAkt === null ? null : (micro / 1e6) * usdPerAkt) : denom.startsWith('ibc/') || denom === 'uact' ? micro / 1e6 : null);
  const leaseRows: DashboardLease[] = leases.map((l) => {
    // The one ledger's figure for this lease (the Leases API's), so both show the same micro-units.
    const earned = Number(l.ledger ? BigInt(l.ledger.earnedMicro) : leaseEarned(l, height));
    const perHour = toUsd((l.pricePerBlock * 3600) / spb, l.denom);
    const usd = toUsd(earned, l.denom);
    return {
      id: `${l.owner}/${l.dseq}/${l.gseq}/${l.oseq}/${l.bseq}`,
      tenant: l.owner,
      gpu: l.resources?.gpuModels[0] ?? null,
      resources: l.resources?.summary ?? null,
      denom: l.denom,
      pricePerBlock: l.pricePerBlock,
      usdPerHour: perHour === null ? null : Math.round(perHour * 1e4) / 1e4,
      sinceBlock: l.createdAt,
      sinceAt: blockTime(l.createdAt, height, now, spb).toISOString(),
      earnedMicro: earned,
      earnedUsd: usd === null ? null : Math.round(usd * 100) / 100,
      noticeDeadline: l.state === 'reclaiming' ? (l.reclamation?.deadline ?? null) : null,
    };
  });
  // The lease that has earned most first: that is the one a person looks for.
  leaseRows.sort((a, b) => b.earnedMicro - a.earnedMicro);
  // Power is paid per running GPU: a CPU-only lease costs none extra; an unknown one counts as one GPU.
  const recentlyClosed = (chain?.closed ?? []).filter((l) => l.closedOn > 0 && l.closedOn > l.createdAt);
  const spans = [...leases, ...recentlyClosed].map((l) => ({ createdAt: l.createdAt, closedOn: l.closedOn, pricePerBlock: l.pricePerBlock, priceAtomics: l.priceAtomics, denom: l.denom, gpus: l.resources ? l.resources.gpus : 1 }));
  const seriesInput = { leases: spans, height, now, usdPerAkt, powerUsdPerGpuHour, secondsPerBlock: spb };

  const latest = bench?.runs[0] ?? null;
  const benchView = latest
    ? {
        at: latest.at,
        gpuName: latest.gpus[0]?.name ?? latest.gpu?.device ?? null,
        gflops: latest.gpu?.gflops ?? null,
        referenceRatio: latest.reference?.ratio ?? null,
        diskSeqReadMBps: latest.disk?.seqReadMBps ?? null,
        downMbps: latest.network?.downloadMbps ?? null,
        portsOpen: lastPorts?.ports?.ports.filter((p) => p.state === 'open').map((p) => p.port) ?? [],
        portsClosed: lastPorts?.ports?.ports.filter((p) => p.state === 'closed').map((p) => p.port) ?? [],
      }
    : null;

  return {
    checkedAt: now.toISOString(),
    demo: src.demo,
    status,
    gpus: (hw?.gpus ?? []).map((g) => ({ index: g.index, uuid: g.uuid, name: g.name, memoryTotalMiB: g.vramMiB, powerLimitW: g.powerLimitW })),
    leases: leaseRows,
    earnings: { usdPerAkt, powerUsdPerGpuHour, series: (['24h', '7d', '30d'] as const).map((r) => earningsSeries(r, seriesInput)) },
    bench: benchView,
    alerts,
    gaps,
  };
}
