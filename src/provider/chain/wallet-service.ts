import { randomBytes, randomInt } from 'node:crypto';
import type { DirectSecp256k1HdWallet } from '@cosmjs/proto-signing';
import { fromBech32 } from '@cosmjs/encoding';
import { actBalance } from './balance-act.js';
import { RigError } from '../../api/errors.js';
import type { Balance, TxReceipt, WalletInfo } from '../../api/schemas/chain.js';
import type { SecretStore } from '../../store/secret-store.js';
import type { ChainContext } from './chain-context.js';
import { formatAkt } from './amounts.js';
import { explorerLink } from './network.js';
import { HD_PATH, addressOf, generateMnemonic, validateMnemonic, walletFromMnemonic } from './mnemonic.js';
import { TYPE_URL } from './registry.js';
import { bidMinDeposit, computeShortfall, type DepositDenom } from './shortfall.js';
import { RevealGuard } from './reveal-guard.js';
import { MNEMONIC_SECRET, keyAddress, readWalletRecord, walletStateFile, type WalletRecord } from './wallet-state.js';

export { MNEMONIC_SECRET };
const PENDING_TTL_MS = 10 * 60_000;

export interface WalletServiceDeps {
  secrets: SecretStore;
  stateDir: string;
  chain: ChainContext;
  /** Re-confirms the user before a reveal: the passphrase (headless) or the OS prompt (Electron). */
  confirmReveal: (passphrase: string, address: string) => Promise<boolean>;
  /** What `confirmReveal` asks for, so a screen knows whether to ask for a passphrase. */
  revealBy?: 'passphrase' | 'os';
  /** The token bids deposit (settings `stack.bidDepositDenom`); AKT, upstream's default, when not given. */
  depositDenom?: () => Promise<DepositDenom>;
}

interface PendingCreate {
  mnemonic: string;
  address: string;
  positions: number[];
  expiresAt: number;
}

interface PendingSend {
  to: string;
  amountUakt: bigint;
  fee: { gasUsed: number; gasLimit: number; feeUakt: bigint };
  expiresAt: number;
}

/**
 * The wallet: create (shown once, saved only after the user proves they wrote it down),
 * import, address, balance with shortfall, send after a preview, reveal after re-confirmation.
 * The phrase is read from the SecretStore for each signature and never kept in a field.
 */
export class WalletService {
  private readonly file;
  private readonly pendingCreates = new Map<string, PendingCreate>();
  private readonly pendingSends = new Map<string, PendingSend>();
  private queue: Promise<unknown> = Promise.resolve();
  private readonly revealGuard: RevealGuard;

  constructor(private readonly deps: WalletServiceDeps) {
    this.file = walletStateFile(deps.stateDir);
    this.revealGuard = new RevealGuard(deps.stateDir);
  }

  /** wallet.json as it applies to the stored key (the key's own address wins; see readWalletRecord). */
  async record(): Promise<WalletRecord> {
    return readWalletRecord(this.deps.stateDir, this.deps.secrets);
  }

  async updateRecord(mutate: (r: WalletRecord) => void): Promise<WalletRecord> {
    const run = async () => {
      const r = await this.record();
      mutate(r);
      await this.file.write(r);
      return r;
    };
    const next = this.queue.then(run, run);
    this.queue = next.catch(() => undefined);
    return next;
  }

  async info(): Promise<WalletInfo> {
    const r = await this.record();
    const exists = r.address !== null && (await this.deps.secrets.has(MNEMONIC_SECRET));
    return { exists, address: exists ? r.address : null, source: exists ? r.source : null, createdAt: exists ? r.createdAt : null, protection: this.deps.secrets.kind, revealBy: this.deps.revealBy ?? 'passphrase', hdPath: HD_PATH };
  }

  async create(replace: boolean): Promise<{ pendingId: string; mnemonic: string; address: string; confirmPositions: number[]; expiresAt: string }> {
    await this.refuseOverwrite(replace);
    // The passphrase (its strength, or that it opens the existing secrets) is checked before the
    // words are shown: words shown for a wallet that then cannot be saved would be written down for nothing.
    await this.deps.secrets.unlock?.();
    this.expire();
    const mnemonic = generateMnemonic();
    const address = await addressOf(mnemonic);
    const positions = pickPositions(24, 3);
    const pendingId = randomBytes(12).toString('hex');
    const expiresAt = Date.now() + PENDING_TTL_MS;
    this.pendingCreates.set(pendingId, { mnemonic, address, positions, expiresAt });
    return { pendingId, mnemonic, address, confirmPositions: positions, expiresAt: new Date(expiresAt).toISOString() };
  }

