/**
 * AEP-82 (resource reclamation) on chain-sdk's own types.
 *
 * chain-sdk 1.0.0-alpha.45 carries `MsgLeaseStartReclaim` (akash.market.v1beta5 leasemsg.proto),
 * `akash.market.v1.Reclamation` and `Lease.reclamation` (field 7) with the `reclaiming` state (4),
 * so the wire format is the SDK's; this file only holds the provider's reason range and the
 * flattened view the app reads (a Duration as whole seconds).
 */
import type { Reclamation as SdkReclamation } from '@akashnetwork/chain-sdk/private-types/akash.v1';
import { Lease_State } from '@akashnetwork/chain-sdk/private-types/akash.v1';
import { MsgLeaseStartReclaim } from '@akashnetwork/chain-sdk/private-types/akash.v1beta5';

export { MsgLeaseStartReclaim };

export const MSG_LEASE_START_RECLAIM_TYPE_URL = `/${MsgLeaseStartReclaim.$type}`;

/** `Lease.State` value added by AEP-82. */
export const LEASE_STATE_RECLAIMING: number = Lease_State.reclaiming;

/** LeaseClosedReason's provider range (market/v1 types.proto); MsgLeaseStartReclaim's ValidateBasic requires it. */
export const PROVIDER_REASON_MIN = 10_000;
export const PROVIDER_REASON_MAX = 19_999;

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

export function fromSdkReclamation(r: SdkReclamation | undefined): Reclamation | null {
  if (!r) return null;
  return {
    windowSeconds: BigInt(r.window?.seconds.toString() ?? '0'),
    windowNanos: r.window?.nanos ?? 0,
    startedAt: BigInt(r.startedAt.toString()),
    deadline: BigInt(r.deadline.toString()),
    reason: Number(r.reason),
  };
}

export function toSdkReclamation(r: Reclamation): SdkReclamation {
  return { window: { seconds: r.windowSeconds, nanos: r.windowNanos }, startedAt: r.startedAt, deadline: r.deadline, reason: r.reason };
}
