import { Lease, LeaseID } from '@akashnetwork/chain-sdk/private-types/akash.v1';
import { QueryLeasesResponse } from '@akashnetwork/chain-sdk/private-types/akash.v1beta5';
import { BinaryWriter } from '@bufbuild/protobuf/wire';
import { describe, expect, it } from 'vitest';
import { akashRegistry, TYPE_URL } from './registry.js';
import { decodeLeaseReclamation, decodeLeasesReclamations, encodeLeaseReclamationField, MsgLeaseStartReclaim, ReclamationCodec, type Reclamation } from './reclamation-codec.js';

const hex = (s: string) => Uint8Array.from(Buffer.from(s.replace(/\s+/g, ''), 'hex'));
const toHex = (b: Uint8Array) => Buffer.from(b).toString('hex');

/**
 * Hand-derived from the proto (reclamation-codec.ts header), not from this codec:
 *   LeaseID { owner "ab" (1, string), dseq 5 (2, uint64), gseq 1 (3), oseq 2 (4), provider "cd" (5, string), bseq 3 (6) }
 *     0a 02 61 62 | 10 05 | 18 01 | 20 02 | 2a 02 63 64 | 30 03            (16 bytes)
 *   MsgLeaseStartReclaim { id (1, message) = ↑, reason (2, enum) = 10002 → varint 92 4e }
 *     0a 10 <LeaseID> | 10 92 4e
 */
const START_RECLAIM_BYTES = hex('0a10 0a026162 1005 1801 2002 2a026364 3003 10924e');

/**
 *   Reclamation { window (1) = Duration { seconds (1) = 3600 → 90 1c }, started_at (2) = 42,
 *                 deadline (3) = 1700000000 → 80 e2 cf aa 06, reason (4) = 10002 }
 *     0a 03 08 90 1c | 10 2a | 18 80 e2 cf aa 06 | 20 92 4e                 (16 bytes)
 *   as Lease field 7 (tag 7<<3|2 = 0x3a): 3a 10 <Reclamation>
 */
const RECLAMATION_BYTES = hex('0a0308901c 102a 1880e2cfaa06 20924e');
const RECLAMATION: Reclamation = { windowSeconds: 3600n, windowNanos: 0, startedAt: 42n, deadline: 1_700_000_000n, reason: 10_002 };

describe('AEP-82 hand-written protobuf (until chain-sdk ships it)', () => {
  it('encodes MsgLeaseStartReclaim byte for byte as the proto says, and decodes it back', () => {
    const msg = MsgLeaseStartReclaim.fromPartial({ id: { owner: 'ab', dseq: 5, gseq: 1, oseq: 2, provider: 'cd', bseq: 3 }, reason: 10_002 });
    expect(toHex(MsgLeaseStartReclaim.encode(msg).finish())).toBe(toHex(START_RECLAIM_BYTES));
    const back = MsgLeaseStartReclaim.decode(START_RECLAIM_BYTES);
    expect(back.reason).toBe(10_002);
    expect({ ...back.id, dseq: back.id?.dseq.toString() }).toEqual({ owner: 'ab', dseq: '5', gseq: 1, oseq: 2, provider: 'cd', bseq: 3 });
  });

  it('round-trips through the cosmjs registry the app signs with (a dseq beyond 2^53 keeps every digit)', () => {
    const registry = akashRegistry();
    const value = { id: { owner: 'akash1tenant', dseq: '9007199254740993', gseq: 7, oseq: 9, provider: 'akash1provider', bseq: 2 }, reason: 19_999 };
    const any = registry.encodeAsAny({ typeUrl: TYPE_URL.leaseStartReclaim, value });
    expect(any.typeUrl).toBe('/akash.market.v1beta5.MsgLeaseStartReclaim');
    const decoded = registry.decode(any) as MsgLeaseStartReclaim;
    expect(decoded.reason).toBe(19_999);
    expect(decoded.id?.dseq.toString()).toBe('9007199254740993');
    // The lease id inside is chain-sdk's own LeaseID encoding (the same bytes MsgWithdrawLease carries).
    const idBytes = LeaseID.encode(LeaseID.fromPartial(value.id)).finish();
    expect(toHex(any.value)).toContain(toHex(idBytes));
  });

  it('skips fields it does not know (a newer chain may add some) and keeps the ones it does', () => {
    const withExtra = new Uint8Array([...START_RECLAIM_BYTES, 0x1a, 0x02, 0x68, 0x69]); // field 3, "hi"
    expect(MsgLeaseStartReclaim.decode(withExtra).reason).toBe(10_002);
  });

  it('encodes Reclamation byte for byte and reads Lease field 7 next to chain-sdk’s fields', () => {
    expect(toHex(ReclamationCodec.encode(RECLAMATION).finish())).toBe(toHex(RECLAMATION_BYTES));
    expect(toHex(encodeLeaseReclamationField(RECLAMATION))).toBe(`3a10${toHex(RECLAMATION_BYTES)}`);
    const lease = Lease.encode(Lease.fromPartial({ id: { owner: 'ab', dseq: 5, gseq: 1, oseq: 1, provider: 'cd', bseq: 1 }, state: 1, createdAt: 10 })).finish();
    const extended = Buffer.concat([lease, encodeLeaseReclamationField(RECLAMATION)]);
    expect(decodeLeaseReclamation(extended)).toEqual(RECLAMATION);
    expect(decodeLeaseReclamation(lease)).toBeNull();
    // chain-sdk still decodes the rest and keeps the unknown state number AEP-82 added.
    const state4 = Buffer.concat([hex('1004'), encodeLeaseReclamationField(RECLAMATION)]); // state (2) = 4, reclamation (7)
    expect(Number(Lease.decode(state4).state)).toBe(4);
  });

  it('finds each lease’s reclamation in a Leases answer, in the order chain-sdk lists them', () => {
    const leaseBytes = (dseq: number, r: Reclamation | null) =>
      Buffer.concat([Lease.encode(Lease.fromPartial({ id: { owner: 'ab', dseq, gseq: 1, oseq: 1, provider: 'cd', bseq: 1 }, state: 1 })).finish(), r ? encodeLeaseReclamationField(r) : new Uint8Array()]);
    const w = new BinaryWriter();
    for (const [d, r] of [[1, null], [2, RECLAMATION], [3, { ...RECLAMATION, startedAt: 0n, deadline: 0n, reason: 0 }]] as const) {
      w.uint32(10).bytes(new BinaryWriter().uint32(10).bytes(leaseBytes(d, r)).finish());
    }
    w.uint32(18).bytes(hex('1801')); // pagination { total: 1 }
    const bytes = w.finish();
    const sdk = QueryLeasesResponse.decode(bytes);
    expect(sdk.leases.map((l) => l.lease?.id?.dseq.toString())).toEqual(['1', '2', '3']);
    expect(decodeLeasesReclamations(bytes)).toEqual([null, RECLAMATION, { ...RECLAMATION, startedAt: 0n, deadline: 0n, reason: 0 }]);
  });
});
