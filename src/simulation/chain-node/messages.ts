import { MsgSend } from '@akashnetwork/chain-sdk/private-types/cosmos.v1beta1';
import { MsgCreateProvider, MsgUpdateProvider } from '@akashnetwork/chain-sdk/private-types/akash.v1beta4';
import { MsgCloseBid, MsgWithdrawLease } from '@akashnetwork/chain-sdk/private-types/akash.v1beta5';
import { fromBech32 } from '@cosmjs/encoding';
import { MsgLeaseStartReclaim, PROVIDER_REASON_MAX, PROVIDER_REASON_MIN } from '../../provider/chain/reclamation.js';
import { MsgBurnACT, MsgCreateCertificate, MsgRevokeCertificate } from '@akashnetwork/chain-sdk/private-types/akash.v1';
import { requestBurnAct, validateBurnAct } from './bme.js';
import { X509Certificate } from 'node:crypto';
import { ChainError, sdkError } from './errors.js';
import { deploymentKey, groupKey, leaseKey, type ChainState, type LeaseRecord } from './state.js';
import { addBalance, ensureAccount, payOut, settleLease, subBalance } from './ledger.js';

type Any = { typeUrl: string; value: Uint8Array };
export type TxEvent = { type: string; attributes: { key: string; value: string }[] };

/** Gas each message costs on top of the tx's size and signature costs (a fixed model; see README). */
export const MSG_GAS: Record<string, bigint> = {
  '/cosmos.bank.v1beta1.MsgSend': 25_000n,
  '/akash.provider.v1beta4.MsgCreateProvider': 40_000n,
  '/akash.provider.v1beta4.MsgUpdateProvider': 35_000n,
  '/akash.cert.v1.MsgCreateCertificate': 30_000n,
  '/akash.cert.v1.MsgRevokeCertificate': 15_000n,
  '/akash.market.v1beta5.MsgWithdrawLease': 20_000n,
  '/akash.market.v1beta5.MsgCloseBid': 30_000n,
  '/akash.market.v1beta5.MsgLeaseStartReclaim': 20_000n,
  '/akash.bme.v1.MsgBurnACT': 30_000n,
};

const BURN_ACT = '/akash.bme.v1.MsgBurnACT';

const CLOSE_BID = '/akash.market.v1beta5.MsgCloseBid';
const START_RECLAIM = '/akash.market.v1beta5.MsgLeaseStartReclaim';
const REVOKE_CERT = '/akash.cert.v1.MsgRevokeCertificate';

/**
 * cert/v1 errors.go (chain-sdk go/node/cert/v1/errors.go, codespace "cert"): 1 certificate not
 * found, 4 certificate already revoked, 5 invalid serial number.
 */
export const certError = {
  notFound: () => new ChainError(1, 'cert', 'certificate not found'),
  alreadyRevoked: () => new ChainError(4, 'cert', 'certificate already revoked'),
  invalidSerial: () => new ChainError(5, 'cert', 'invalid serial number'),
};

/**
 * market/v1 errors.go (codespace "market"). The codes of the errors AEP-82 added are not in any
 * released source this tool could read (the guide registers them as "N"): 35.. in the guide's
 * order is an assumption; apps must match on the message, not the number.
 */
export const marketError = {
  unknownBid: () => new ChainError(6, 'market', 'unknown bid'),
  unknownLease: () => new ChainError(7, 'market', 'unknown lease'),
  leaseNotActive: () => new ChainError(10, 'market', 'lease not active'),
  invalidLeaseClosedReason: (reason: number) => new ChainError(33, 'market', `value "${reason}" range ${PROVIDER_REASON_MIN}..${PROVIDER_REASON_MAX}: invalid lease closed reason`),
  leaseNotReclamable: () => new ChainError(35, 'market', 'lease does not have reclamation configured'),
  leaseAlreadyReclaiming: () => new ChainError(36, 'market', 'reclamation already in progress'),
  reclamationNotStarted: () => new ChainError(37, 'market', 'reclamation not started; call MsgLeaseStartReclaim first'),
  reclamationWindowNotElapsed: () => new ChainError(38, 'market', 'reclamation window has not elapsed'),
};

