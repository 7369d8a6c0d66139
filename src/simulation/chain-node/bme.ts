import { ChainError } from './errors.js';
import { addBalance, subBalance } from './ledger.js';
import { DEC } from './decimal.js';
import { MINT_STATUS_NUMBER, type BmeState, type MintStatus, type PendingConversion } from './bme-state.js';
import type { ChainState } from './state.js';

/**
 * TEST TOOL — Akash's burn-mint equilibrium (x/bme) for the one direction a provider uses:
 * MsgBurnACT, ACT → AKT. Every rule cites akash-network/node @3efe26bf (x/bme/keeper/keeper.go,
 * x/bme/keeper/abci.go, x/bme/handler/server.go) and chain-sdk @55f1c683 (go/node/bme/v1).
 * Minting ACT (MsgMintACT), the vault's collateral ratio arithmetic, remint credits and the
 * oracle's own price feed are not modelled: a test sets the AKT price, the collateral ratio and
 * the oracle's health directly.
 */

export { MINT_STATUS_NUMBER, cloneBme, defaultBme, type BmeParams, type BmeState, type MintStatus, type PendingConversion, type SettledConversion } from './bme-state.js';

/** bme/v1 errors.go (codespace "bme") and oracle/v2 errors.go (codespace "oracle.v2", errPriceStalled = 4). */
export const bmeError = {
  unauthorized: () => new ChainError(3, 'bme', 'owner and to addresses must match: unauthorized'),
  circuitBreakerActive: () => new ChainError(6, 'bme', 'circuit breaker is active'),
  invalidAmount: () => new ChainError(8, 'bme', 'amount must not be 0: invalid amount'),
  invalidDenom: (from: string) => new ChainError(9, 'bme', `invalid swap route ${from} -> uakt: invalid denomination`),
  priceStalled: () => new ChainError(4, 'oracle.v2', 'price stalled'),
};

/**
 * The circuit breaker's state as keeper.mintStatusUpdate derives it: an unhealthy oracle halts
 * everything; otherwise CR (in bps, truncated) above warn is healthy, above halt a warning, else halt_cr.
 */
export function mintStatus(b: BmeState): MintStatus {
  if (!b.oracleHealthy) return 'halt_oracle';
  const crBps = (b.collateralRatioAtomics * 10_000n) / DEC;
  if (crBps > BigInt(b.params.circuitBreakerWarnThreshold)) return 'healthy';
  if (crBps > BigInt(b.params.circuitBreakerHaltThreshold)) return 'warning';
  return 'halt_cr';
}

/** MsgBurnACT.ValidateBasic (chain-sdk go/node/bme/v1/msgs.go): owner = to, a valid non-zero coin. */
export function validateBurnAct(owner: string, to: string, amount: bigint): void {
  if (owner !== to) throw bmeError.unauthorized();
  if (amount <= 0n) throw bmeError.invalidAmount();
}

/**
 * keeper.RequestBurnMint for uact → uakt: the route, the oracle prices, the circuit breaker
 * (ACT refunds are refused only above halt_cr, i.e. when the oracle halted them), then the coins
 * move into the module and a pending record is queued for the next burn epoch.
 */
export function requestBurnAct(state: ChainState, owner: string, to: string, denom: string, amount: bigint): PendingConversion {
  const b = state.bme;
  if (denom !== 'uact') throw bmeError.invalidDenom(denom);
  if (!b.oracleHealthy) throw bmeError.priceStalled();
  if (MINT_STATUS_NUMBER[mintStatus(b)] > MINT_STATUS_NUMBER.halt_cr) throw bmeError.circuitBreakerActive();
  if (b.sequenceHeight !== state.height) {
    b.sequenceHeight = state.height;
    b.sequence = 0;
  }
  b.sequence += 1;
  subBalance(state, owner, 'uact', amount);
  const rec: PendingConversion = { source: owner, to, height: state.height, sequence: b.sequence, uact: amount, attempts: 0 };
  b.pending.push(rec);
  return rec;
}

/**
 * What a conversion of `uact` pays at the current price (keeper.prepareToBM): swap rate =
 * price(ACT) / price(AKT) as a LegacyDec quotient, minted = uact × rate truncated, spread =
 * minted × settle_spread_bps / 10000 truncated; the owner receives minted − spread.
 */
export function quoteBurnAct(b: BmeState, uact: bigint): { minted: bigint; spread: bigint; paid: bigint } {
  const rateAtomics = legacyQuo(DEC, b.aktUsdAtomics);
  // Int × Dec is exact in LegacyDec (the product's 36 decimals are chopped back to 18 without loss).
  const mintedAtomics = uact * rateAtomics;
  const minted = mintedAtomics / DEC;
  const spreadAtomics = legacyQuo(mintedAtomics * BigInt(b.params.settleSpreadBps), 10_000n * DEC);
  const spread = spreadAtomics / DEC;
  return { minted, spread, paid: minted - spread };
}

/**
 * The burn half of keeper.EndBlocker: once the block height reaches the burn epoch, the next one
 * is set `min_epoch_blocks` ahead and pending uact → uakt records are executed (at most
 * `max_endblocker_records`). A zero result is cancelled at once (ErrEpsilon, refunded); a stalled
 * oracle is retried and cancelled after `max_pending_attempts`. The circuit breaker does not stop
 * this direction.
 */
export function bmeEndBlock(state: ChainState): void {
  const b = state.bme;
  if (b.nextBurnEpoch > state.height) return;
  b.nextBurnEpoch = state.height + b.params.minEpochBlocks;
  let processed = 0;
  for (const rec of [...b.pending]) {
    if (processed >= b.params.maxEndblockerRecords) break;
    processed += 1;
    if (!b.oracleHealthy) {
      rec.attempts += 1;
      if (rec.attempts >= b.params.maxPendingAttempts) cancel(state, rec, 'max_attempts');
      continue;
    }
    const q = quoteBurnAct(b, rec.uact);
    if (q.minted <= 0n) {
      cancel(state, rec, 'epsilon');
      continue;
    }
    addBalance(state, rec.to, 'uakt', q.paid);
    b.pending.splice(b.pending.indexOf(rec), 1);
    b.settled.push({ ...rec, status: 'executed', settledHeight: state.height, ...q, aktUsdAtomics: b.aktUsdAtomics, cancelReason: null });
  }
}

function cancel(state: ChainState, rec: PendingConversion, reason: string): void {
  const b = state.bme;
  // cancelBurnMint refunds the coins to the owner.
  addBalance(state, rec.source, 'uact', rec.uact);
  b.pending.splice(b.pending.indexOf(rec), 1);
  b.settled.push({ ...rec, status: 'canceled', settledHeight: state.height, minted: 0n, spread: 0n, paid: 0n, aktUsdAtomics: b.aktUsdAtomics, cancelReason: reason });
}

/** cosmossdk.io/math LegacyDec.Quo on atomics: (a × 10^36) / b truncated, then chopPrecisionAndRound. */
function legacyQuo(a: bigint, b: bigint): bigint {
  return chopPrecisionAndRound((a * DEC * DEC) / b);
}

/** Divide by 10^18, rounding half to even (LegacyDec's chopPrecisionAndRound). */
function chopPrecisionAndRound(n: bigint): bigint {
  const q = n / DEC;
  const twice = (n % DEC) * 2n;
  if (twice > DEC || (twice === DEC && q % 2n === 1n)) return q + 1n;
  return q;
}
