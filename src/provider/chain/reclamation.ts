/**
 * AEP-82 (resource reclamation) protobuf, written by hand.
 *
 * WHY: mainnet supports AEP-82 since upgrade v2.1.0, but the newest `@akashnetwork/chain-sdk`
 * (1.0.0-alpha.25, the version pinned here) has no `MsgLeaseStartReclaim`, no
 * `akash.market.v1.Reclamation`, no `Lease.reclamation` field and no `reclaiming` lease state.
 * DELETE THIS FILE when chain-sdk ships them: register chain-sdk's `MsgLeaseStartReclaim` in
 * registry.ts and read `lease.reclamation` from chain-sdk's own `Lease` decode instead.
 *
 * Proto (AEP-82 implementation guide, §2; akash-network/chain-sdk PR #305):
 *   package akash.market.v1beta5;
 *   message MsgLeaseStartReclaim { akash.market.v1.LeaseID id = 1; akash.market.v1.LeaseClosedReason reason = 2; }
 *   message MsgLeaseStartReclaimResponse {}
 *   package akash.market.v1;
 *   message Reclamation { google.protobuf.Duration window = 1; int64 started_at = 2; int64 deadline = 3; LeaseClosedReason reason = 4; }
 *   message Lease { ...; Reclamation reclamation = 7; }   enum Lease.State { ...; reclaiming = 4; }
 *   google.protobuf.Duration { int64 seconds = 1; int32 nanos = 2; }
 *
 * It reuses chain-sdk's `LeaseID` encoder and the `@bufbuild/protobuf/wire` BinaryWriter/Reader
 * that chain-sdk's generated code itself uses, so a lease id is encoded exactly as in
 * MsgWithdrawLease. The object has the `encode/decode/fromPartial` shape cosmjs's Registry wants.
 */
import { BinaryReader, BinaryWriter } from '@bufbuild/protobuf/wire';
import type { GeneratedType } from '@cosmjs/proto-signing';
import { LeaseID } from '@akashnetwork/chain-sdk/private-types/akash.v1';

export const MSG_LEASE_START_RECLAIM_TYPE_URL = '/akash.market.v1beta5.MsgLeaseStartReclaim';

/** `Lease.State` value added by AEP-82. */
export const LEASE_STATE_RECLAIMING = 4;

/** LeaseClosedReason's provider range (market/v1 types.proto); MsgLeaseStartReclaim's ValidateBasic requires it. */
export const PROVIDER_REASON_MIN = 10_000;
export const PROVIDER_REASON_MAX = 19_999;

export interface MsgLeaseStartReclaim {
  id: LeaseID | undefined;
  /** akash.market.v1.LeaseClosedReason; a provider reason is 10000..19999. */
  reason: number;
}

/** Partial input as cosmjs passes it (`fromPartial`); dseq may be a number, string or bigint. */
export interface MsgLeaseStartReclaimInput {
  id?: { owner?: string; dseq?: string | number | bigint; gseq?: number; oseq?: number; provider?: string; bseq?: number } | undefined;
  reason?: number;
}

export const MsgLeaseStartReclaim = {
  $type: 'akash.market.v1beta5.MsgLeaseStartReclaim' as const,
  encode(message: MsgLeaseStartReclaim, writer: BinaryWriter = new BinaryWriter()): BinaryWriter {
    // Same field order and zero-value omission as chain-sdk's generated MsgCloseBid.
    if (message.id !== undefined) LeaseID.encode(message.id, writer.uint32(10).fork()).join();
    if (message.reason !== 0) writer.uint32(16).int32(message.reason);
    return writer;
  },
  decode(input: BinaryReader | Uint8Array, length?: number): MsgLeaseStartReclaim {
    const reader = input instanceof BinaryReader ? input : new BinaryReader(input);
    const end = length === undefined ? reader.len : reader.pos + length;
    const message: MsgLeaseStartReclaim = { id: undefined, reason: 0 };
    while (reader.pos < end) {
      const tag = reader.uint32();
      if (tag === 10) message.id = LeaseID.decode(reader, reader.uint32());
      else if (tag === 16) message.reason = reader.int32();
      else if ((tag & 7) === 4 || tag === 0) break;
      else reader.skip(tag & 7);
    }
    return message;
  },
  fromPartial(object: MsgLeaseStartReclaimInput): MsgLeaseStartReclaim {
    return {
      // chain-sdk's LeaseID.fromPartial turns a number/string/bigint dseq into its Long.
      id: object.id ? LeaseID.fromPartial(object.id) : undefined,
      reason: object.reason ?? 0,
    };
  },
};

/** The registry entry (cosmjs only calls encode/decode/fromPartial). */
export const MsgLeaseStartReclaimType = MsgLeaseStartReclaim as unknown as GeneratedType;