/** Who must sign a message (its GetSigners), used to check the tx's signers. */
export function signerOf(msg: Any): string {
  switch (msg.typeUrl) {
    case '/cosmos.bank.v1beta1.MsgSend':
      return MsgSend.decode(msg.value).fromAddress;
    case '/akash.provider.v1beta4.MsgCreateProvider':
      return MsgCreateProvider.decode(msg.value).owner;
    case '/akash.provider.v1beta4.MsgUpdateProvider':
      return MsgUpdateProvider.decode(msg.value).owner;
    case '/akash.cert.v1.MsgCreateCertificate':
      return MsgCreateCertificate.decode(msg.value).owner;
    // GetSigners = ID.Owner: only the owner can sign a revocation of its certificate.
    case REVOKE_CERT:
      return MsgRevokeCertificate.decode(msg.value).id?.owner ?? '';
    case '/akash.market.v1beta5.MsgWithdrawLease':
      return MsgWithdrawLease.decode(msg.value).id?.provider ?? '';
    // Both are the provider's (GetSigners / RegisterCustomSignerField "id", "provider").
    case CLOSE_BID:
      return MsgCloseBid.decode(msg.value).id?.provider ?? '';
    case START_RECLAIM:
      return MsgLeaseStartReclaim.decode(msg.value).id?.provider ?? '';
    // cosmos.msg.v1.signer = "owner" (chain-sdk proto/node/akash/bme/v1/msgs.proto).
    case BURN_ACT:
      return MsgBurnACT.decode(msg.value).owner;
    default:
      throw new ChainError(6, 'sdk', `unable to resolve type URL ${msg.typeUrl}: tx parse error`);
  }
}

const HOST_URI = /^https?:\/\/[^\s/]+/;

function checkProviderFields(hostUri: string, attributes: { key: string; value: string }[]): void {
  // ValidateBasic of the provider module: a valid absolute URI, attribute keys unique and well formed.
  if (!HOST_URI.test(hostUri)) throw new ChainError(2, 'provider', `invalid provider: invalid host uri "${hostUri}"`);
  const seen = new Set<string>();
  for (const a of attributes) {
    if (!/^([a-zA-Z][\w/.-]{1,126}[\w])$/.test(a.key)) throw new ChainError(3, 'provider', `invalid attribute key "${a.key}"`);
    if (seen.has(a.key)) throw new ChainError(3, 'provider', `attribute key "${a.key}" duplicated`);
    seen.add(a.key);
  }
}

type IdFields = { owner: string; dseq: { toString(): string }; gseq: number; oseq: number; provider: string; bseq: number };

/** LeaseID/BidID.Validate(): bech32 owner and provider, non-zero sequences (market/v1 lease.go, bid.go). */
function validateId(id: IdFields | undefined): IdFields {
  if (!id) throw sdkError.invalidRequest('empty id');
  for (const [what, addr] of [['owner', id.owner], ['provider', id.provider]] as const) {
    try {
      fromBech32(addr);
    } catch {
      throw sdkError.invalidRequest(`invalid ${what} address "${addr}"`);
    }
  }
  if (id.dseq.toString() === '0') throw sdkError.invalidRequest('invalid deployment sequence');
  if (id.gseq === 0) throw sdkError.invalidRequest('invalid group sequence');
  if (id.oseq === 0) throw sdkError.invalidRequest('invalid order sequence');
  return id;
}

