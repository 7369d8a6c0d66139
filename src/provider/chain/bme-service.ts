import { z } from 'zod';
import type { EncodeObject } from '@cosmjs/proto-signing';
import {
  QueryLedgerRecordsRequest,
  QueryLedgerRecordsResponse,
  QueryParamsRequest as BmeParamsRequest,
  QueryParamsResponse as BmeParamsResponse,
  QueryStatusRequest,
  QueryStatusResponse,
} from '@akashnetwork/chain-sdk/private-types/akash.v1';
import { QueryAggregatedPriceRequest, QueryAggregatedPriceResponse } from '@akashnetwork/chain-sdk/private-types/akash.v2';
import { RigError } from '../../api/errors.js';
import type { BmeStatus, Conversion, ConvertPreview, ConvertResult } from '../../api/schemas/bme.js';
import { DecimalText, MintStatusName } from '../../api/schemas/bme.js';
import type { ChainContext } from './chain-context.js';
import { ChainQueryError, type ChainClient } from './chain-client.js';
import { formatMicro, quoteActToAkt } from './money.js';
import { explorerLink } from './network.js';
import { TYPE_URL } from './registry.js';
import type { WalletService } from './wallet-service.js';
import type { LeasesService } from './leases-service.js';
import { ledgerCsv } from './ledger-csv.js';
import type { TxJournal } from './tx-journal.js';

const MINT_STATUS = MintStatusName.options;
const RECORD_STATUS = ['invalid', 'pending', 'executed', 'canceled'] as const;

/** What the app relies on in x/bme's answers, checked before use (chain responses are a boundary). */
const ParamsShape = z.object({ settleSpreadBps: z.number().int().min(0).max(10_000), minEpochBlocks: z.bigint().positive() });
const StatusShape = z.object({ status: z.number().int().min(0).max(4), collateralRatio: DecimalText, refundsAllowed: z.boolean(), mintsAllowed: z.boolean() });

interface Snapshot {
  status: BmeStatus['status'];
  conversionsAllowed: boolean;
  mintsAllowed: boolean;
  collateralRatio: string;
  settleSpreadBps: number;
  epochBlocks: number;
  aktUsd: string | null;
}

/**
 * ACT → AKT for this wallet through x/bme (MsgBurnACT; akash-network/node x/bme). A request is
 * queued and executed at the next burn epoch (at most `min_epoch_blocks` blocks later) at the
 * oracle's AKT price, minus the settle spread. The circuit breaker stops it only when the oracle
 * is halted (status halt_oracle); a low collateral ratio (halt_cr) stops minting ACT, not this.
 */
export class BmeService {
  constructor(
    private readonly wallet: WalletService,
    private readonly chain: ChainContext,
    /** The txs this RigLease sent (the CSV's withdrawals, queued conversions and fees); none = not in the CSV. */
    private readonly journal?: TxJournal,
  ) {}

  async status(): Promise<BmeStatus> {
    const { client } = await this.chain.get();
    const s = await snapshot(client);
    const address = await this.wallet.address();
    return { ...s, note: note(s), conversions: await conversions(client, address) };
  }

  /** The ledger as CSV: income per lease, withdrawals, conversions and fees (ledger-csv.ts). */
  async ledgerCsv(leases: LeasesService): Promise<string> {
    const { client, profile } = await this.chain.get();
    const [{ leases: rows }, price, journal] = await Promise.all([leases.all(), aktUsd(client), this.journal?.read(profile.chainId) ?? { entries: [], unreadable: 0 }]);
    // Each row carries the ledger's height; a page read a block later keeps its own figures.
    const height = rows[0]?.ledger?.height ?? (await client.height());
    return ledgerCsv(rows, await conversions(client, await this.wallet.address()), journal.entries, height, price);
  }

