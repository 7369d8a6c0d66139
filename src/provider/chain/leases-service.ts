import { QueryLeasesRequest, QueryLeasesResponse } from '@akashnetwork/chain-sdk/private-types/akash.v1beta5';
import type { EncodeObject } from '@cosmjs/proto-signing';
import type { Earnings, LeaseRow, TxReceipt } from '../../api/schemas/chain.js';
import { accruedAtomics, ASSUMED_SECONDS_PER_BLOCK, atomicsToMicro, averageBlockSeconds, priceAtomicsOf, windowBlocks, type AccrualSpan } from './accrual.js';
import { decAtomicsToMicro } from './amounts.js';
import type { ChainContext } from './chain-context.js';
import { groupKey, LeaseResourceLookup } from './lease-resources.js';
import { ChainQueryError } from './chain-client.js';
import { explorerLink } from './network.js';
import { fromSdkReclamation, type Reclamation } from './reclamation.js';
import { TYPE_URL } from './registry.js';
import type { WalletService } from './wallet-service.js';
import type { UsdRate } from './usd-rate.js';
import { aktUsd } from './bme-service.js';
import { quoteActToAkt } from './money.js';
import { attachLedger, paymentView } from './escrow-accounts.js';
import { leaseFigures } from './lease-ledger.js';

/** Blocks between the two headers the average block time is measured from (≈ 50 min at 6 s). */
export const BLOCK_TIME_SPAN = 500;
/** The measured average block time is reused this long (two `block` calls per measurement). */
export const BLOCK_TIME_TTL_MS = 10 * 60_000;
const DAY_S = 86_400;
/** Page size for lease listing: big enough that 5,000 leases are 5 round trips. */
export const PAGE_LIMIT = 1000;
/** Withdrawals per tx: keeps each tx far below block gas limits and a failed tx cheap to redo. */
export const WITHDRAW_BATCH = 50;

/** Lease.State by number; `reclaiming` (4) is AEP-82's. */
const STATES = ['invalid', 'active', 'insufficient_funds', 'closed', 'reclaiming'] as const;
const PAYMENT_STATES = ['invalid', 'open', 'closed', 'overdrawn'] as const;

export interface LeaseQuery {
  state?: 'active' | 'insufficient_funds' | 'closed' | 'reclaiming' | undefined;
  limit?: number;
  key?: string | null;
  /** Only one tenant's deployment (the chain's owner + dseq filters). */
  owner?: string;
  dseq?: string;
  /** Also look up what each lease runs (its deployment group); for screens, not for sums. */
  withResources?: boolean;
}

export class LeasesService {
  private readonly resources = new LeaseResourceLookup();
  private blockTimeCache: { chainKey: string; at: number; value: { secondsPerBlock: number; source: 'measured' | 'assumed'; sampledFrom: number | null } } | null = null;

  constructor(
    private readonly wallet: WalletService,
    private readonly chain: ChainContext,
  ) {}

  /** One page of this provider's leases (key pagination, as the chain gives it). */
  async page(q: LeaseQuery): Promise<{ leases: LeaseRow[]; nextKey: string | null; total: number | null }> {
    const provider = await this.wallet.address();
    const { client } = await this.chain.get();
    const req = QueryLeasesRequest.fromPartial({
      filters: { provider, state: q.state ?? '', owner: q.owner ?? '', dseq: q.dseq ?? 0, gseq: 0, oseq: 0, bseq: 0 },
      pagination: { key: q.key ? Buffer.from(q.key, 'base64') : new Uint8Array(), limit: q.limit ?? PAGE_LIMIT, countTotal: !q.key },
    });
    const bytes = await client.query('/akash.market.v1beta5.Query/Leases', QueryLeasesRequest.encode(req).finish());
    const res = QueryLeasesResponse.decode(bytes);
    const next = res.pagination?.nextKey;
    const total = res.pagination ? Number(res.pagination.total.toString()) : 0;
    const rows = res.leases.map((l) => toRow(l, fromSdkReclamation(l.lease?.reclamation)));
    // The one ledger's figures at the latest height, pending as the escrow keeper would pay it.
    const height = await client.height();
    await attachLedger(
      client,
      res.leases.map((l, i) => {
        const p = l.escrowPayment?.state;
        return { row: rows[i]!, payment: p ? paymentView(p, `${l.lease?.id?.gseq ?? 0}/${l.lease?.id?.oseq ?? 0}/${provider}`) : null };
      }),
      height,
    );
    if (q.withResources && rows.length > 0) {
      const found = await this.resources.forGroups(client, rows);
      for (const r of rows) r.resources = found.get(groupKey(r)) ?? null;
    }
    return { leases: rows, nextKey: next && next.length > 0 ? Buffer.from(next).toString('base64') : null, total: q.key ? null : total };
  }