/** ValidateBasic of the messages that have checks beyond decoding (run at CheckTx and in simulate). */
export function validateBasic(msgs: Any[]): void {
  for (const msg of msgs) {
    if (msg.typeUrl === CLOSE_BID) validateId(MsgCloseBid.decode(msg.value).id);
    if (msg.typeUrl === REVOKE_CERT) {
      // MsgRevokeCertificate.ValidateBasic (akash node x/cert/types msgs.go): bech32 owner, decimal serial.
      const id = MsgRevokeCertificate.decode(msg.value).id;
      try {
        fromBech32(id?.owner ?? '');
      } catch {
        throw new ChainError(7, 'sdk', 'MsgRevoke: Invalid Owner Address: invalid address');
      }
      if (!/^\d+$/.test(id?.serial ?? '')) throw certError.invalidSerial();
    }
    if (msg.typeUrl === BURN_ACT) {
      const m = MsgBurnACT.decode(msg.value);
      for (const [what, addr] of [['owner', m.owner], ['to', m.to]] as const) {
        try {
          fromBech32(addr);
        } catch {
          throw new ChainError(7, 'sdk', `invalid ${what} address: ${addr}: invalid address`);
        }
      }
      validateBurnAct(m.owner, m.to, BigInt(m.coinsToBurn?.amount || '0'));
    }
    if (msg.typeUrl === START_RECLAIM) {
      const m = MsgLeaseStartReclaim.decode(msg.value);
      validateId(m.id);
      // msg.Reason.IsRange(LeaseClosedReasonRangeProvider)
      if (m.reason < PROVIDER_REASON_MIN || m.reason > PROVIDER_REASON_MAX) throw marketError.invalidLeaseClosedReason(m.reason);
    }
  }
}

function leaseFor(state: ChainState, id: IdFields): LeaseRecord | undefined {
  return state.leases.get(leaseKey({ owner: id.owner, dseq: BigInt(id.dseq.toString()), gseq: id.gseq, oseq: id.oseq, provider: id.provider, bseq: id.bseq }));
}

