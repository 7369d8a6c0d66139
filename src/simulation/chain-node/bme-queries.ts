import {
  Params as BmeParams,
  QueryLedgerRecordsRequest,
  QueryLedgerRecordsResponse,
  QueryParamsResponse as BmeQueryParamsResponse,
  QueryStatusResponse,
} from '@akashnetwork/chain-sdk/private-types/akash.v1';
import { QueryAggregatedPriceRequest, QueryAggregatedPriceResponse } from '@akashnetwork/chain-sdk/private-types/akash.v2';
import { MINT_STATUS_NUMBER, mintStatus, type BmeState, type PendingConversion, type SettledConversion } from './bme.js';
import { ChainError } from './errors.js';
import { DEC } from './state.js';

/** LedgerRecordStatus (chain-sdk proto/node/akash/bme/v1/types.proto). */
const RECORD_STATUS = { pending: 1, executed: 2, canceled: 3 } as const;

/**
 * x/bme's Params, Status and LedgerRecords (node x/bme/keeper/grpc_query.go) and x/oracle v2's
 * AggregatedPrice (node x/oracle/keeper/grpc_query.go, keyed by base denom "akt"), or null when
 * the path is not one of them.
 */
export function answerBmeQuery(b: BmeState, path: string, data: Uint8Array): Uint8Array | null {
  switch (path) {
    case '/akash.bme.v1.Query/Params':
      return BmeQueryParamsResponse.encode(
        BmeQueryParamsResponse.fromPartial({
          params: BmeParams.fromPartial({ ...b.params, minMint: b.params.minMint.map((c) => ({ denom: c.denom, amount: c.amount.toString() })) }),
        }),
      ).finish();
    case '/akash.bme.v1.Query/Status': {
      const status = MINT_STATUS_NUMBER[mintStatus(b)];
      return QueryStatusResponse.encode(
        QueryStatusResponse.fromPartial({
          status,
          collateralRatio: atomicsToDecimal(b.collateralRatioAtomics),
          warnThreshold: atomicsToDecimal((BigInt(b.params.circuitBreakerWarnThreshold) * DEC) / 10_000n),
          haltThreshold: atomicsToDecimal((BigInt(b.params.circuitBreakerHaltThreshold) * DEC) / 10_000n),
          mintsAllowed: status < MINT_STATUS_NUMBER.halt_cr,
          refundsAllowed: status < MINT_STATUS_NUMBER.halt_oracle,
        }),
      ).finish();
    }
    case '/akash.bme.v1.Query/LedgerRecords':
      return ledgerRecords(b, QueryLedgerRecordsRequest.decode(data));
    case '/akash.oracle.v2.Query/AggregatedPrice': {
      const { denom } = QueryAggregatedPriceRequest.decode(data);
      // The query reads the store by the denom as given; prices are kept under base denoms.
      if (denom !== 'akt') throw new ChainError(38, 'sdk', `rpc error: code = NotFound desc = price for ${denom}: not found`);
      const twap = atomicsToDecimal(b.aktUsdAtomics);
      return QueryAggregatedPriceResponse.encode(
        QueryAggregatedPriceResponse.fromPartial({
          aggregatedPrice: { denom, twap, medianPrice: twap, minPrice: twap, maxPrice: twap, numSources: 3, deviationBps: 0 },
          priceHealth: { denom, isHealthy: b.oracleHealthy, hasMinSources: b.oracleHealthy, deviationOk: true, totalSources: 3, totalHealthySources: b.oracleHealthy ? 3 : 0 },
        }),
      ).finish();
    }
    default:
      return null;
  }
}

function ledgerRecords(b: BmeState, req: ReturnType<typeof QueryLedgerRecordsRequest.decode>): Uint8Array {
  const f = req.filters;
  const wanted = (source: string, status: keyof typeof RECORD_STATUS) =>
    (!f?.source || f.source === source) && (!f?.status || f.status === `ledger_record_status_${status}`) && (!f?.denom || f.denom === 'uact') && (!f?.toDenom || f.toDenom === 'uakt');
  const id = (r: PendingConversion | SettledConversion) => ({ denom: 'uact', toDenom: 'uakt', source: r.source, height: BigInt(r.height), sequence: BigInt(r.sequence) });
  const pending = b.pending.filter((r) => wanted(r.source, 'pending')).map((r) => ({
    id: id(r),
    status: RECORD_STATUS.pending,
    pendingRecord: { owner: r.source, to: r.to, coinsToBurn: { denom: 'uact', amount: r.uact.toString() }, denomToMint: 'uakt', attempts: r.attempts },
  }));
  const settled = b.settled.filter((r) => wanted(r.source, r.status)).map((r) =>
    r.status === 'executed'
      ? {
          id: id(r),
          status: RECORD_STATUS.executed,
          executedRecord: {
            burnedFrom: r.source,
            mintedTo: r.to,
            burner: 'bme',
            minter: 'bme',
            burned: { coin: { denom: 'uact', amount: r.uact.toString() }, price: '1' },
            minted: { coin: { denom: 'uakt', amount: r.minted.toString() }, price: atomicsToDecimal(r.aktUsdAtomics) },
            spread: { denom: 'uakt', amount: r.spread.toString() },
          },
        }
      : { id: id(r), status: RECORD_STATUS.canceled, canceledRecord: { owner: r.source, to: r.to, coinsToBurn: { denom: 'uact', amount: r.uact.toString() }, denomToMint: 'uakt' } },
  );
  const records = [...pending, ...settled];
  return QueryLedgerRecordsResponse.encode(QueryLedgerRecordsResponse.fromPartial({ records, pagination: { total: BigInt(records.length) } })).finish();
}

/** 18-decimal atomics → the decimal string chain-sdk's LegacyDec fields take. */
export function atomicsToDecimal(a: bigint): string {
  const whole = a / DEC;
  const frac = (a % DEC).toString().padStart(18, '0').replace(/0+$/, '');
  return frac ? `${whole}.${frac}` : whole.toString();
}
