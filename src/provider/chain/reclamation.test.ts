import { Lease, LeaseID, Reclamation as SdkReclamation } from '@akashnetwork/chain-sdk/private-types/akash.v1';
import { MsgLeaseStartReclaim, QueryLeasesResponse } from '@akashnetwork/chain-sdk/private-types/akash.v1beta5';
import { BinaryWriter } from '@bufbuild/protobuf/wire';
import { describe, expect, it } from 'vitest';
import { akashRegistry, TYPE_URL } from './registry.js';
import { fromSdkReclamation, LEASE_STATE_RECLAIMING, toSdkReclamation, type Reclamation } from './reclamation.js';

const hex = (s: string) => Uint8Array.from(Buffer.from(s.replace(/\s+/g, ''), 'hex'));
const toHex = (b: Uint8Array) => Buffer.from(b).toString('hex');

/**
 * Hand-derived from upstream's proto (chain-sdk proto/node/akash/market/v1beta5/leasemsg.proto,
 * market/v1/lease.proto + reclamation.proto), not from any encoder:
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

describe('AEP-82 on chain-sdk types, checked against bytes derived from the proto', () => {
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
    const idBytes = LeaseID.encode(LeaseID.fromPartial(value.id)).finish();
    expect(toHex(any.value)).toContain(toHex(idBytes));
  });

  it('skips fields it does not know (a newer chain may add some) and keeps the ones it does', () => {
    const withExtra = new Uint8Array([...START_RECLAIM_BYTES, 0x1a, 0x02, 0x68, 0x69]); // field 3, "hi"
    expect(MsgLeaseStartReclaim.decode(withExtra).reason).toBe(10_002);
  });

  it('encodes Reclamation byte for byte and reads it as Lease field 7 with state reclaiming (4)', () => {
    expect(toHex(SdkReclamation.encode(toSdkReclamation(RECLAMATION)).finish())).toBe(toHex(RECLAMATION_BYTES));
    const field7 = new BinaryWriter().uint32(58).bytes(RECLAMATION_BYTES).finish();
    expect(toHex(field7)).toBe(`3a10${toHex(RECLAMATION_BYTES)}`);
    const decoded = Lease.decode(Buffer.concat([hex('1004'), field7])); // state (2) = 4, reclamation (7)
    expect(Number(decoded.state)).toBe(LEASE_STATE_RECLAIMING);
    expect(fromSdkReclamation(decoded.reclamation)).toEqual(RECLAMATION);
    expect(fromSdkReclamation(Lease.decode(hex('1001')).reclamation)).toBeNull();
  });

  it('finds each lease’s reclamation in a Leases answer, in order', () => {
    const leaseBytes = (dseq: number, r: Reclamation | null) =>
      Lease.encode(Lease.fromPartial({ id: { owner: 'ab', dseq, gseq: 1, oseq: 1, provider: 'cd', bseq: 1 }, state: 1, ...(r ? { reclamation: toSdkReclamation(r) } : {}) })).finish();
    const w = new BinaryWriter();
    const notStarted = { ...RECLAMATION, startedAt: 0n, deadline: 0n, reason: 0 };
    for (const [d, r] of [[1, null], [2, RECLAMATION], [3, notStarted]] as const) {
      w.uint32(10).bytes(new BinaryWriter().uint32(10).bytes(leaseBytes(d, r)).finish());
    }
    w.uint32(18).bytes(hex('1801')); // pagination { total: 1 }
    const sdk = QueryLeasesResponse.decode(w.finish());
    expect(sdk.leases.map((l) => l.lease?.id?.dseq.toString())).toEqual(['1', '2', '3']);
    expect(sdk.leases.map((l) => fromSdkReclamation(l.lease?.reclamation))).toEqual([null, RECLAMATION, notStarted]);
  });
});