export function applyMessage(state: ChainState, msg: Any): TxEvent[] {
  switch (msg.typeUrl) {
    case '/cosmos.bank.v1beta1.MsgSend': {
      const m = MsgSend.decode(msg.value);
      if (!m.toAddress.startsWith('akash1')) throw sdkError.invalidRequest(`invalid to address ${m.toAddress}`);
      for (const c of m.amount) {
        subBalance(state, m.fromAddress, c.denom, BigInt(c.amount));
        ensureAccount(state, m.toAddress);
        addBalance(state, m.toAddress, c.denom, BigInt(c.amount));
      }
      return [{ type: 'transfer', attributes: [{ key: 'recipient', value: m.toAddress }, { key: 'sender', value: m.fromAddress }] }];
    }
    case '/akash.provider.v1beta4.MsgCreateProvider': {
      const m = MsgCreateProvider.decode(msg.value);
      checkProviderFields(m.hostUri, m.attributes);
      // Like the real keeper: creating a provider that exists is refused, never merged.
      if (state.providers.has(m.owner)) throw new ChainError(4, 'provider', `provider already exists: ${m.owner}`);
      state.providers.set(m.owner, { owner: m.owner, hostUri: m.hostUri, attributes: m.attributes, email: m.info?.email ?? '', website: m.info?.website ?? '' });
      return [{ type: 'akash.provider.v1beta4.EventProviderCreated', attributes: [{ key: 'owner', value: m.owner }] }];
    }
    case '/akash.provider.v1beta4.MsgUpdateProvider': {
      const m = MsgUpdateProvider.decode(msg.value);
      checkProviderFields(m.hostUri, m.attributes);
      if (!state.providers.has(m.owner)) throw new ChainError(5, 'provider', `provider not found: ${m.owner}`);
      state.providers.set(m.owner, { owner: m.owner, hostUri: m.hostUri, attributes: m.attributes, email: m.info?.email ?? '', website: m.info?.website ?? '' });
      return [{ type: 'akash.provider.v1beta4.EventProviderUpdated', attributes: [{ key: 'owner', value: m.owner }] }];
    }
    case '/akash.cert.v1.MsgCreateCertificate': {
      const m = MsgCreateCertificate.decode(msg.value);
      let serial: string;
      try {
        const x = new X509Certificate(Buffer.from(m.cert));
        serial = BigInt(`0x${x.serialNumber}`).toString();
        // The cert module checks the subject CN is the owner's address.
        if (!x.subject.includes(`CN=${m.owner}`)) throw new ChainError(4, 'cert', `certificate subject does not match owner ${m.owner}`);
      } catch (err) {
        if (err instanceof ChainError) throw err;
        throw new ChainError(3, 'cert', `invalid certificate: ${(err as Error).message}`);
      }
      if (state.certificates.some((c) => c.owner === m.owner && c.serial === serial)) throw new ChainError(2, 'cert', 'certificate already exists');
      state.certificates.push({ owner: m.owner, serial, state: 'valid', cert: m.cert, pubkey: m.pubkey });
      return [{ type: 'akash.cert.v1.EventCertificateCreated', attributes: [{ key: 'owner', value: m.owner }, { key: 'serial', value: serial }] }];
    }
    case REVOKE_CERT: {
      // x/cert msg_server RevokeCertificate → keeper.RevokeCertificate (akash node x/cert/keeper/keeper.go):
      // no record under (owner, serial) → not found; revoked already → already revoked; else state = revoked.
      const id = MsgRevokeCertificate.decode(msg.value).id!;
      const serial = BigInt(id.serial).toString();
      const i = state.certificates.findIndex((c) => c.owner === id.owner && c.serial === serial);
      if (i < 0) throw certError.notFound();
      const c = state.certificates[i]!;
      if (c.state === 'revoked') throw certError.alreadyRevoked();
      // A new record, not a change in place: a failed later message restores the snapshot's array of records.
      state.certificates[i] = { ...c, state: 'revoked' };
      return [{ type: 'akash.cert.v1.EventCertificateRevoked', attributes: [{ key: 'owner', value: id.owner }, { key: 'serial', value: serial }] }];
    }
    case '/akash.market.v1beta5.MsgWithdrawLease': {
      const m = MsgWithdrawLease.decode(msg.value);
      const id = m.id;
      if (!id) throw sdkError.invalidRequest('empty lease id');
      const key = leaseKey({ owner: id.owner, dseq: BigInt(id.dseq.toString()), gseq: id.gseq, oseq: id.oseq, provider: id.provider, bseq: id.bseq });
      const lease = state.leases.get(key);
      if (!lease) throw new ChainError(1, 'market', `unknown lease: ${key}`);
      // keeper PaymentWithdraw: only an open payment (an overdrawn one, insufficient_funds here, is refused too).
      if (lease.state !== 'active' && lease.state !== 'reclaiming') throw new ChainError(20, 'escrow', 'payment closed');
      // keeper.go @3efe26bf PaymentWithdraw: an account already settled in this block lists no open
      // payments (height delta 0), so the payment is not found and the keeper panics; baseapp turns
      // the panic into a failed tx. So two withdrawals of one deployment cannot share a block.
      const esc = state.escrow.get(deploymentKey(lease.owner, lease.dseq));
      if (esc && !esc.overdrawn && esc.settledAt === BigInt(state.height)) throw new ChainError(111222, 'undefined', `panic: couldn't find payment ${key}`);
      const paid = withdraw(state, lease);
      return [{ type: 'akash.escrow.v1.EventPaymentWithdrawn', attributes: [{ key: 'amount', value: `${paid}${lease.denom}` }] }];
    }
    case BURN_ACT: {
      // x/bme/handler/server.go BurnACT → BurnMint(DenomToMint: uakt) → keeper.RequestBurnMint.
      const m = MsgBurnACT.decode(msg.value);
      const rec = requestBurnAct(state, m.owner, m.to, m.coinsToBurn?.denom ?? '', BigInt(m.coinsToBurn?.amount || '0'));
      return [
        {
          // The keeper emits no event on queueing; this plain one lets tests see the record id.
          type: 'bme_burn_act_queued',
          attributes: [
            { key: 'source', value: rec.source },
            { key: 'height', value: String(rec.height) },
            { key: 'sequence', value: String(rec.sequence) },
            { key: 'amount', value: `${rec.uact}uact` },
          ],
        },
      ];
    }
    case START_RECLAIM: {
      // x/market/handler LeaseStartReclaim (AEP-82 implementation guide §4.1), in its order.
      const m = MsgLeaseStartReclaim.decode(msg.value);
      const lease = leaseFor(state, validateId(m.id));
      if (!lease) throw marketError.unknownLease();
      settleLease(state, lease);
      if (lease.state !== 'active') throw marketError.leaseNotActive();
      if (!lease.reclamation) throw marketError.leaseNotReclamable();
      // Unreachable through this message (a started lease is `reclaiming`, refused above), kept as the guide has it.
      if (lease.reclamation.startedAt !== 0n) throw marketError.leaseAlreadyReclaiming();
      const deadline = BigInt(Math.floor(state.blockTime.getTime() / 1000)) + lease.reclamation.windowSeconds;
      lease.reclamation = { ...lease.reclamation, startedAt: BigInt(state.height), deadline, reason: m.reason };
      lease.state = 'reclaiming';
      return [{ type: 'akash.market.v1.EventLeaseReclaimStarted', attributes: [{ key: 'id', value: leaseKey(lease) }, { key: 'reason', value: String(m.reason) }, { key: 'deadline', value: String(deadline) }] }];
    }
    case CLOSE_BID: {
      // x/market/handler CloseBid with AEP-82's lease-state switch (guide §4.2). Bids and orders are not
      // modelled: a seeded lease stands for its active (matched) bid, so no lease = unknown bid.
      const m = MsgCloseBid.decode(msg.value);
      const lease = leaseFor(state, validateId(m.id));
      if (!lease) throw marketError.unknownBid();
      settleLease(state, lease);
      switch (lease.state) {
        case 'active':
          if (lease.reclamation) throw marketError.reclamationNotStarted();
          break;
        case 'reclaiming':
          if (BigInt(Math.floor(state.blockTime.getTime() / 1000)) < lease.reclamation!.deadline) throw marketError.reclamationWindowNotElapsed();
          break;
        default:
          throw marketError.leaseNotActive();
      }
      // Deployment.OnBidClosed pauses the group; OnLeaseClosed(closed, reason); Escrow.PaymentClose settles and pays out.
      const group = state.groups.get(groupKey(lease.owner, lease.dseq, lease.gseq));
      if (group) group.state = 'paused';
      const paid = withdraw(state, lease);
      lease.state = 'closed';
      lease.closedOn = BigInt(state.height);
      lease.reason = m.reason;
      return [
        { type: 'akash.market.v1.EventLeaseClosed', attributes: [{ key: 'id', value: leaseKey(lease) }, { key: 'reason', value: String(m.reason) }] },
        { type: 'akash.escrow.v1.EventPaymentClosed', attributes: [{ key: 'amount', value: `${paid}${lease.denom}` }] },
      ];
    }
    default:
      throw new ChainError(6, 'sdk', `unrecognized message type ${msg.typeUrl}: unknown request`);
  }
}

/** keeper PaymentWithdraw: settle the account to the current height, then pay this payment's whole micro-units. */
function withdraw(state: ChainState, lease: LeaseRecord): bigint {
  const before = lease.withdrawn;
  settleLease(state, lease);
  // An overdrawn settlement has paid every payment of the account already; this adds nothing then.
  payOut(state, lease);
  return lease.withdrawn - before;
}
