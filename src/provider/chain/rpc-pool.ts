import { Comet38Client, HttpClient } from '@cosmjs/tendermint-rpc';
import { RigError } from '../../api/errors.js';
import type { Logger } from '../../util/logger.js';

export interface EndpointHealth {
  url: string;
  healthy: boolean | null;
  lastError: string | null;
  lastOkAt: string | null;
  failures: number;
  chainId: string | null;
}

interface Slot {
  health: EndpointHealth;
  client: Comet38Client | null;
  failedAt: number;
}

/** Health remembered from an earlier run, and where to report changes (EndpointHealthStore). */
export interface HealthMemory {
  initial: ReadonlyMap<string, EndpointHealth & { failedAt: number }>;
  save(entries: (EndpointHealth & { failedAt: number })[]): void;
}

/** A transport problem (node down, timeout, 5xx), as opposed to the chain answering "no". */
export function isTransportError(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  if (err.name === 'AbortError' || err.name === 'TimeoutError') return true;
  return /fetch failed|Bad status on response|ECONNREFUSED|ECONNRESET|ENOTFOUND|EAI_AGAIN|socket hang up|timed? ?out|Unexpected token|invalid json|network/i.test(
    `${err.message} ${(err as { cause?: { code?: string } }).cause?.code ?? ''}`,
  );
}

/**
 * CometBFT RPC with failover: endpoints are tried in order (healthy ones first), each gets a
 * timeout, a failure moves on to the next and is remembered, and every node's chain id is
 * checked before it is used — a node on the wrong chain is never asked anything else.
 */
export class RpcPool {
  private readonly slots: Slot[];

  constructor(
    urls: readonly string[],
    private readonly chainId: string,
    private readonly timeoutMs: number,
    private readonly logger: Logger,
    private readonly memory?: HealthMemory,
  ) {
    if (urls.length === 0) throw new RigError('precondition_failed', 'No chain RPC endpoint is configured.', 'Add one under Wallet → Network, or set RIGLEASE_CHAIN_RPC.');
    this.slots = urls.map((url) => {
      const known = memory?.initial.get(url);
      // A node remembered on another chain id is not trusted for this one: it starts untried.
      const usable = known && (known.chainId === null || known.chainId === chainId || known.healthy === false);
      return {
        health: usable ? { url, healthy: known.healthy, lastError: known.lastError, lastOkAt: known.lastOkAt, failures: known.failures, chainId: known.chainId } : { url, healthy: null, lastError: null, lastOkAt: null, failures: 0, chainId: null },
        client: null,
        failedAt: usable ? known.failedAt : 0,
      };
    });
  }

  private remember(): void {
    this.memory?.save(this.slots.map((s) => ({ ...s.health, failedAt: s.failedAt })));
  }

  health(): EndpointHealth[] {
    return this.slots.map((s) => ({ ...s.health }));
  }

  /** Runs `fn` against the first endpoint that answers on the right chain. */
  async run<T>(what: string, fn: (client: Comet38Client, url: string) => Promise<T>): Promise<T> {
    const order = [...this.slots].sort((a, b) => rank(a) - rank(b));
    const problems: string[] = [];
    let wrongChain: string | null = null;
    for (const slot of order) {
      try {
        const client = await this.connect(slot);
        const value = await fn(client, slot.health.url);
        const changed = slot.health.healthy !== true;
        slot.health.healthy = true;
        slot.health.lastOkAt = new Date().toISOString();
        slot.health.lastError = null;
        // Saved when an endpoint turns healthy, not on every answer: the file changes only with the state.
        if (changed) this.remember();
        return value;
      } catch (err) {
        if (err instanceof RigError && err.code === 'precondition_failed' && err.message.includes('chain id')) {
          wrongChain = err.message;
          this.markBad(slot, err.message);
          continue;
        }
        if (!isTransportError(err)) throw err;
        const msg = err instanceof Error ? err.message : String(err);
        this.markBad(slot, msg);
        problems.push(`${slot.health.url}: ${msg}`);
        this.logger.warn('chain endpoint failed, trying the next one', { what, url: slot.health.url, error: msg });
      }
    }
    if (wrongChain && problems.length === 0) throw new RigError('precondition_failed', wrongChain, 'Pick a node of this network under Wallet → Network (or fix RIGLEASE_CHAIN_RPC).');
    throw new RigError(
      'unavailable',
      `The Akash chain could not be reached (${what}): every RPC endpoint failed. ${problems.join('; ')}${wrongChain ? `; ${wrongChain}` : ''}`,
      'Check the internet connection, or add a working RPC node under Wallet → Network (or RIGLEASE_CHAIN_RPC).',
    );
  }

  disconnect(): void {
    for (const s of this.slots) {
      s.client?.disconnect();
      s.client = null;
    }
  }

  private async connect(slot: Slot): Promise<Comet38Client> {
    if (slot.client) return slot.client;
    const client = Comet38Client.create(new HttpClient(slot.health.url, this.timeoutMs));
    const status = await client.status();
    const network = status.nodeInfo.network;
    slot.health.chainId = network;
    if (network !== this.chainId) {
      client.disconnect();
      throw new RigError('precondition_failed', `The node ${slot.health.url} is on chain id "${network}", not "${this.chainId}".`);
    }
    slot.client = client;
    return client;
  }

  private markBad(slot: Slot, msg: string): void {
    slot.health.healthy = false;
    slot.health.lastError = msg;
    slot.health.failures++;
    slot.failedAt = Date.now();
    slot.client?.disconnect();
    slot.client = null;
    this.remember();
  }
}

/** Healthy or untried first (keeping configured order), then failed ones, least recently failed first. */
function rank(s: Slot): number {
  return s.health.healthy === false ? 1e15 + s.failedAt : 0;
}
