import type { EncodeObject, OfflineDirectSigner, Registry } from '@cosmjs/proto-signing';
import { SigningStargateClient } from '@cosmjs/stargate';
import { TxRaw } from '@akashnetwork/chain-sdk/private-types/cosmos.v1beta1';
import { RigError } from '../../api/errors.js';
import type { Logger } from '../../util/logger.js';
import { txHashOf, type ChainClient, type TxResult } from './chain-client.js';
import { formatAkt, parseGasPrice } from './amounts.js';

export interface FeeEstimate {
  gasUsed: number;
  gasLimit: number;
  feeUakt: bigint;
}

export interface TxOutcome extends TxResult {
  feeUakt: bigint;
}

export interface SendOptions {
  memo?: string;
  fee?: FeeEstimate;
  signal?: AbortSignal;
  /** Called with the hash before the tx leaves, so a crash or timeout can look it up later. */
  onSigned?: (hash: string) => Promise<void> | void;
}

const POLL_MS = 400;

/**
 * Signs and broadcasts with the rules that make it safe to retry: fee from simulation × gas
 * adjustment × gas price; a sequence mismatch re-reads the account and re-signs ONCE; a
 * broadcast that fails in transit or a tx that does not show up in time is looked up by hash
 * before anything is sent again — and only the same signed bytes are ever re-sent.
 */
export class TxSender {
  constructor(
    private readonly chain: ChainClient,
    private readonly registry: Registry,
    private readonly logger: Logger,
    /** Told about every tx once it is in a block (the local tx journal); its failure never fails the send. */
    private readonly onIncluded?: (out: TxOutcome, msgs: readonly EncodeObject[]) => Promise<void>,
  ) {}

  private async included(r: TxResult, feeUakt: bigint, msgs: readonly EncodeObject[]): Promise<TxOutcome> {
    const out = { ...r, feeUakt };
    await this.onIncluded?.(out, msgs).catch((err: unknown) => this.logger.warn('could not record the transaction in the local journal', { hash: r.hash, error: err instanceof Error ? err.message : String(err) }));
    return out;
  }

  async estimate(signer: OfflineDirectSigner, address: string, msgs: readonly EncodeObject[], memo = ''): Promise<FeeEstimate> {
    const acc = await this.chain.account(address);
    if (!acc) throw noAccount(address);
    const gasUsed = await this.chain.run('simulate', async (comet) => {
      const client = SigningStargateClient.createWithSigner(comet, signer, { registry: this.registry });
      try {
        return await client.simulate(address, msgs, memo);
      } catch (err) {
        throw mapChainMessage(err instanceof Error ? err.message : String(err), 'The chain refused the transaction in simulation');
      }
    });
    const p = this.chain.profile;
    const gasLimit = Math.ceil(gasUsed * p.gasAdjustment);
    const price = parseGasPrice(p.gasPrice);
    const feeUakt = (BigInt(gasLimit) * price.numerator + price.denominator - 1n) / price.denominator;
    return { gasUsed, gasLimit, feeUakt };
  }

  async send(signer: OfflineDirectSigner, address: string, msgs: readonly EncodeObject[], opts: SendOptions = {}): Promise<TxOutcome> {
    const memo = opts.memo ?? '';
    const fee = opts.fee ?? (await this.estimate(signer, address, msgs, memo));
    let attempt = 0;
    for (;;) {
      opts.signal?.throwIfAborted();
      const acc = await this.chain.account(address);
      if (!acc) throw noAccount(address);
      const bytes = await this.sign(signer, address, msgs, fee, memo, acc);
      const hash = txHashOf(bytes);
      await opts.onSigned?.(hash);
      const res = await this.broadcastOrFind(bytes, hash);
      if (res === 'included' || res.code === 0 || res.code === 19) return this.included(await this.waitFor(hash, opts.signal), fee.feeUakt, msgs);
      if (res.code === 32 && attempt === 0) {
        // Someone else (another RigLease, the provider daemon) used this sequence: once, with a fresh one.
        attempt++;
        this.logger.warn('account sequence mismatch; re-signing once with a fresh sequence', { hash });
        continue;
      }
      throw mapChainMessage(res.log, 'The chain refused the transaction');
    }
  }

