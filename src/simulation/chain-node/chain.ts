import { createHash, randomBytes } from 'node:crypto';
import { toBech32 } from '@cosmjs/encoding';
import { ante, decodeTx, gasFor } from './ante.js';
import { ChainError, sdkError } from './errors.js';
import { addBalance, ensureAccount, settleAccount } from './ledger.js';
import { bmeEndBlock, cloneBme } from './bme.js';
import { applyMessage, validateBasic, type TxEvent } from './messages.js';
import { answerQuery } from './queries.js';
import { seedOrders } from './orders.js';
import { decimalToAtomics, deploymentKey, emptyState, groupKey, leaseKey, SeedFile, type ChainState, type LeaseRecord, type TxRecord } from './state.js';

export interface BroadcastResult {
  code: number;
  codespace: string;
  log: string;
  hash: string;
}

/**
 * TEST TOOL — a single-process stand-in for an Akash node, holding state in memory. It follows
 * the real modules' documented rules for the messages RigLease sends; see README.md for what it
 * does not model. Every tx becomes its own block (one tx per block keeps the bookkeeping simple).
 */
export class TestChain {
  readonly state: ChainState;
  /** Minimum gas price in thousandths of uakt: 25 = 0.025uakt (AKASH.md §2). */
  minGasPriceMilli = 25n;
  /** Delay before an accepted tx shows up in `tx`/`block` queries (to test timeouts). */
  inclusionDelayMs = 0;
  /** Count of txs accepted, for tests that must prove "nothing was sent twice". */
  acceptedTxs = 0;

  constructor(chainId = 'riglease-testnode-1') {
    this.state = emptyState(chainId);
    this.produceBlock([]);
  }

  seed(input: unknown): void {
    const seed = SeedFile.parse(input);
    if (seed.chainId) this.state.chainId = seed.chainId;
    if (seed.height && seed.height > this.state.height) {
      // Jump ahead, with a block at the new height (a chain always has its latest block).
      this.state.height = seed.height - 1;
      this.produceBlock([]);
    }
    for (const a of seed.accounts) for (const c of a.balances) this.fund(a.address, c.denom, BigInt(c.amount));
    for (const p of seed.providers) this.state.providers.set(p.owner, { owner: p.owner, hostUri: p.hostUri, attributes: p.attributes, email: '', website: '' });
    const leases = [...seed.leases];
    if (seed.generateLeases) {
      const g = seed.generateLeases;
      for (let i = 0; i < g.count; i++) {
        leases.push({
          owner: tenantAddress(i % 97),
          dseq: 1_000_000 + i,
          gseq: 1,
          oseq: 1,
          provider: g.provider,
          bseq: 1,
          state: i % 10 === 9 ? 'closed' : 'active',
          denom: 'uakt',
          pricePerBlock: g.pricePerBlock,
          createdAt: Math.max(1, this.state.height - 1000 - (i % 500)),
          escrowFunds: '100000000',
          withdrawn: '0',
        });
      }
    }
    for (const l of leases) this.addLease(l);
    if (seed.bme) this.setBme(seed.bme);
    for (const g of seed.groups) {
      const dseq = BigInt(g.dseq);
      this.state.groups.set(groupKey(g.owner, dseq, g.gseq), { owner: g.owner, dseq, gseq: g.gseq, name: g.name, createdAt: BigInt(g.createdAt), state: 'open', resources: g.resources });
    }
    seedOrders(this.state.orders, seed.orders);
    this.state.leaseOrder = [...this.state.leases.keys()].sort();
  }

  /** Market conditions for x/bme: AKT price and collateral ratio as decimal strings, oracle health, params. */
  setBme(c: NonNullable<SeedFile['bme']>): void {
    const b = this.state.bme;
    if (c.aktUsd !== undefined) b.aktUsdAtomics = decimalToAtomics(c.aktUsd);
    if (c.collateralRatio !== undefined) b.collateralRatioAtomics = decimalToAtomics(c.collateralRatio);
    if (c.oracleHealthy !== undefined) b.oracleHealthy = c.oracleHealthy;
    if (c.settleSpreadBps !== undefined) b.params.settleSpreadBps = c.settleSpreadBps;
    if (c.minEpochBlocks !== undefined) b.params.minEpochBlocks = c.minEpochBlocks;
  }

