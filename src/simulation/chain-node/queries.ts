import {
  BaseAccount,
  QueryAccountRequest,
  QueryAccountResponse,
  QueryAllBalancesRequest,
  QueryAllBalancesResponse,
  QueryBalanceRequest,
  QueryBalanceResponse,
  SimulateRequest,
  SimulateResponse,
} from '@akashnetwork/chain-sdk/private-types/cosmos.v1beta1';
import { PubKey } from '@akashnetwork/chain-sdk/private-types/cosmos.secp256k1';
import { QueryGroupRequest, QueryGroupResponse, QueryProviderRequest, QueryProviderResponse } from '@akashnetwork/chain-sdk/private-types/akash.v1beta4';
import { Params, QueryLeaseRequest, QueryLeaseResponse, QueryLeasesRequest, QueryLeasesResponse, QueryParamsResponse } from '@akashnetwork/chain-sdk/private-types/akash.v1beta5';
import { type Lease_State, QueryAccountsRequest, QueryAccountsResponse, QueryCertificatesRequest, QueryCertificatesResponse } from '@akashnetwork/chain-sdk/private-types/akash.v1';
import { BinaryWriter } from '@bufbuild/protobuf/wire';
import { toSdkReclamation } from '../../provider/chain/reclamation.js';
import type { TestChain } from './chain.js';
import { answerBmeQuery } from './bme-queries.js';
import { answerOrders } from './orders.js';
import { ChainError, sdkError } from './errors.js';
import { DEC, deploymentKey, groupKey, leaseKey, type GroupRecord, type LeaseRecord } from './state.js';

/** Lease.State, with AEP-82's `reclaiming = 4`. */
const LEASE_STATE = { active: 1, insufficient_funds: 2, closed: 3, reclaiming: 4 } as const;
const PAYMENT_STATE = { active: 1, insufficient_funds: 3, closed: 2, reclaiming: 1 } as const; // escrow State: open=1, closed=2, overdrawn=3
/** The SDK's default page size when a request names none. */
const DEFAULT_LIMIT = 100n;