  async preview(uact: bigint): Promise<ConvertPreview> {
    if (uact <= 0n) throw new RigError('invalid_input', 'Nothing to convert: the amount is zero.', 'Give an amount of ACT, e.g. --amount 12.5.');
    const { client } = await this.chain.get();
    const s = await snapshot(client);
    const height = await client.height();
    const address = await this.wallet.address();
    const have = BigInt((await client.balances(address)).find((c) => c.denom === 'uact')?.amount ?? '0');
    let whyNot: string | null = null;
    if (!s.conversionsAllowed) whyNot = note(s);
    else if (have < uact) whyNot = `The wallet holds ${formatMicro(have, 'ACT')}, less than the ${formatMicro(uact, 'ACT')} asked for.`;
    const q = s.aktUsd ? quoteActToAkt(uact, s.aktUsd, s.settleSpreadBps) : null;
    let feeUakt: string | null = null;
    if (!whyNot) {
      const { wallet } = await this.wallet.signer();
      const { sender } = await this.chain.get();
      feeUakt = (await sender.estimate(wallet, address, [burnMsg(address, uact)])).feeUakt.toString();
    }
    return {
      uact: uact.toString(),
      allowed: whyNot === null,
      whyNot,
      aktUsd: s.aktUsd,
      settleSpreadBps: s.settleSpreadBps,
      expectedMintedUakt: q ? q.minted.toString() : null,
      expectedSpreadUakt: q ? q.spread.toString() : null,
      expectedPaidUakt: q ? q.paid.toString() : null,
      epochBlocks: s.epochBlocks,
      settlesByHeight: height + s.epochBlocks,
      feeUakt,
      status: s.status,
      whatHappens: whyNot
        ? []
        : [
            `${formatMicro(uact, 'ACT')} leave the wallet now and wait in the chain's conversion queue.`,
            `At the next conversion epoch (at most ${s.epochBlocks} blocks, about ${Math.ceil((s.epochBlocks * 6.2) / 60)} min) the chain burns them and pays AKT at the oracle's price then${q ? ` — about ${formatMicro(q.paid, 'AKT')} at today's $${s.aktUsd} per AKT` : ''}.`,
            s.settleSpreadBps > 0 ? `The chain keeps a settle spread of ${(s.settleSpreadBps / 100).toFixed(2)}%${q ? ` (about ${formatMicro(q.spread, 'AKT')})` : ''}.` : 'The chain takes no settle spread at present (settle_spread_bps = 0).',
            'The price can move before the epoch: the AKT you receive is fixed only then.',
            `The network fee is paid in AKT${feeUakt ? ` (${formatMicro(feeUakt, 'AKT')})` : ''}.`,
          ],
    };
  }

  async convert(uact: bigint, signal?: AbortSignal): Promise<ConvertResult> {
    const p = await this.preview(uact);
    if (!p.allowed) throw new RigError('precondition_failed', `Nothing was sent: ${p.whyNot}`, p.status === 'halt_oracle' ? 'Try again once the price oracle is healthy (`riglease wallet convert` shows the status).' : 'Convert a smaller amount, or withdraw earnings first (`riglease withdraw`).');
    const { wallet, address } = await this.wallet.signer();
    const { sender, profile, client } = await this.chain.get();
    const out = await sender.send(wallet, address, [burnMsg(address, uact)], signal ? { signal } : {});
    const mine = await conversions(client, address);
    const conversion = mine.find((c) => c.height === out.height && c.uact === uact.toString()) ?? {
      height: out.height,
      sequence: 0,
      status: 'pending' as const,
      uact: uact.toString(),
      mintedUakt: null,
      spreadUakt: null,
      paidUakt: null,
      aktUsd: null,
    };
    return {
      conversion,
      settlesByHeight: out.height + p.epochBlocks,
      tx: { hash: out.hash, height: out.height, feeUakt: out.feeUakt.toString(), gasUsed: out.gasUsed.toString(), explorerUrl: explorerLink(profile, out.hash) },
    };
  }
}

/**
 * The automatic conversion after a withdrawal (setting `chain.autoConvertAfterWithdraw`): the ACT
 * the withdrawal added, when the chain accepts conversions now; otherwise the reason, and nothing sent.
 */
export async function convertWithdrawn(bme: BmeService, uactBefore: bigint, uactAfter: bigint): Promise<{ converted: ConvertResult | null; note: string }> {
  const gained = uactAfter - uactBefore;
  if (gained <= 0n) return { converted: null, note: 'The withdrawal paid no ACT: nothing to convert.' };
  const p = await bme.preview(gained);
  if (!p.allowed) return { converted: null, note: `Not converted: ${p.whyNot}` };
  const converted = await bme.convert(gained);
  return { converted, note: `${formatMicro(gained, 'ACT')} queued for AKT; it settles by block ${converted.settlesByHeight}.` };
}

