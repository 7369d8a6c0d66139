import { sha256 } from '@cosmjs/crypto';
import { toHex } from '@cosmjs/encoding';
import type { Comet38Client } from '@cosmjs/tendermint-rpc';
import { BaseAccount, QueryAccountRequest, QueryAccountResponse, QueryAllBalancesRequest, QueryAllBalancesResponse } from '@akashnetwork/chain-sdk/private-types/cosmos.v1beta1';
import { RigError } from '../../api/errors.js';
import type { Logger } from '../../util/logger.js';
import type { NetworkProfile } from './network.js';
import { RpcPool, type EndpointHealth, type HealthMemory } from './rpc-pool.js';

/** The chain said no to a query (as opposed to the node being unreachable). */
export class ChainQueryError extends Error {
  constructor(readonly path: string, readonly code: number, readonly log: string) {
    super(`query ${path} failed with code ${code}: ${log}`);
  }
  get notFound(): boolean {
    return /not ?found/i.test(this.log);
  }
}

export interface TxResult {
  hash: string;
  height: number;
  code: number;
  codespace: string;
  log: string;
  gasUsed: bigint;
  gasWanted: bigint;
  /** The tx's events (type, attributes as text); absent where a node gave none. */
  events?: { type: string; attributes: { key: string; value: string }[] }[];
}

export interface Coin {
  denom: string;
  amount: string;
}

/**
 * Read side of the chain plus raw broadcast, over the failover pool. Queries go through
 * `abci_query` with gRPC method paths and chain-sdk protobuf types, so what is asked and what
 * is decoded is the real wire format.
 */
export class ChainClient {
  readonly pool: RpcPool;

  constructor(readonly profile: NetworkProfile, logger: Logger, memory?: HealthMemory) {
    this.pool = new RpcPool(profile.rpc, profile.chainId, profile.requestTimeoutMs, logger, memory);
  }

  health(): EndpointHealth[] {
    return this.pool.health();
  }

  run<T>(what: string, fn: (c: Comet38Client) => Promise<T>): Promise<T> {
    return this.pool.run(what, fn);
  }

  async query(path: string, data: Uint8Array): Promise<Uint8Array> {
    return this.pool.run(path, async (c) => {
      const res = await c.abciQuery({ path, data });
      if ((res.code ?? 0) !== 0) throw new ChainQueryError(path, res.code ?? 1, res.log ?? '');
      return res.value;
    });
  }

  async height(): Promise<number> {
    return this.pool.run('status', async (c) => (await c.status()).syncInfo.latestBlockHeight);
  }

  /** A block header's height and time (the `block` RPC); the latest block when no height is given. */
  async blockHeader(height?: number): Promise<{ height: number; timeMs: number }> {
    return this.pool.run('block', async (c) => {
      const h = (await c.block(height)).block.header;
      return { height: h.height, timeMs: h.time.getTime() };
    });
  }

  /** Account number and sequence, or null when the address has never received anything. */
  async account(address: string): Promise<{ accountNumber: number; sequence: number } | null> {
    try {
      const bytes = await this.query('/cosmos.auth.v1beta1.Query/Account', QueryAccountRequest.encode({ address }).finish());
      const any = QueryAccountResponse.decode(bytes).account;
      if (!any || any.typeUrl !== '/cosmos.auth.v1beta1.BaseAccount') {
        throw new RigError('precondition_failed', `The account ${address} is a ${any?.typeUrl ?? 'missing'} account; RigLease only signs for plain accounts.`);
      }
      const acc = BaseAccount.decode(any.value);
      return { accountNumber: Number(acc.accountNumber.toString()), sequence: Number(acc.sequence.toString()) };
    } catch (err) {
      if (err instanceof ChainQueryError && err.notFound) return null;
      throw err;
    }
  }

  async balances(address: string): Promise<Coin[]> {
    const bytes = await this.query('/cosmos.bank.v1beta1.Query/AllBalances', QueryAllBalancesRequest.encode(QueryAllBalancesRequest.fromPartial({ address })).finish());
    return QueryAllBalancesResponse.decode(bytes).balances.map((c) => ({ denom: c.denom, amount: c.amount }));
  }

  async broadcastSync(tx: Uint8Array): Promise<{ code: number; log: string; codespace: string; hash: string }> {
    return this.pool.run('broadcast', async (c) => {
      const r = await c.broadcastTxSync({ tx });
      return { code: r.code, log: r.log ?? '', codespace: r.codespace ?? '', hash: toHex(r.hash).toUpperCase() };
    });
  }

  /** A tx by hash, or null when no node knows it (yet). */
  async tx(hash: string): Promise<TxResult | null> {
    try {
      return await this.pool.run('tx', async (c) => {
        const r = await c.tx({ hash: fromHexUpper(hash) });
        return {
          hash,
          height: r.height,
          code: r.result.code,
          codespace: r.result.codespace ?? '',
          log: r.result.log ?? '',
          gasUsed: r.result.gasUsed,
          gasWanted: r.result.gasWanted,
          events: r.result.events.map((e) => ({ type: e.type, attributes: e.attributes.map((a) => ({ key: String(a.key), value: String(a.value) })) })),
        };
      });
    } catch (err) {
      if (err instanceof Error && /not found/i.test(err.message)) return null;
      throw err;
    }
  }

  disconnect(): void {
    this.pool.disconnect();
  }
}

export function txHashOf(tx: Uint8Array): string {
  return toHex(sha256(tx)).toUpperCase();
}

function fromHexUpper(hash: string): Uint8Array {
  return Uint8Array.from(Buffer.from(hash, 'hex'));
}