  /** Every lease in `state` (all states when absent), page by page. */
  async all(state?: LeaseQuery['state'], signal?: AbortSignal): Promise<{ leases: LeaseRow[]; pages: number }> {
    const out: LeaseRow[] = [];
    let key: string | null = null;
    let pages = 0;
    do {
      signal?.throwIfAborted();
      const page = await this.page({ state, key, limit: PAGE_LIMIT });
      out.push(...page.leases);
      key = page.nextKey;
      pages++;
    } while (key);
    return { leases: out, pages };
  }

  /**
   * The chain's average block time from two block headers' times (the latest and the one
   * BLOCK_TIME_SPAN before it), cached for BLOCK_TIME_TTL_MS; AKASH.md's 6.117 s while the chain
   * is too young to measure.
   */
  async averageBlockTime(): Promise<{ height: number; secondsPerBlock: number; source: 'measured' | 'assumed'; sampledFrom: number | null }> {
    const { client, profile } = await this.chain.get();
    const chainKey = `${profile.chainId} ${profile.rpc.join(' ')}`;
    const latest = await client.blockHeader();
    const c = this.blockTimeCache;
    if (c && c.chainKey === chainKey && Date.now() - c.at < BLOCK_TIME_TTL_MS) return { height: latest.height, ...c.value };
    const olderHeight = Math.max(1, latest.height - BLOCK_TIME_SPAN);
    // A pruned node may not hold the older block: then the assumed block time, and the next call tries again.
    const older = olderHeight < latest.height ? await client.blockHeader(olderHeight).catch(() => null) : null;
    const measured = older ? averageBlockSeconds(older, latest) : null;
    const value = measured === null ? { secondsPerBlock: ASSUMED_SECONDS_PER_BLOCK, source: 'assumed' as const, sampledFrom: null } : { secondsPerBlock: measured, source: 'measured' as const, sampledFrom: olderHeight };
    if (value.source === 'measured') this.blockTimeCache = { chainKey, at: Date.now(), value };
    return { height: latest.height, ...value };
  }