export const MsgLeaseStartReclaimResponse = {
  $type: 'akash.market.v1beta5.MsgLeaseStartReclaimResponse' as const,
  encode(_: Record<string, never>, writer: BinaryWriter = new BinaryWriter()): BinaryWriter {
    return writer;
  },
  decode(): Record<string, never> {
    return {};
  },
  fromPartial(): Record<string, never> {
    return {};
  },
};

/** akash.market.v1.Reclamation, with the Duration flattened to whole seconds + nanos. */
export interface Reclamation {
  windowSeconds: bigint;
  windowNanos: number;
  /** Block height reclamation started at; 0 = not started. */
  startedAt: bigint;
  /** Unix seconds at which the window ends; 0 = not started. */
  deadline: bigint;
  reason: number;
}

export const ReclamationCodec = {
  encode(r: Reclamation, writer: BinaryWriter = new BinaryWriter()): BinaryWriter {
    // window is non-nullable (gogoproto.nullable=false): gogo always writes it, even when zero.
    const w = writer.uint32(10).fork();
    if (r.windowSeconds !== 0n) w.uint32(8).int64(r.windowSeconds);
    if (r.windowNanos !== 0) w.uint32(16).int32(r.windowNanos);
    w.join();
    if (r.startedAt !== 0n) writer.uint32(16).int64(r.startedAt);
    if (r.deadline !== 0n) writer.uint32(24).int64(r.deadline);
    if (r.reason !== 0) writer.uint32(32).int32(r.reason);
    return writer;
  },
  decode(input: BinaryReader | Uint8Array, length?: number): Reclamation {
    const reader = input instanceof BinaryReader ? input : new BinaryReader(input);
    const end = length === undefined ? reader.len : reader.pos + length;
    const r: Reclamation = { windowSeconds: 0n, windowNanos: 0, startedAt: 0n, deadline: 0n, reason: 0 };
    while (reader.pos < end) {
      const tag = reader.uint32();
      if (tag === 10) {
        const dEnd = reader.pos + reader.uint32();
        while (reader.pos < dEnd) {
          const t = reader.uint32();
          if (t === 8) r.windowSeconds = BigInt(reader.int64().toString());
          else if (t === 16) r.windowNanos = reader.int32();
          else reader.skip(t & 7);
        }
      } else if (tag === 16) r.startedAt = BigInt(reader.int64().toString());
      else if (tag === 24) r.deadline = BigInt(reader.int64().toString());
      else if (tag === 32) r.reason = reader.int32();
      else if ((tag & 7) === 4 || tag === 0) break;
      else reader.skip(tag & 7);
    }
    return r;
  },
};

/** Field 7 of akash.market.v1.Lease, to append to chain-sdk's Lease encoding (fields may come in any order). */
export function encodeLeaseReclamationField(r: Reclamation): Uint8Array {
  const w = new BinaryWriter();
  ReclamationCodec.encode(r, w.uint32(58).fork()).join();
  return w.finish();
}

/** Field 7 of one encoded akash.market.v1.Lease, or null when the lease has none. */
export function decodeLeaseReclamation(lease: Uint8Array): Reclamation | null {
  const reader = new BinaryReader(lease);
  let found: Reclamation | null = null;
  while (reader.pos < reader.len) {
    const tag = reader.uint32();
    if (tag === 58) found = ReclamationCodec.decode(reader, reader.uint32());
    else reader.skip(tag & 7);
  }
  return found;
}

/**
 * The reclamation of every lease in an encoded `akash.market.v1beta5.QueryLeasesResponse`
 * (`repeated QueryLeaseResponse leases = 1`, each `Lease lease = 1`), in order — the same order
 * chain-sdk's decode gives `leases`. chain-sdk skips field 7 as unknown; this reads it.
 */
export function decodeLeasesReclamations(response: Uint8Array): (Reclamation | null)[] {
  const out: (Reclamation | null)[] = [];
  const reader = new BinaryReader(response);
  while (reader.pos < reader.len) {
    const tag = reader.uint32();
    if (tag === 10) out.push(leaseOfQueryLeaseResponse(reader.bytes()));
    else reader.skip(tag & 7);
  }
  return out;
}

/** The reclamation of the lease in an encoded `QueryLeaseResponse` (also the single-lease query's answer). */
export function leaseOfQueryLeaseResponse(item: Uint8Array): Reclamation | null {
  const reader = new BinaryReader(item);
  let found: Reclamation | null = null;
  while (reader.pos < reader.len) {
    const tag = reader.uint32();
    if (tag === 10) found = decodeLeaseReclamation(reader.bytes());
    else reader.skip(tag & 7);
  }
  return found;
}
