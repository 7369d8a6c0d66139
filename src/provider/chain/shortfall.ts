import { Params, QueryParamsRequest, QueryParamsResponse } from '@akashnetwork/chain-sdk/private-types/akash.v1beta5';
import type { ChainClient } from './chain-client.js';
import { formatTokens } from '../../api/money-format.js';
import { formatAkt, parseGasPrice } from './amounts.js';

/** AKASH.md §2: DefaultBidMinDeposit = 500000uakt; live value is the market param bid_min_deposit. */
export const DEFAULT_BID_DEPOSIT_UAKT = 500_000n;
/** AKASH.md §5: provider `--minimum-balance` default = 2 × DefaultBidMinDeposit; below it the provider stops bidding. */
export const MIN_BALANCE_FACTOR = 2n;
/** AKASH.md §2: 200000 gas is the reference tx size; registration, certificate and one withdrawal are budgeted. */
export const REFERENCE_GAS = 200_000n;
export const BUDGETED_TXS = 3n;

export interface Shortfall {
  requiredUakt: string;
  missingUakt: string;
  ok: boolean;
  message: string;
  breakdown: { what: string; uakt: string }[];
}

/** The token a bid's deposit is paid in (settings `stack.bidDepositDenom`). */
export type DepositDenom = 'uakt' | 'uact';

/**
 * The market's minimum bid deposit in a token: param `bid_min_deposits` (0.5 AKT and 0.5 ACT
 * since the v2.0.0 upgrade), else the legacy single `bid_min_deposit`, else the documented default.
 */
export async function bidMinDeposit(client: ChainClient, denom: DepositDenom = 'uakt'): Promise<bigint> {
  try {
    const bytes = await client.query('/akash.market.v1beta5.Query/Params', QueryParamsRequest.encode({}).finish());
    const params: Params | undefined = QueryParamsResponse.decode(bytes).params;
    const coin = params?.bidMinDeposits.find((c) => c.denom === denom) ?? (params?.bidMinDeposit?.denom === denom ? params.bidMinDeposit : undefined);
    return coin ? BigInt(coin.amount) : DEFAULT_BID_DEPOSIT_UAKT;
  } catch {
    // The param is governance-set; when the node will not say, the documented default stands.
    return DEFAULT_BID_DEPOSIT_UAKT;
  }
}

/**
 * What a provider needs in AKT before it can register and bid, and what is missing. With the
 * deposit paid in ACT (`depositDenom` 'uact') the deposit is not AKT's to cover: balance-act.ts
 * checks it against the ACT balance instead.
 */
export function computeShortfall(balanceUakt: bigint, bidDeposit: bigint, gasPrice: string, gasAdjustment: number, depositDenom: DepositDenom = 'uakt'): Shortfall {
  const price = parseGasPrice(gasPrice);
  const perTx = (REFERENCE_GAS * price.numerator * BigInt(Math.round(gasAdjustment * 100))) / (price.denominator * 100n);
  const fees = perTx * BUDGETED_TXS;
  const minBalance = bidDeposit * MIN_BALANCE_FACTOR;
  const depositInAkt = depositDenom === 'uakt' ? bidDeposit : 0n;
  const required = fees + depositInAkt + minBalance;
  const missing = balanceUakt >= required ? 0n : required - balanceUakt;
  return {
    requiredUakt: required.toString(),
    missingUakt: missing.toString(),
    ok: missing === 0n,
    message:
      missing === 0n
        ? `Enough AKT to register and bid (needs ${formatTokens(required, 'AKT', { precision: 'summary', round: 'up' })}).`
        : `Add ${formatAkt(missing)}: a provider needs ${formatAkt(required)} (fees, ${depositDenom === 'uakt' ? 'one bid deposit ' : ''}and the minimum balance the provider keeps to go on bidding).`,
    breakdown: [
      { what: `fees for ${BUDGETED_TXS} transactions (${REFERENCE_GAS} gas × ${gasPrice} × ${gasAdjustment})`, uakt: fees.toString() },
      // Read by the Dashboard (its "balance below bid deposit" alert); absent when ACT pays the deposit.
      ...(depositDenom === 'uakt' ? [{ what: 'one bid deposit (market param bid_min_deposit)', uakt: bidDeposit.toString() }] : []),
      { what: `minimum balance (provider default: ${MIN_BALANCE_FACTOR} × bid deposit)`, uakt: minBalance.toString() },
    ],
  };
}