  /**
   * What the leases accrued in the last day / week / month and over their lives (accrual.ts, exact
   * atomics), what was withdrawn and what waits in escrow; the USD rate is injected.
   */
  async earnings(rate: UsdRate | number | null): Promise<Earnings> {
    const usdRate: UsdRate | null = typeof rate === 'number' ? { usdPerAkt: rate, source: 'given', at: null } : rate;
    const usdPerAkt = usdRate?.usdPerAkt ?? null;
    const t0 = performance.now();
    const [{ leases, pages }, clock] = await Promise.all([this.all(), this.averageBlockTime()]);
    const height = clock.height;
    const windows = { day: windowBlocks(DAY_S, clock.secondsPerBlock), week: windowBlocks(7 * DAY_S, clock.secondsPerBlock), month: windowBlocks(30 * DAY_S, clock.secondsPerBlock) };
    type Sums = { spans: AccrualSpan[]; earned: bigint; lifetime: bigint; withdrawn: bigint; pending: bigint; withdrawable: bigint; active: number };
    const empty = (): Sums => ({ spans: [], earned: 0n, lifetime: 0n, withdrawn: 0n, pending: 0n, withdrawable: 0n, active: 0 });
    const perDenom = new Map<string, Sums>();
    for (const l of leases) {
      const d = perDenom.get(l.denom) ?? empty();
      // A closed lease without a close block (never on a real chain) is not guessed at: it counts nothing.
      d.spans.push({ createdAt: l.createdAt, closedOn: l.state === 'closed' ? l.closedOn || l.createdAt : l.closedOn, priceAtomics: priceAtomicsOf(l) });
      // The one ledger (lease-ledger.ts): totals are sums of the per-lease figures every screen shows.
      const f = l.ledger ? { earned: BigInt(l.ledger.earnedMicro), withdrawn: BigInt(l.ledger.withdrawnMicro), pending: BigInt(l.ledger.pendingMicro) } : leaseFigures(l, height);
      // A reclaiming lease still runs and pays until it is closed.
      if (l.state === 'active' || l.state === 'reclaiming') {
        d.active++;
        d.withdrawable += f.pending;
      }
      d.earned += f.earned;
      d.withdrawn += f.withdrawn;
      d.pending += f.pending;
      d.lifetime += f.withdrawn + f.pending;
      perDenom.set(l.denom, d);
    }
    const accrued = (spans: AccrualSpan[], blocks: number) => Number(atomicsToMicro(accruedAtomics(spans, height - blocks, height, height)));
    // Since BME leases are priced in uact (README "BME"); a provider with only older uakt leases keeps AKT.
    const denom = perDenom.has('uact') || !perDenom.has('uakt') ? 'uact' : 'uakt';
    const akt = perDenom.get(denom) ?? empty();
    const { client } = await this.chain.get();
    const oracleAkt = await aktUsd(client);
    // ACT is pegged to $1 on chain (x/oracle GetAggregatedPrice); AKT uses the injected rate.
    const usdPerUnit = denom === 'uact' ? 1 : usdPerAkt;
    const usd = (micro: number) => (usdPerUnit === null ? null : round2((micro / 1e6) * usdPerUnit));
    const money = (micro: number | bigint) => ({ micro: Number(micro), usd: usd(Number(micro)) });
    const inAkt = (micro: bigint) => (denom === 'uact' && oracleAkt ? quoteActToAkt(micro, oracleAkt, 0).minted.toString() : null);
    return {
      denom,
      activeLeases: [...perDenom.values()].reduce((a, d) => a + d.active, 0),
      perDay: money(accrued(akt.spans, windows.day)),
      perWeek: money(accrued(akt.spans, windows.week)),
      perMonth: money(accrued(akt.spans, windows.month)),
      earned: money(akt.earned),
      withdrawn: money(akt.withdrawn),
      pendingWithdrawal: money(akt.pending),
      lifetime: money(akt.lifetime),
      withdrawable: money(akt.withdrawable),
      blockTime: { height, secondsPerBlock: clock.secondsPerBlock, source: clock.source, sampledFrom: clock.sampledFrom },
      usdPerUnit,
      usdSource: denom === 'uact' ? 'peg' : (usdRate?.source ?? null),
      usdAt: denom === 'uact' ? null : (usdRate?.at ?? null),
      aktUsd: oracleAkt,
      aktEquivalent: denom === 'uact' ? { earnedUakt: inAkt(akt.earned), pendingWithdrawalUakt: inAkt(akt.pending) } : null,
      leasesScanned: leases.length,
      pages,
      tookMs: Math.round(performance.now() - t0),
      otherDenoms: [...perDenom]
        .filter(([d]) => d !== denom)
        .map(([denom, d]) => ({ denom, perMonthMicro: accrued(d.spans, windows.month), lifetimeMicro: Number(d.lifetime) })),
    };
  }

  /**
   * One page of leases under AEP-82 notice (`reclaiming`); none from a node that does not know
   * that state (it refuses the filter).
   */
  async reclaimingPage(withResources: boolean): Promise<LeaseRow[]> {
    try {
      return (await this.page({ state: 'reclaiming', limit: PAGE_LIMIT, withResources })).leases;
    } catch (err) {
      if (err instanceof ChainQueryError) return [];
      throw err;
    }
  }

  /**
   * The leases that still pay: active and (AEP-82) reclaiming. A node that does not know the
   * `reclaiming` state refuses the filter; then there are none.
   */
  async open(signal?: AbortSignal): Promise<LeaseRow[]> {
    const { leases } = await this.all('active', signal);
    const reclaiming = await this.all('reclaiming', signal).catch((err: unknown) => {
      if (err instanceof ChainQueryError) return { leases: [] as LeaseRow[] };
      throw err;
    });
    return [...leases, ...reclaiming.leases];
  }