  fund(address: string, denom: string, amount: bigint): void {
    ensureAccount(this.state, address);
    addBalance(this.state, address, denom, amount);
  }

  /**
   * Empty blocks, e.g. to let escrow accrue between withdrawals. With `blockSeconds`, each block's
   * header time is the previous block's plus that many seconds (a known block time for tests);
   * otherwise it is the wall clock.
   */
  advance(blocks: number, opts: { blockSeconds?: number } = {}): void {
    for (let i = 0; i < blocks; i++) {
      const last = this.state.blocks.at(-1);
      this.produceBlock([], opts.blockSeconds !== undefined && last ? new Date(last.time.getTime() + opts.blockSeconds * 1000) : undefined);
    }
  }

  async broadcast(raw: Uint8Array): Promise<BroadcastResult> {
    const hash = txHash(raw);
    if (this.state.txs.has(hash)) return { code: 19, codespace: 'sdk', log: sdkError.inMempool().log, hash };
    let decoded;
    try {
      decoded = decodeTx(raw);
      // The SDK runs every message's ValidateBasic before the ante handler (CheckTx refuses the tx).
      validateBasic(decoded.body.messages);
      const gas = gasFor(decoded);
      // CheckTx: the ante handler; failure means the tx never enters a block and nothing changes.
      await ante(this.state, decoded, this.minGasPriceMilli, false);
      this.acceptedTxs++;
      this.deliver(decoded.raw, hash, decoded, gas);
      return { code: 0, codespace: '', log: '[]', hash };
    } catch (err) {
      if (err instanceof ChainError) return { code: err.code, codespace: err.codespace, log: err.log, hash };
      throw err;
    }
  }

  /** `/cosmos.tx.v1beta1.Service/Simulate`: ante without signature check, messages on a copy. */
  async simulate(raw: Uint8Array): Promise<{ gasUsed: bigint; events: TxEvent[] }> {
    const decoded = decodeTx(raw);
    validateBasic(decoded.body.messages);
    const snap = snapshot(this.state);
    const height = this.state.height;
    try {
      await ante(this.state, decoded, this.minGasPriceMilli, true);
      this.state.blockTime = this.nextBlockTime();
      // Messages run as in the block the tx would land in (the next one), as deliver does.
      this.state.height = height + 1;
      const events = decoded.body.messages.flatMap((m) => applyMessage(this.state, m));
      // The simulated tx has an empty signature; add its 64 bytes so the estimate matches the signed tx.
      return { gasUsed: gasFor(decoded) + 640n, events };
    } finally {
      restore(this.state, snap);
      this.state.height = height;
    }
  }

  query(path: string, data: Uint8Array): Uint8Array {
    return answerQuery(this, path, data);
  }

  /** A tx by hash, if it is visible yet. */
  getTx(hash: string): TxRecord | null {
    const tx = this.state.txs.get(hash.toUpperCase());
    return tx && tx.visibleAt <= Date.now() ? tx : null;
  }

  settleAll(): void {
    for (const [k, e] of this.state.escrow) {
      const [owner, dseq] = k.split('/');
      if (owner && dseq && !e.overdrawn) settleAccount(this.state, owner, BigInt(dseq), BigInt(this.state.height));
    }
  }

