import type { Balance } from '../../api/schemas/chain.js';
import type { ChainClient } from './chain-client.js';
import { aktUsd } from './bme-service.js';
import { formatMicro, formatUsd } from './money.js';
import type { DepositDenom, Shortfall } from './shortfall.js';
import { BUDGETED_TXS } from './shortfall.js';

type ActPart = Pick<Balance, 'uact' | 'act' | 'aktUsd' | 'usd' | 'warnings' | 'bidDeposit'>;

/**
 * Leases pay ACT since BME; fees stay AKT and a bid deposit is 0.5 AKT or 0.5 ACT, whichever the
 * provider is set to pay (settings `stack.bidDepositDenom`, README "BME"). ACT is shown beside AKT
 * with USD (ACT = $1 by the oracle's peg, AKT at the oracle's price), and what runs short is said
 * with the amount and the reason.
 */
export async function actBalance(client: ChainClient, coins: { denom: string; amount: string }[], uakt: bigint, shortfall: Shortfall, deposit: { denom: DepositDenom; amount: bigint }): Promise<ActPart> {
  const uact = BigInt(coins.find((c) => c.denom === 'uact')?.amount ?? '0');
  const price = await aktUsd(client);
  const fees = BigInt(shortfall.breakdown[0]?.uakt ?? '0');
  const warnings = balanceWarnings({ uakt, uact, fees, deposit });
  const depositWarning = warnings.find((w) => w.includes('for the bid deposit'));
  return {
    uact: uact.toString(),
    act: formatMicro(uact, 'ACT'),
    aktUsd: price,
    usd: { act: formatUsd(uact, '1'), akt: price ? formatUsd(uakt, price) : null },
    warnings,
    bidDeposit: { denom: deposit.denom, amount: deposit.amount.toString(), short: depositWarning !== undefined, message: depositWarning ?? null },
  };
}

/** What runs short for fees (always AKT) and for the bid deposit (in its chosen token), and how much. */
export function balanceWarnings(b: { uakt: bigint; uact: bigint; fees: bigint; deposit: { denom: DepositDenom; amount: bigint } }): string[] {
  const { uakt, uact, fees, deposit } = b;
  const warnings: string[] = [];
  if (uakt < fees) {
    warnings.push(
      `Add ${formatMicro(fees - uakt, 'AKT')} for network fees: every transaction (withdrawing earnings, converting ACT, registering) pays its fee in AKT — about ${formatMicro(fees / BUDGETED_TXS, 'AKT')} each — even though leases pay you in ACT.${uact > 0n ? ' Converting some ACT (`riglease wallet convert`) needs a fee in AKT too.' : ''}`,
    );
  }
  const held = 'Each bid the provider places holds this deposit until the bid closes (it comes back then), so without it the provider places no bids.';
  if (deposit.denom === 'uakt' && uakt < fees + deposit.amount) {
    const other = uact >= deposit.amount ? ` Or pay deposits in ACT instead (Settings → Bid deposit): this wallet holds ${formatMicro(uact, 'ACT')}.` : '';
    warnings.push(`Add ${formatMicro(fees + deposit.amount - uakt, 'AKT')} for the bid deposit: the provider is set to pay each bid's deposit of ${formatMicro(deposit.amount, 'AKT')} in AKT, on top of the fees. ${held}${other}`);
  }
  if (deposit.denom === 'uact' && uact < deposit.amount) {
    const other = uakt >= fees + deposit.amount ? ` Or pay deposits in AKT instead (Settings → Bid deposit): this wallet holds ${formatMicro(uakt, 'AKT')}.` : '';
    warnings.push(`Add ${formatMicro(deposit.amount - uact, 'ACT')} for the bid deposit: the provider is set to pay each bid's deposit of ${formatMicro(deposit.amount, 'ACT')} in ACT, and the wallet holds ${formatMicro(uact, 'ACT')}. ${held} Leases pay ACT, so the first earnings refill it.${other}`);
  }
  return warnings;
}