  async confirm(pendingId: string, words: { position: number; word: string }[], replace: boolean): Promise<WalletInfo> {
    this.expire();
    const p = this.pendingCreates.get(pendingId);
    if (!p) throw new RigError('not_found', 'This new wallet is no longer waiting for confirmation (it expires after 10 minutes).', 'Create a new wallet and write the words down.');
    const all = p.mnemonic.split(' ');
    for (const pos of p.positions) {
      const given = words.find((w) => w.position === pos)?.word.trim().toLowerCase();
      if (given !== all[pos - 1]) {
        throw new RigError('invalid_input', `Word ${pos} does not match the phrase shown.`, 'Check your written copy; the wallet is saved only when the words match.');
      }
    }
    this.pendingCreates.delete(pendingId);
    return this.save(p.mnemonic, 'created', replace);
  }

  async importMnemonic(input: string, replace: boolean): Promise<WalletInfo> {
    const phrase = validateMnemonic(input);
    return this.save(phrase, 'imported', replace);
  }

  async reveal(passphrase: string): Promise<{ mnemonic: string; address: string }> {
    const address = await this.address();
    if (!(await this.revealGuard.attempt(() => this.deps.confirmReveal(passphrase, address)))) {
      throw new RigError('unauthorized', 'Wrong passphrase: the recovery phrase stays hidden.', 'Type the passphrase that protects this wallet.');
    }
    const mnemonic = await this.mnemonic();
    return { mnemonic, address: await addressOf(mnemonic) };
  }

  /** A signer for one operation; callers drop it when done. */
  async signer(): Promise<{ wallet: DirectSecp256k1HdWallet; address: string }> {
    const mnemonic = await this.mnemonic();
    const wallet = await walletFromMnemonic(mnemonic);
    const [acc] = await wallet.getAccounts();
    return { wallet, address: acc!.address };
  }

  async address(): Promise<string> {
    const info = await this.info();
    if (!info.address) throw noWallet();
    return info.address;
  }

  async balance(): Promise<Balance> {
    const address = await this.address();
    const { client, profile } = await this.deps.chain.get();
    const coins = await client.balances(address);
    const uakt = BigInt(coins.find((c) => c.denom === 'uakt')?.amount ?? '0');
    const usdc = coins.find((c) => c.denom === profile.usdcDenom)?.amount ?? '0';
    const denom = (await this.deps.depositDenom?.()) ?? 'uakt';
    const deposit = await bidMinDeposit(client, denom);
    const shortfall = computeShortfall(uakt, deposit, profile.gasPrice, profile.gasAdjustment, denom);
    return {
      address,
      uakt: uakt.toString(),
      akt: formatAkt(uakt),
      usdcDenom: profile.usdcDenom,
      usdc,
      other: coins.filter((c) => c.denom !== 'uakt' && c.denom !== 'uact' && c.denom !== profile.usdcDenom),
      shortfall,
      network: profile.name,
      chainId: profile.chainId,
      ...(await actBalance(client, coins, uakt, shortfall, { denom, amount: deposit })),
    };
  }

  async previewSend(to: string, amountUakt: bigint): Promise<{ previewId: string; from: string; to: string; amountUakt: string; feeUakt: string; gasLimit: number; totalUakt: string; balanceAfterUakt: string; summary: string; expiresAt: string }> {
    checkAddress(to);
    if (amountUakt <= 0n) throw new RigError('invalid_input', 'The amount must be more than zero.');
    const { wallet, address } = await this.signer();
    if (to === address) throw new RigError('invalid_input', 'That is this wallet’s own address.');
    const { client, sender } = await this.deps.chain.get();
    const have = BigInt((await client.balances(address)).find((c) => c.denom === 'uakt')?.amount ?? '0');
    // Checked before simulating: a simulation of an unaffordable send fails with the chain's own
    // wording, which does not say how much is missing.
    if (amountUakt >= have) {
      throw new RigError('precondition_failed', `Not enough AKT: sending ${formatAkt(amountUakt)} plus its fee needs more than the ${formatAkt(have)} the wallet holds.`, 'Send less, or add AKT first.');
    }
    const fee = await sender.estimate(wallet, address, [sendMsg(address, to, amountUakt)]);
    const total = amountUakt + fee.feeUakt;
    if (total > have) {
      throw new RigError('precondition_failed', `Not enough AKT: sending ${formatAkt(amountUakt)} plus a fee of ${formatAkt(fee.feeUakt)} needs ${formatAkt(total)}, the wallet holds ${formatAkt(have)}.`, 'Send less, or add AKT first.');
    }
    const previewId = randomBytes(12).toString('hex');
    const expiresAt = Date.now() + PENDING_TTL_MS;
    this.pendingSends.set(previewId, { to, amountUakt, fee, expiresAt });
    return {
      previewId,
      from: address,
      to,
      amountUakt: amountUakt.toString(),
      feeUakt: fee.feeUakt.toString(),
      gasLimit: fee.gasLimit,
      totalUakt: total.toString(),
      balanceAfterUakt: (have - total).toString(),
      summary: `Send ${formatAkt(amountUakt)} to ${to}; fee ${formatAkt(fee.feeUakt)}; ${formatAkt(have - total)} left.`,
      expiresAt: new Date(expiresAt).toISOString(),
    };
  }