/** Answers the gRPC-over-ABCI paths RigLease uses, encoded with chain-sdk's protobuf types. */
export function answerQuery(chain: TestChain, path: string, data: Uint8Array): Uint8Array {
  const s = chain.state;
  switch (path) {
    case '/cosmos.auth.v1beta1.Query/Account': {
      const { address } = QueryAccountRequest.decode(data);
      const acc = s.accounts.get(address);
      if (!acc) throw sdkError.notFound(`account ${address} not found`);
      const base = BaseAccount.encode(
        BaseAccount.fromPartial({
          address,
          accountNumber: acc.accountNumber.toString(),
          sequence: acc.sequence.toString(),
          pubKey: acc.pubkey ? { typeUrl: '/cosmos.crypto.secp256k1.PubKey', value: PubKey.encode({ key: acc.pubkey }).finish() } : undefined,
        }),
      ).finish();
      return QueryAccountResponse.encode(QueryAccountResponse.fromPartial({ account: { typeUrl: '/cosmos.auth.v1beta1.BaseAccount', value: base } })).finish();
    }
    case '/cosmos.bank.v1beta1.Query/AllBalances': {
      const { address } = QueryAllBalancesRequest.decode(data);
      const balances = [...(s.balances.get(address) ?? new Map<string, bigint>())]
        .filter(([, v]) => v > 0n)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([denom, amount]) => ({ denom, amount: amount.toString() }));
      return QueryAllBalancesResponse.encode(QueryAllBalancesResponse.fromPartial({ balances, pagination: { total: balances.length } })).finish();
    }
    case '/cosmos.bank.v1beta1.Query/Balance': {
      const { address, denom } = QueryBalanceRequest.decode(data);
      const amount = s.balances.get(address)?.get(denom) ?? 0n;
      return QueryBalanceResponse.encode(QueryBalanceResponse.fromPartial({ balance: { denom, amount: amount.toString() } })).finish();
    }
    case '/cosmos.tx.v1beta1.Service/Simulate':
      throw new Error('simulate is async; handled by the server');
    case '/akash.provider.v1beta4.Query/Provider': {
      const { owner } = QueryProviderRequest.decode(data);
      const p = s.providers.get(owner);
      if (!p) throw sdkError.notFound(`invalid provider: ${owner}: provider not found`);
      return QueryProviderResponse.encode(
        QueryProviderResponse.fromPartial({ provider: { owner: p.owner, hostUri: p.hostUri, attributes: p.attributes, info: { email: p.email, website: p.website } } }),
      ).finish();
    }
    case '/akash.cert.v1.Query/Certificates': {
      const req = QueryCertificatesRequest.decode(data);
      const f = req.filter;
      const list = s.certificates.filter((c) => (!f?.owner || c.owner === f.owner) && (!f?.serial || c.serial === f.serial) && (!f?.state || c.state === f.state));
      return QueryCertificatesResponse.encode(
        QueryCertificatesResponse.fromPartial({
          certificates: list.map((c) => ({ serial: c.serial, certificate: { state: c.state === 'valid' ? 1 : 2, cert: c.cert, pubkey: c.pubkey } })),
          pagination: { total: list.length },
        }),
      ).finish();
    }
    case '/akash.market.v1beta5.Query/Orders':
      return answerOrders(s.orders, data);
    case '/akash.market.v1beta5.Query/Leases':
      return leases(chain, QueryLeasesRequest.decode(data));
    case '/akash.market.v1beta5.Query/Lease': {
      const { id } = QueryLeaseRequest.decode(data);
      if (!id) throw sdkError.invalidRequest('empty request');
      const l = s.leases.get(leaseKey({ ...id, dseq: BigInt(id.dseq.toString()) }));
      if (!l) throw sdkError.notFound('lease not found');
      return encodeLeaseItem(l);
    }
    case '/akash.escrow.v1.Query/Accounts': {
      // node x/escrow/keeper/grpc_query.go Accounts: `xid` narrows only together with `state`
      // (BuildSearchPrefix); an account key is `deployment/<owner>/<dseq>` (chain-sdk escrow id Key()).
      // Only that form is answered here: one deployment's account, or none.
      const req = QueryAccountsRequest.decode(data);
      const m = /^deployment\/(akash1[0-9a-z]+)\/(\d+)$/.exec(req.xid);
      const esc = m && req.state ? s.escrow.get(deploymentKey(m[1]!, BigInt(m[2]!))) : undefined;
      const state = esc ? (esc.overdrawn ? 3 : 1) : 0; // escrow State: open=1, closed=2, overdrawn=3
      const wanted = req.state === 'open' ? 1 : req.state === 'overdrawn' ? 3 : req.state === 'closed' ? 2 : -1;
      if (req.state && wanted === -1) throw new ChainError(3, 'sdk', 'invalid state value');
      const denom = m ? ([...s.leases.values()].find((l) => l.owner === m[1] && l.dseq === BigInt(m[2]!))?.denom ?? 'uact') : 'uact';
      const accounts = esc && state === wanted
        ? [{
            id: { scope: 1, xid: `${m![1]}/${m![2]}` },
            state: {
              owner: m![1]!,
              state,
              transferred: [{ denom, amount: '0' }],
              settledAt: esc.settledAt.toString(),
              funds: [{ denom, amount: esc.fundsAtomics.toString() }],
              deposits: [{ owner: m![1]!, height: '1', source: 1, balance: { denom, amount: esc.fundsAtomics.toString() } }],
            },
          }]
        : [];
      return QueryAccountsResponse.encode(QueryAccountsResponse.fromPartial({ accounts, pagination: { nextKey: new Uint8Array(), total: BigInt(accounts.length) } })).finish();
    }
    case '/akash.deployment.v1beta4.Query/Group': {
      const { id } = QueryGroupRequest.decode(data);
      if (!id) throw sdkError.invalidRequest('empty request');
      const g = s.groups.get(groupKey(id.owner, BigInt(id.dseq.toString()), id.gseq));
      if (!g) throw sdkError.notFound('group not found');
      return QueryGroupResponse.encode(QueryGroupResponse.fromPartial({ group: groupResponse(g) })).finish();
    }
    case '/akash.market.v1beta5.Query/Params':
      return QueryParamsResponse.encode(
        QueryParamsResponse.fromPartial({
          params: Params.fromPartial({ bidMinDeposit: { denom: 'uakt', amount: s.bidMinDeposit.toString() }, orderMaxBids: 20, bidMinDeposits: [{ denom: 'uakt', amount: s.bidMinDeposit.toString() }, { denom: 'uact', amount: '500000' }] }),
        }),
      ).finish();
    default: {
      const bme = answerBmeQuery(s.bme, path, data);
      if (bme) return bme;
      throw new ChainError(6, 'sdk', `unknown query path ${path}: unknown request`);
    }
  }
}

/**
 * Leases/list with the market module's filters and the SDK's key pagination: `next_key` is the
 * store key of the first item of the next page; `count_total` fills `total`.
 */