  private deliver(raw: Uint8Array, hash: string, tx: ReturnType<typeof decodeTx>, gasUsed: bigint): void {
    const acc = this.state.accounts.get(tx.signer)!;
    // Fees are taken and the sequence moves even when a message fails (SDK DeliverTx semantics).
    for (const c of tx.fee) this.state.balances.get(tx.signer)!.set(c.denom, (this.state.balances.get(tx.signer)!.get(c.denom) ?? 0n) - c.amount);
    acc.sequence++;
    const height = this.state.height + 1;
    this.state.height = height;
    const record: TxRecord = {
      hash,
      height,
      index: 0,
      tx: raw,
      code: 0,
      codespace: '',
      log: '',
      gasWanted: tx.gasLimit,
      gasUsed,
      events: [],
      visibleAt: Date.now() + this.inclusionDelayMs,
    };
    const time = this.nextBlockTime();
    this.state.blockTime = time;
    const snap = snapshot(this.state);
    try {
      if (gasUsed > tx.gasLimit) throw sdkError.outOfGas(tx.gasLimit, gasUsed);
      record.events = tx.body.messages.flatMap((m) => applyMessage(this.state, m));
    } catch (err) {
      restore(this.state, snap);
      if (!(err instanceof ChainError)) throw err;
      record.code = err.code;
      record.codespace = err.codespace;
      record.log = err.log;
    }
    this.state.txs.set(hash, record);
    this.state.height = height - 1;
    this.produceBlock([hash], time);
  }

  /**
   * The next block's header time: the wall clock, but never before the last block (CometBFT
   * block times only move forward; a test may have advanced them past the wall clock).
   */
  private nextBlockTime(): Date {
    const last = this.state.blocks.at(-1);
    const now = Date.now();
    return new Date(last && last.time.getTime() >= now ? last.time.getTime() + 1 : now);
  }

  private produceBlock(txHashes: string[], time = this.nextBlockTime()): void {
    this.state.height = this.state.blocks.length === 0 ? this.state.height : this.state.height + 1;
    this.state.blocks.push({ height: this.state.height, time, hash: randomBytes(32).toString('hex').toUpperCase(), txHashes });
    // EndBlocker after the block's txs: x/bme settles queued conversions at its epochs.
    bmeEndBlock(this.state);
    if (this.state.blocks.length > 1000) this.state.blocks.splice(0, this.state.blocks.length - 1000);
  }

  private addLease(l: SeedFile['leases'][number]): void {
    const dseq = BigInt(l.dseq);
    const rec: LeaseRecord = {
      owner: l.owner,
      dseq,
      gseq: l.gseq,
      oseq: l.oseq,
      provider: l.provider,
      bseq: l.bseq,
      state: l.state,
      denom: l.denom,
      priceAtomics: decimalToAtomics(l.pricePerBlock),
      createdAt: BigInt(l.createdAt),
      closedOn: l.state === 'closed' ? BigInt(this.state.height) : 0n,
      balanceAtomics: 0n,
      withdrawn: BigInt(l.withdrawn),
      reason: 0,
      reclamation: null,
    };
    if (l.reclamationWindowSeconds !== undefined) {
      const w = BigInt(l.reclamationWindowSeconds);
      // CreateBid refuses a window outside the market params, so no lease carries one.
      if (w < this.state.minReclamationWindowSeconds || w > this.state.maxReclamationWindowSeconds) {
        throw new Error(`seed: reclamation window ${w}s is outside the market params ${this.state.minReclamationWindowSeconds}..${this.state.maxReclamationWindowSeconds}s`);
      }
      rec.reclamation = { windowSeconds: w, startedAt: 0n, deadline: 0n, reason: 0 };
    }
    // A seeded `withdrawn` was paid from settlements: the account was settled to the first block by
    // which the lease had earned it (whole micro-units per settlement, as the keeper truncates).
    // (A seeded closed lease's `withdrawn` is taken as given: its payment is no longer settled.)
    const open = rec.state === 'active';
    const paidBlocks = rec.withdrawn === 0n || !open ? 0n : (rec.withdrawn * 10n ** 18n + rec.priceAtomics - 1n) / rec.priceAtomics;
    const settledAt = rec.createdAt + paidBlocks;
    if (settledAt > BigInt(this.state.height)) throw new Error(`seed: lease ${leaseKey(rec)} cannot have withdrawn ${rec.withdrawn} by height ${this.state.height}`);
    const dk = deploymentKey(rec.owner, dseq);
    const known = this.state.escrow.get(dk);
    // keeper PaymentCreate settles the account first, so a later lease of a deployment starts at its own height.
    if (known && settledAt < known.settledAt) throw new Error(`seed: lease ${leaseKey(rec)} starts (or was last settled) before its deployment's settled_at ${known.settledAt}`);
    if (known) settleAccount(this.state, rec.owner, dseq, settledAt);
    if (open) rec.balanceAtomics = ((rec.priceAtomics * paidBlocks) / 10n ** 18n) * 10n ** 18n - rec.withdrawn * 10n ** 18n;
    this.state.leases.set(leaseKey(rec), rec);
    const esc = known ?? { fundsAtomics: 0n, settledAt, overdrawn: false };
    esc.fundsAtomics += BigInt(l.escrowFunds) * 10n ** 18n;
    this.state.escrow.set(dk, esc);
    ensureAccount(this.state, rec.owner);
  }
}

