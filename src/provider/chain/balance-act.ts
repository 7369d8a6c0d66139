import type { Balance } from '../../api/schemas/chain.js';
import type { ChainClient } from './chain-client.js';
import { aktUsd } from './bme-service.js';
import { formatMicro, formatUsd } from './money.js';
import type { Shortfall } from './shortfall.js';
import { BUDGETED_TXS } from './shortfall.js';

type ActPart = Pick<Balance, 'uact' | 'act' | 'aktUsd' | 'usd' | 'warnings'>;

/**
 * Leases pay ACT since BME; fees stay AKT and a bid deposit is 0.5 AKT or 0.5 ACT (README "BME").
 * ACT is shown beside AKT with USD (ACT = $1 by the oracle's peg, AKT at the oracle's price), and
 * what runs short is said with the amount and the reason.
 */
export async function actBalance(client: ChainClient, coins: { denom: string; amount: string }[], uakt: bigint, shortfall: Shortfall): Promise<ActPart> {
  const uact = BigInt(coins.find((c) => c.denom === 'uact')?.amount ?? '0');
  const price = await aktUsd(client);
  const fees = BigInt(shortfall.breakdown[0]?.uakt ?? '0');
  const deposit = BigInt(shortfall.breakdown[1]?.uakt ?? '0');
  const warnings: string[] = [];
  if (uakt < fees) {
    warnings.push(
      `Add ${formatMicro(fees - uakt, 'AKT')} for network fees: every transaction (withdrawing earnings, converting ACT, registering) pays its fee in AKT — about ${formatMicro(fees / BUDGETED_TXS, 'AKT')} each — even though leases pay you in ACT.${uact > 0n ? ' Converting some ACT (`riglease wallet convert`) needs a fee in AKT too.' : ''}`,
    );
  }
  if (uakt < fees + deposit && uact < deposit) {
    warnings.push(`A bid needs a deposit of ${formatMicro(deposit, 'AKT')} or ${formatMicro(deposit, 'ACT')}, held while the bid is open; the provider bids with AKT by default. Add the difference in AKT.`);
  }
  return {
    uact: uact.toString(),
    act: formatMicro(uact, 'ACT'),
    aktUsd: price,
    usd: { act: formatUsd(uact, '1'), akt: price ? formatUsd(uakt, price) : null },
    warnings,
  };
}
