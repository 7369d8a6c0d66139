import { DEC } from './decimal.js';

/** x/bme's state as the chain node keeps it (see bme.ts for the rules that change it). */
export type MintStatus = 'unspecified' | 'healthy' | 'warning' | 'halt_cr' | 'halt_oracle';
export const MINT_STATUS_NUMBER: Record<MintStatus, number> = { unspecified: 0, healthy: 1, warning: 2, halt_cr: 3, halt_oracle: 4 };

export interface BmeParams {
  /** Basis points of the collateral ratio (10000 = 1.0); chain-sdk params.go defaults 9500 / 9000. */
  circuitBreakerWarnThreshold: number;
  circuitBreakerHaltThreshold: number;
  /** Blocks between burn epochs (DefaultMinEpochBlocks = 10). */
  minEpochBlocks: number;
  epochBlocksBackoffPercent: number;
  mintSpreadBps: number;
  /** ACT → AKT spread kept by the vault (DefaultSettleSpreadBps = 0). */
  settleSpreadBps: number;
  maxEndblockerRecords: number;
  /** Minimum output per denom (DefaultMinMint = 10 ACT; it names uact only, so AKT output has none). */
  minMint: { denom: string; amount: bigint }[];
  maxPendingAttempts: number;
}

export interface PendingConversion {
  source: string;
  to: string;
  height: number;
  sequence: number;
  uact: bigint;
  attempts: number;
}

export interface SettledConversion extends Omit<PendingConversion, 'attempts'> {
  status: 'executed' | 'canceled';
  /** Executed at this height (the burn epoch). */
  settledHeight: number;
  /** AKT minted at the oracle price, the vault's spread, what reached `to` (uakt). */
  minted: bigint;
  spread: bigint;
  paid: bigint;
  /** The AKT price used, 18-decimal atomics (USD per AKT). */
  aktUsdAtomics: bigint;
  cancelReason: string | null;
}

export interface BmeState {
  params: BmeParams;
  /** Oracle TWAP of AKT in USD, 18-decimal atomics; ACT is always 1 USD (oracle keeper GetAggregatedPrice). */
  aktUsdAtomics: bigint;
  oracleHealthy: boolean;
  /** Collateral ratio, 18-decimal atomics (a test sets it; the keeper derives it from the vault). */
  collateralRatioAtomics: bigint;
  /** Height at or after which the next burn epoch runs (keeper `epochs[epochBurn]`; 0 = not set yet). */
  nextBurnEpoch: number;
  /** Ledger sequence within the current block (reset by BeginBlocker, starts at 1). */
  sequenceHeight: number;
  sequence: number;
  pending: PendingConversion[];
  settled: SettledConversion[];
}

export function defaultBme(): BmeState {
  return {
    params: {
      circuitBreakerWarnThreshold: 9500,
      circuitBreakerHaltThreshold: 9000,
      minEpochBlocks: 10,
      epochBlocksBackoffPercent: 10,
      mintSpreadBps: 25,
      settleSpreadBps: 0,
      maxEndblockerRecords: 50,
      minMint: [{ denom: 'uact', amount: 10_000_000n }],
      maxPendingAttempts: 3,
    },
    aktUsdAtomics: 1_140_000_000_000_000_000n,
    oracleHealthy: true,
    collateralRatioAtomics: 2n * DEC,
    nextBurnEpoch: 0,
    sequenceHeight: 0,
    sequence: 0,
    pending: [],
    settled: [],
  };
}

export function cloneBme(b: BmeState): BmeState {
  return { ...b, params: { ...b.params, minMint: [...b.params.minMint] }, pending: b.pending.map((p) => ({ ...p })), settled: b.settled.map((s) => ({ ...s })) };
}