  /** MsgWithdrawLease for every lease that pays (active or reclaiming), WITHDRAW_BATCH per tx, one tx after the other. */
  async withdrawAll(opts: { dryRun: boolean; signal?: AbortSignal; onBatch?: (done: number, of: number) => void }): Promise<{ leases: number; txs: TxReceipt[]; dryRun: boolean }> {
    const provider = await this.wallet.address();
    const leases = await this.open(opts.signal);
    const batches = withdrawBatches(leases).map((b) => b.map((l) => withdrawMsg(l, provider)));
    if (opts.dryRun || batches.length === 0) return { leases: leases.length, txs: [], dryRun: opts.dryRun };
    const { wallet, address } = await this.wallet.signer();
    const { sender, profile } = await this.chain.get();
    const txs: TxReceipt[] = [];
    for (const [i, msgs] of batches.entries()) {
      opts.signal?.throwIfAborted();
      const out = await sender.send(wallet, address, msgs, opts.signal ? { signal: opts.signal } : {});
      txs.push({ hash: out.hash, height: out.height, feeUakt: out.feeUakt.toString(), gasUsed: out.gasUsed.toString(), explorerUrl: explorerLink(profile, out.hash) });
      opts.onBatch?.(i + 1, batches.length);
    }
    return { leases: leases.length, txs, dryRun: false };
  }
}

/**
 * WITHDRAW_BATCH leases per tx, each deployment at most once per tx: the escrow keeper
 * (node x/escrow/keeper/keeper.go @3efe26bf, PaymentWithdraw) panics on a second withdrawal from
 * an account it already settled in the same block, which fails the whole tx.
 */
export function withdrawBatches<T extends { owner: string; dseq: string }>(leases: readonly T[]): T[][] {
  const batches: { leases: T[]; deployments: Set<string> }[] = [];
  for (const l of leases) {
    const d = `${l.owner}/${l.dseq}`;
    let b = batches.find((x) => x.leases.length < WITHDRAW_BATCH && !x.deployments.has(d));
    if (!b) batches.push((b = { leases: [], deployments: new Set() }));
    b.leases.push(l);
    b.deployments.add(d);
  }
  return batches.map((b) => b.leases);
}

function withdrawMsg(l: LeaseRow, provider: string): EncodeObject {
  return { typeUrl: TYPE_URL.withdrawLease, value: { id: { owner: l.owner, dseq: l.dseq, gseq: l.gseq, oseq: l.oseq, provider, bseq: l.bseq } } };
}

function toRow(r: QueryLeasesResponse['leases'][number], reclamation: Reclamation | null): LeaseRow {
  const l = r.lease;
  const p = r.escrowPayment?.state;
  return {
    owner: l?.id?.owner ?? '',
    dseq: l?.id?.dseq.toString() ?? '0',
    gseq: l?.id?.gseq ?? 0,
    oseq: l?.id?.oseq ?? 0,
    bseq: l?.id?.bseq ?? 0,
    state: (STATES as readonly string[])[Number(l?.state ?? 0)] as LeaseRow['state'] ?? 'invalid',
    denom: l?.price?.denom ?? 'uakt',
    pricePerBlock: decAtomicsToMicro(l?.price?.amount ?? '0'),
    ...(l?.price?.amount && /^\d+$/.test(l.price.amount) ? { priceAtomics: l.price.amount } : {}),
    createdAt: Number(l?.createdAt.toString() ?? 0),
    closedOn: Number(l?.closedOn.toString() ?? 0),
    escrow: p
      ? {
          state: (PAYMENT_STATES as readonly string[])[Number(p.state)] ?? 'invalid',
          rate: decAtomicsToMicro(p.rate?.amount ?? '0'),
          balance: decAtomicsToMicro(p.balance?.amount ?? '0'),
          withdrawn: Number(p.withdrawn?.amount ?? '0'),
        }
      : null,
    resources: null,
    reclamation: reclamation ? reclamationView(reclamation) : null,
  };
}

export function reclamationView(r: Reclamation): NonNullable<LeaseRow['reclamation']> {
  const started = r.startedAt > 0n;
  return {
    windowSeconds: Number(r.windowSeconds),
    startedAtHeight: started ? Number(r.startedAt) : null,
    deadline: started && r.deadline > 0n ? Number(r.deadline) : null,
    reason: started ? r.reason : null,
  };
}

function round2(n: number): number {
  return Math.round(n * 100) / 100;
}
