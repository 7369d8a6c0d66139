import type { EncodeObject } from '@cosmjs/proto-signing';
import { RigError } from '../../api/errors.js';
import type { LeaseRow, TxReceipt } from '../../api/schemas/chain.js';
import { PROVIDER_REASONS, type LeaseRef, type ReclaimClosed, type ReclaimPreview, type ReclaimStarted } from '../../api/schemas/reclaim.js';
import type { ChainContext } from './chain-context.js';
import type { LeasesService } from './leases-service.js';
import { explorerLink } from './network.js';
import { PROVIDER_REASON_MAX, PROVIDER_REASON_MIN } from './reclamation.js';
import { TYPE_URL } from './registry.js';
import type { WalletService } from './wallet-service.js';

/**
 * AEP-82 reclamation for this wallet's provider (AKASH.md §10): notice on a lease that was bid
 * with a window (MsgLeaseStartReclaim), then, once the chain's deadline has passed, MsgCloseBid.
 * Every refusal the chain would give is checked here first and said in words; the chain still
 * has the last word (its errors come back through the TxSender's mapping).
 */
export class ReclaimService {
  constructor(
    private readonly wallet: WalletService,
    private readonly chain: ChainContext,
    private readonly leases: LeasesService,
  ) {}

  /** This provider's lease OWNER/DSEQ/GSEQ/OSEQ (the newest bid sequence if several), with its reclamation. */
  async find(ref: LeaseRef): Promise<LeaseRow> {
    // One deployment has few leases: the chain's owner + dseq filters, then the group/order here.
    const { leases } = await this.leases.page({ owner: ref.owner, dseq: ref.dseq, limit: 1000, key: null });
    const found = leases.filter((l) => l.gseq === ref.gseq && l.oseq === ref.oseq).sort((a, b) => b.bseq - a.bseq)[0];
    if (!found) {
      throw new RigError('not_found', `This provider has no lease ${name(ref)}.`, 'Check the id with `riglease leases` (OWNER/DSEQ/GSEQ/OSEQ); a lease of another provider cannot be reclaimed from this wallet.');
    }
    return found;
  }

  async preview(ref: LeaseRef, reason: number): Promise<ReclaimPreview> {
    checkReason(reason);
    const lease = await this.find(ref);
    const whyNot = notReclaimable(lease);
    const window = lease.reclamation?.windowSeconds ?? null;
    const { client } = await this.chain.get();
    const now = Math.floor((await client.blockHeader()).timeMs / 1000);
    let feeUakt: string | null = null;
    if (!whyNot) {
      const { wallet, address } = await this.wallet.signer();
      const { sender } = await this.chain.get();
      feeUakt = (await sender.estimate(wallet, address, [startMsg(lease, address, reason)])).feeUakt.toString();
    }
    const estimatedDeadline = !whyNot && window !== null ? now + window : null;
    return {
      lease,
      reclaimable: whyNot === null,
      whyNot,
      windowSeconds: window,
      estimatedDeadline,
      reason,
      reasonText: reasonText(reason),
      feeUakt,
      whatHappens: whyNot
        ? []
        : [
            `The tenant is told on chain that you want the resources back (reason ${reason}: ${reasonText(reason)}).`,
            `Their lease keeps running and paying for the whole notice window of ${formatDuration(window!)}; the chain sets the exact deadline from the time of the block that includes the notice.`,
            'The tenant may end the lease earlier themselves; you cannot.',
            'After the deadline you end the lease ("Take GPU back" again, or `riglease leases close`), and the GPU is yours.',
          ],
    };
  }

  async start(ref: LeaseRef, reason: number, signal?: AbortSignal): Promise<ReclaimStarted> {
    checkReason(reason);
    const lease = await this.find(ref);
    const whyNot = notReclaimable(lease);
    if (whyNot) throw new RigError('precondition_failed', whyNot, lease.state === 'reclaiming' ? 'Wait for the deadline, then end the lease.' : 'Pause bidding (Availability) so no new leases start; leases without a notice window run until their tenant ends them.');
    const { wallet, address } = await this.wallet.signer();
    const { sender, profile } = await this.chain.get();
    const out = await sender.send(wallet, address, [startMsg(lease, address, reason)], signal ? { signal } : {});
    const after = await this.find(ref);
    const r = after.reclamation;
    if (after.state !== 'reclaiming' || !r?.deadline || !r.startedAtHeight) {
      throw new RigError('internal', `The notice for ${name(ref)} was included in block ${out.height}, but the chain does not list the lease as reclaiming.`, 'Look at the lease with `riglease leases --json`; nothing more was sent.');
    }
    return { lease: after, deadline: r.deadline, deadlineIso: new Date(r.deadline * 1000).toISOString(), startedAtHeight: r.startedAtHeight, tx: receipt(out, profile) };
  }