function burnMsg(address: string, uact: bigint): EncodeObject {
  // MsgBurnACT.ValidateBasic requires to = owner (chain-sdk go/node/bme/v1/msgs.go).
  return { typeUrl: TYPE_URL.burnAct, value: { owner: address, to: address, coinsToBurn: { denom: 'uact', amount: uact.toString() } } };
}

async function snapshot(client: ChainClient): Promise<Snapshot> {
  const params = ParamsShape.parse(BmeParamsResponse.decode(await client.query('/akash.bme.v1.Query/Params', BmeParamsRequest.encode({}).finish())).params);
  const st = StatusShape.parse(QueryStatusResponse.decode(await client.query('/akash.bme.v1.Query/Status', QueryStatusRequest.encode({}).finish())));
  return {
    status: MINT_STATUS[st.status]!,
    conversionsAllowed: st.refundsAllowed,
    mintsAllowed: st.mintsAllowed,
    collateralRatio: st.collateralRatio,
    settleSpreadBps: params.settleSpreadBps,
    epochBlocks: Number(params.minEpochBlocks),
    aktUsd: await aktUsd(client),
  };
}

/** The oracle's AKT TWAP in USD (x/oracle v2, keyed by base denom "akt"); null when missing or unhealthy. */
export async function aktUsd(client: ChainClient): Promise<string | null> {
  try {
    const res = QueryAggregatedPriceResponse.decode(await client.query('/akash.oracle.v2.Query/AggregatedPrice', QueryAggregatedPriceRequest.encode({ denom: 'akt' }).finish()));
    const twap = DecimalText.safeParse(res.aggregatedPrice?.twap);
    return twap.success && res.priceHealth?.isHealthy && twap.data !== '0' ? twap.data : null;
  } catch (err) {
    if (err instanceof ChainQueryError) return null;
    throw err;
  }
}

async function conversions(client: ChainClient, address: string): Promise<Conversion[]> {
  const req = QueryLedgerRecordsRequest.fromPartial({ filters: { source: address, denom: 'uact', toDenom: 'uakt', status: '' }, pagination: { limit: 100 } });
  const res = QueryLedgerRecordsResponse.decode(await client.query('/akash.bme.v1.Query/LedgerRecords', QueryLedgerRecordsRequest.encode(req).finish()));
  return res.records.map((r) => {
    const status = RECORD_STATUS[Number(r.status)] ?? 'invalid';
    const ex = r.executedRecord;
    const uact = r.pendingRecord?.coinsToBurn?.amount ?? r.canceledRecord?.coinsToBurn?.amount ?? ex?.burned?.coin?.amount ?? '0';
    const minted = ex?.minted?.coin?.amount ?? null;
    const spread = ex ? (ex.spread?.amount ?? '0') : null;
    return {
      height: Number(r.id?.height ?? 0),
      sequence: Number(r.id?.sequence ?? 0),
      status: status === 'invalid' ? 'canceled' : status,
      uact,
      mintedUakt: minted,
      spreadUakt: spread,
      paidUakt: minted !== null && spread !== null ? (BigInt(minted) - BigInt(spread)).toString() : null,
      aktUsd: ex?.minted?.price ?? null,
    };
  });
}

function note(s: Snapshot): string {
  switch (s.status) {
    case 'halt_oracle':
      return 'The chain holds ACT → AKT conversions: its price oracle is halted, so there is no price to convert at. Your ACT stays in the wallet; try again later.';
    case 'halt_cr':
      return `The chain's circuit breaker is on (collateral ratio ${s.collateralRatio}): nobody can mint new ACT, but converting ACT to AKT still works.`;
    case 'warning':
      return `The collateral ratio (${s.collateralRatio}) is close to the circuit breaker's limit; converting ACT to AKT works.`;
    default:
      return 'Converting ACT to AKT works normally.';
  }
}