export function txHash(raw: Uint8Array): string {
  return createHash('sha256').update(raw).digest('hex').toUpperCase();
}

/** Deterministic, valid-looking tenant addresses for generated leases (not real keys). */
function tenantAddress(i: number): string {
  // bech32 needs a real checksum; derive one from 20 bytes so the address parses everywhere.
  return tenantCache[i] ??= bech32Tenant(i);
}
const tenantCache: string[] = [];
function bech32Tenant(i: number): string {
  const bytes = createHash('sha256').update(`tenant-${i}`).digest().subarray(0, 20);
  return toBech32('akash', bytes);
}

interface Snapshot {
  balances: Map<string, Map<string, bigint>>;
  providers: ChainState['providers'];
  certificates: ChainState['certificates'];
  leases: Map<string, LeaseRecord>;
  escrow: ChainState['escrow'];
  groups: ChainState['groups'];
  accounts: Map<string, { sequence: bigint; pubkey: Uint8Array | null }>;
  accountKeys: string[];
  nextAccountNumber: bigint;
  bme: ChainState['bme'];
}

/** Copy of everything a message may change, so a failed message leaves no trace (SDK cache-wrap). */
function snapshot(s: ChainState): Snapshot {
  return {
    balances: new Map([...s.balances].map(([k, v]) => [k, new Map(v)])),
    providers: new Map(s.providers),
    certificates: [...s.certificates],
    leases: new Map([...s.leases].map(([k, v]) => [k, { ...v, reclamation: v.reclamation ? { ...v.reclamation } : null }])),
    escrow: new Map([...s.escrow].map(([k, v]) => [k, { ...v }])),
    groups: new Map([...s.groups].map(([k, v]) => [k, { ...v }])),
    accounts: new Map([...s.accounts].map(([k, v]) => [k, { sequence: v.sequence, pubkey: v.pubkey }])),
    accountKeys: [...s.accounts.keys()],
    nextAccountNumber: s.nextAccountNumber,
    bme: cloneBme(s.bme),
  };
}

function restore(s: ChainState, snap: Snapshot): void {
  s.balances = snap.balances;
  s.providers = snap.providers;
  s.certificates = snap.certificates;
  // Lease objects are replaced in place so `leaseOrder` stays valid.
  s.leases = snap.leases;
  s.escrow = snap.escrow;
  s.groups = snap.groups;
  for (const k of [...s.accounts.keys()]) if (!snap.accounts.has(k)) s.accounts.delete(k);
  for (const [k, v] of snap.accounts) {
    const a = s.accounts.get(k);
    if (a) {
      a.sequence = v.sequence;
      a.pubkey = v.pubkey;
    }
  }
  s.nextAccountNumber = snap.nextAccountNumber;
  s.bme = snap.bme;
}