  /** MsgCloseBid on a reclaiming lease whose deadline has passed (by the latest block's time, as the chain judges it). */
  async close(ref: LeaseRef, signal?: AbortSignal): Promise<ReclaimClosed> {
    const lease = await this.find(ref);
    const deadline = lease.reclamation?.deadline ?? null;
    if (lease.state !== 'reclaiming' || deadline === null) {
      throw new RigError(
        'precondition_failed',
        lease.state === 'active' ? `No notice was given on ${name(ref)}, so ending it now would end a tenant's lease without notice.` : `The lease ${name(ref)} is ${lease.state.replace('_', ' ')}, not waiting for its notice to end.`,
        lease.state === 'active' && lease.reclamation ? 'Give notice first (Take GPU back / `riglease leases reclaim`).' : 'Nothing to do for this lease.',
      );
    }
    const { client } = await this.chain.get();
    const now = Math.floor((await client.blockHeader()).timeMs / 1000);
    if (now < deadline) {
      throw new RigError('precondition_failed', `The notice on ${name(ref)} runs until ${new Date(deadline * 1000).toISOString()} (${formatDuration(deadline - now)} from the chain's latest block); the chain refuses to end it before.`, 'Try again after the deadline.');
    }
    const { wallet, address } = await this.wallet.signer();
    const { sender, profile } = await this.chain.get();
    const msg: EncodeObject = {
      typeUrl: TYPE_URL.closeBid,
      value: { id: { owner: lease.owner, dseq: lease.dseq, gseq: lease.gseq, oseq: lease.oseq, provider: address, bseq: lease.bseq }, reason: lease.reclamation?.reason ?? 10_002 },
    };
    const out = await sender.send(wallet, address, [msg], signal ? { signal } : {});
    const after = await this.find(ref);
    return { lease: after, closedAtHeight: after.closedOn || out.height, tx: receipt(out, profile) };
  }
}

/** Why notice cannot be given on this lease now, or null when it can. */
export function notReclaimable(lease: LeaseRow): string | null {
  const id = `${lease.owner}/${lease.dseq}/${lease.gseq}/${lease.oseq}`;
  if (lease.state === 'reclaiming') {
    const d = lease.reclamation?.deadline;
    return `Notice was already given on ${id}${d ? `; it ends at ${new Date(d * 1000).toISOString()}` : ''}.`;
  }
  if (lease.state !== 'active') return `The lease ${id} is ${lease.state.replace('_', ' ')}: there is nothing to take back.`;
  if (!lease.reclamation) {
    return `The lease ${id} was bid without a notice window, so it cannot be reclaimed politely (AEP-82 notice needs a window promised when bidding). It runs until its tenant ends it; set a notice window (stack.reclamationWindowHours) so future leases can be reclaimed.`;
  }
  return null;
}

function startMsg(lease: LeaseRow, provider: string, reason: number): EncodeObject {
  return { typeUrl: TYPE_URL.leaseStartReclaim, value: { id: { owner: lease.owner, dseq: lease.dseq, gseq: lease.gseq, oseq: lease.oseq, provider, bseq: lease.bseq }, reason } };
}

function checkReason(reason: number): void {
  if (!Number.isInteger(reason) || reason < PROVIDER_REASON_MIN || reason > PROVIDER_REASON_MAX) {
    throw new RigError('invalid_input', `A provider's reason is a number from ${PROVIDER_REASON_MIN} to ${PROVIDER_REASON_MAX}; ${reason} is not.`, 'Use 10002 (unspecified) unless another fits: 10000 unstable, 10001 decommission, 10003 manifest timeout.');
  }
}

function reasonText(reason: number): string {
  return (PROVIDER_REASONS as Record<number, string>)[reason] ?? 'a provider reason';
}

function name(ref: LeaseRef): string {
  return `${ref.owner}/${ref.dseq}/${ref.gseq}/${ref.oseq}`;
}

function receipt(out: { hash: string; height: number; feeUakt: bigint; gasUsed: bigint }, profile: Parameters<typeof explorerLink>[0]): TxReceipt {
  return { hash: out.hash, height: out.height, feeUakt: out.feeUakt.toString(), gasUsed: out.gasUsed.toString(), explorerUrl: explorerLink(profile, out.hash) };
}

/** 90000 → "1 d 1 h"; 5400 → "1 h 30 min"; 42 → "42 s". */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  const d = Math.floor(s / 86_400);
  const h = Math.floor((s % 86_400) / 3_600);
  const m = Math.floor((s % 3_600) / 60);
  const parts = [d ? `${d} d` : '', h ? `${h} h` : '', m && !d ? `${m} min` : ''].filter(Boolean);
  return parts.length ? parts.join(' ') : `${s} s`;
}