  private async sign(
    signer: OfflineDirectSigner,
    address: string,
    msgs: readonly EncodeObject[],
    fee: FeeEstimate,
    memo: string,
    acc: { accountNumber: number; sequence: number },
  ): Promise<Uint8Array> {
    const client = await SigningStargateClient.offline(signer, { registry: this.registry });
    const raw = await client.sign(
      address,
      msgs,
      { amount: [{ denom: 'uakt', amount: fee.feeUakt.toString() }], gas: String(fee.gasLimit) },
      memo,
      { accountNumber: acc.accountNumber, sequence: acc.sequence, chainId: this.chain.profile.chainId },
    );
    return TxRaw.encode(TxRaw.fromPartial({ bodyBytes: raw.bodyBytes, authInfoBytes: raw.authInfoBytes, signatures: raw.signatures })).finish();
  }

  /** Broadcast; when the answer is lost in transit, the hash decides whether to send the same bytes again. */
  private async broadcastOrFind(bytes: Uint8Array, hash: string): Promise<{ code: number; log: string } | 'included'> {
    try {
      return await this.chain.broadcastSync(bytes);
    } catch (err) {
      if (!(err instanceof RigError && err.code === 'unavailable')) throw err;
      if (await this.chain.tx(hash)) return 'included';
      this.logger.warn('broadcast failed in transit; tx not found by hash, sending the same signed bytes again', { hash });
      return this.chain.broadcastSync(bytes);
    }
  }

  async waitFor(hash: string, signal?: AbortSignal): Promise<TxResult> {
    const deadline = Date.now() + this.chain.profile.txTimeoutMs;
    while (Date.now() < deadline) {
      signal?.throwIfAborted();
      const r = await this.chain.tx(hash);
      if (r) return checkResult(r);
      await sleep(POLL_MS);
    }
    const last = await this.chain.tx(hash);
    if (last) return checkResult(last);
    throw new RigError(
      'timeout',
      `The transaction ${hash} was accepted but is not in a block after ${Math.round(this.chain.profile.txTimeoutMs / 1000)} s.`,
      'RigLease looks this transaction up by its hash before sending anything again; try the same action again in a minute.',
    );
  }
}

function checkResult(r: TxResult): TxResult {
  if (r.code !== 0) throw mapChainMessage(r.log, `The transaction ${r.hash} failed on chain`);
  return r;
}

function noAccount(address: string): RigError {
  return new RigError('precondition_failed', `The wallet ${address} has never received any AKT, so it cannot pay fees yet.`, 'Send some AKT to this address first (see Wallet → Receive).');
}

/** Chain logs into sentences a provider can act on. */
export function mapChainMessage(log: string, prefix: string): RigError {
  if (/insufficient fees?/i.test(log)) return new RigError('precondition_failed', `${prefix}: the fee was below the node's minimum gas price.`, 'Raise the gas price: `riglease settings set chain.gasPrice 0.03uakt`.');
  if (/insufficient funds|smaller than/i.test(log)) return new RigError('precondition_failed', `${prefix}: the wallet does not hold enough AKT for this and its fee.`, 'Add AKT to the wallet and try again.');
  if (/provider already exists/i.test(log)) return new RigError('conflict', `${prefix}: this wallet is already registered as a provider.`, 'Use "provider update" to change it.');
  if (/signature verification failed|unauthorized/i.test(log)) return new RigError('precondition_failed', `${prefix}: the signature was refused (${truncate(log)}).`, 'Check that the network setting matches the node (chain id).');
  if (/sequence mismatch/i.test(log)) return new RigError('conflict', `${prefix}: another transaction from this wallet got in first.`, 'Try again in a few seconds.');
  return new RigError('precondition_failed', `${prefix}: ${truncate(log)}`);
}

function truncate(s: string): string {
  return s.length > 300 ? `${s.slice(0, 300)}…` : s;
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

export { formatAkt };