  /** Refuses at once what `send` would refuse, so a caller can answer before starting a task. */
  checkSend(previewId: string, confirm: boolean): void {
    this.expire();
    if (!this.pendingSends.has(previewId)) throw new RigError('not_found', 'That send preview expired or was already used.', 'Preview the send again.');
    if (!confirm) throw new RigError('precondition_failed', 'Sending needs an explicit confirmation.', 'Pass confirm: true after reading the preview.');
  }

  async send(previewId: string, confirm: boolean, signal?: AbortSignal): Promise<TxReceipt> {
    this.expire();
    const p = this.pendingSends.get(previewId);
    if (!p) throw new RigError('not_found', 'That send preview expired or was already used.', 'Preview the send again.');
    if (!confirm) throw new RigError('precondition_failed', 'Sending needs an explicit confirmation.', 'Pass confirm: true after reading the preview.');
    this.pendingSends.delete(previewId);
    const { wallet, address } = await this.signer();
    const { sender, profile } = await this.deps.chain.get();
    const out = await sender.send(wallet, address, [sendMsg(address, p.to, p.amountUakt)], { fee: p.fee, ...(signal ? { signal } : {}) });
    return { hash: out.hash, height: out.height, feeUakt: out.feeUakt.toString(), gasUsed: out.gasUsed.toString(), explorerUrl: explorerLink(profile, out.hash) };
  }

  private async mnemonic(): Promise<string> {
    const m = await this.deps.secrets.get(MNEMONIC_SECRET);
    if (!m) throw noWallet();
    if (this.deps.secrets.label && (await keyAddress(this.deps.secrets)) === null) {
      // Written before the address lived with the key (two files that a crash could split):
      // store it with the key now, in one atomic write, then wallet.json follows it.
      const address = await addressOf(m);
      await this.deps.secrets.set(MNEMONIC_SECRET, m, address);
      await this.updateRecord(() => undefined);
    }
    return m;
  }

  private async save(mnemonic: string, source: 'created' | 'imported', replace: boolean): Promise<WalletInfo> {
    await this.refuseOverwrite(replace);
    const address = await addressOf(mnemonic);
    // The key and its address are one write: a crash after it leaves wallet.json behind, and
    // record() then follows the key (dropping the old wallet's certificate and pending txs).
    await this.deps.secrets.set(MNEMONIC_SECRET, mnemonic, address);
    await this.updateRecord((r) => {
      r.address = address;
      r.source = source;
      r.createdAt = new Date().toISOString();
    });
    return this.info();
  }

  private async refuseOverwrite(replace: boolean): Promise<void> {
    // The key itself decides, not wallet.json: a damaged or missing wallet.json must never let a
    // new phrase overwrite the only copy of the old one.
    if (!replace && (await this.deps.secrets.has(MNEMONIC_SECRET))) {
      throw new RigError('conflict', 'A wallet already exists here; replacing it would make its funds unreachable from RigLease.', 'Reveal and write down the current phrase first, then pass replace: true (CLI: --replace).');
    }
  }

  private expire(): void {
    const now = Date.now();
    for (const [k, v] of this.pendingCreates) if (v.expiresAt < now) this.pendingCreates.delete(k);
    for (const [k, v] of this.pendingSends) if (v.expiresAt < now) this.pendingSends.delete(k);
  }
}

export function sendMsg(from: string, to: string, uakt: bigint) {
  return { typeUrl: TYPE_URL.send, value: { fromAddress: from, toAddress: to, amount: [{ denom: 'uakt', amount: uakt.toString() }] } };
}

function checkAddress(a: string): void {
  try {
    if (fromBech32(a).prefix !== 'akash') throw new Error('prefix');
  } catch {
    throw new RigError('invalid_input', `"${a}" is not an Akash address (akash1…).`, 'Copy the address again; a single wrong character breaks its checksum.');
  }
}

function noWallet(): RigError {
  return new RigError('precondition_failed', 'There is no wallet yet.', 'Create or import one (Wallet screen, or `riglease wallet create`).');
}

function pickPositions(n: number, k: number): number[] {
  const set = new Set<number>();
  while (set.size < k) set.add(randomInt(1, n + 1));
  return [...set].sort((a, b) => a - b);
}