function leases(chain: TestChain, req: ReturnType<typeof QueryLeasesRequest.decode>): Uint8Array {
  const s = chain.state;
  const f = req.filters;
  const stateFilter = f?.state ?? '';
  if (stateFilter && !(stateFilter in LEASE_STATE)) throw sdkError.invalidRequest(`invalid lease state ${stateFilter}`);
  const page = req.pagination;
  const limit = page && BigInt(page.limit.toString()) > 0n ? Number(page.limit.toString()) : Number(DEFAULT_LIMIT);
  const startKey = page && page.key.length > 0 ? Buffer.from(page.key).toString('utf8') : null;
  const offset = page && !startKey ? Number(page.offset.toString()) : 0;
  const matches = (l: LeaseRecord): boolean =>
    (!f?.provider || l.provider === f.provider) && (!f?.owner || l.owner === f.owner) && (!stateFilter || l.state === stateFilter) && (f?.dseq === undefined || BigInt(f.dseq.toString()) === 0n || l.dseq.toString() === f.dseq.toString());
  const out: LeaseRecord[] = [];
  let nextKey: string | null = null;
  let total = 0;
  let skipped = 0;
  let started = startKey === null;
  for (const key of s.leaseOrder) {
    if (!started) {
      if (key < startKey!) continue;
      started = true;
    }
    const l = s.leases.get(key)!;
    if (!matches(l)) continue;
    total++;
    if (skipped < offset) {
      skipped++;
      continue;
    }
    if (out.length < limit) out.push(l);
    else if (nextKey === null) {
      nextKey = key;
      if (!page?.countTotal) break;
    }
  }
  const w = new BinaryWriter();
  for (const l of out) w.uint32(10).bytes(encodeLeaseItem(l));
  const pagination = QueryLeasesResponse.encode(
    QueryLeasesResponse.fromPartial({ leases: [], pagination: { nextKey: nextKey ? Buffer.from(nextKey, 'utf8') : new Uint8Array(), total: page?.countTotal ? total : 0 } }),
  ).finish();
  return w.raw(pagination).finish();
}

/** One QueryLeaseResponse (the lease with its AEP-82 reclamation, field 7, then the escrow payment). */
function encodeLeaseItem(l: LeaseRecord): Uint8Array {
  return QueryLeaseResponse.encode(QueryLeaseResponse.fromPartial(leaseResponse(l))).finish();
}

function leaseResponse(l: LeaseRecord) {
  return {
    lease: {
      id: { owner: l.owner, dseq: l.dseq.toString(), gseq: l.gseq, oseq: l.oseq, provider: l.provider, bseq: l.bseq },
      state: LEASE_STATE[l.state] as Lease_State,
      price: { denom: l.denom, amount: l.priceAtomics.toString() },
      createdAt: l.createdAt.toString(),
      closedOn: l.closedOn.toString(),
      reason: l.reason,
      ...(l.reclamation ? { reclamation: toSdkReclamation({ ...l.reclamation, windowNanos: 0 }) } : {}),
    },
    escrowPayment: {
      id: { aid: { scope: 1, xid: `${l.owner}/${l.dseq}` }, xid: `${l.gseq}/${l.oseq}/${l.provider}` },
      state: {
        owner: l.provider,
        state: PAYMENT_STATE[l.state],
        rate: { denom: l.denom, amount: l.priceAtomics.toString() },
        balance: { denom: l.denom, amount: l.balanceAtomics.toString() },
        unsettled: { denom: l.denom, amount: '0' },
        withdrawn: { denom: l.denom, amount: l.withdrawn.toString() },
      },
    },
  };
}

/** Resource quantities travel as sdk.Int (the decimal string's bytes; chain-sdk exposes it as a bigint). */
const val = (n: number) => ({ val: BigInt(n) });

function groupResponse(g: GroupRecord) {
  return {
    id: { owner: g.owner, dseq: g.dseq.toString(), gseq: g.gseq },
    state: g.state === 'paused' ? 2 : 1, // Group.State: open=1, paused=2
    createdAt: g.createdAt.toString(),
    groupSpec: {
      name: g.name,
      requirements: { signedBy: { allOf: [], anyOf: [] }, attributes: [] },
      resources: g.resources.map((r, i) => ({
        resource: {
          id: i + 1,
          cpu: { units: val(r.cpuMilli), attributes: [] },
          memory: { quantity: val(r.memoryBytes), attributes: [] },
          storage: [{ name: 'default', quantity: val(r.storageBytes), attributes: [] }],
          gpu: { units: val(r.gpuUnits), attributes: r.gpuAttributes },
          endpoints: [],
        },
        count: r.count,
        price: { denom: 'uakt', amount: '0' },
      })),
    },
  };
}

export function decodeSimulate(data: Uint8Array): Uint8Array {
  const req = SimulateRequest.decode(data);
  return req.txBytes;
}

export function encodeSimulate(gasUsed: bigint): Uint8Array {
  return SimulateResponse.encode(SimulateResponse.fromPartial({ gasInfo: { gasUsed: gasUsed.toString(), gasWanted: '0' }, result: { data: new Uint8Array(), log: '', events: [], msgResponses: [] } })).finish();
}

export { DEC };
