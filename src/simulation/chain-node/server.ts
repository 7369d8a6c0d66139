import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { TestChain } from './chain.js';
import { ChainError } from './errors.js';
import { decodeSimulate, encodeSimulate } from './queries.js';

const VERSION = '0.38.17';
const hex = (n: number) => '0'.repeat(n);

/**
 * TEST TOOL — CometBFT JSON-RPC over HTTP POST (the transport cosmjs' HttpClient uses):
 * status, abci_query, broadcast_tx_sync, tx, block. Plus `POST /_test/seed` and
 * `POST /_test/advance` for tests and the demo.
 */
export class ChainNodeServer {
  private server: Server | null = null;
  constructor(readonly chain: TestChain) {}

  async listen(port = 0, host = '127.0.0.1'): Promise<string> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(port, host, resolve));
    const addr = this.server.address() as AddressInfo;
    return `http://${host}:${addr.port}`;
  }

  async close(): Promise<void> {
    const s = this.server;
    this.server = null;
    if (!s) return;
    s.closeAllConnections();
    await new Promise<void>((resolve) => s.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readBody(req);
    if (req.url?.startsWith('/_test/')) return this.control(req.url, body, res);
    let rpc: { id?: unknown; method?: string; params?: Record<string, unknown> };
    try {
      rpc = JSON.parse(body || '{}');
    } catch {
      return send(res, { jsonrpc: '2.0', id: -1, error: { code: -32700, message: 'Parse error' } });
    }
    const id = rpc.id ?? -1;
    try {
      const result = await this.dispatch(rpc.method ?? '', rpc.params ?? {});
      send(res, { jsonrpc: '2.0', id, result });
    } catch (err) {
      send(res, { jsonrpc: '2.0', id, error: { code: -32603, message: 'Internal error', data: (err as Error).message } });
    }
  }

  private async dispatch(method: string, params: Record<string, unknown>): Promise<unknown> {
    const s = this.chain.state;
    switch (method) {
      case 'status':
        return this.status();
      case 'abci_query': {
        const path = String(params['path'] ?? '');
        const data = Buffer.from(String(params['data'] ?? ''), 'hex');
        try {
          const value =
            path === '/cosmos.tx.v1beta1.Service/Simulate'
              ? encodeSimulate((await this.chain.simulate(decodeSimulate(data))).gasUsed)
              : this.chain.query(path, data);
          return { response: { code: 0, log: '', info: '', index: '0', key: null, value: Buffer.from(value).toString('base64'), proofOps: null, height: String(s.height), codespace: '' } };
        } catch (err) {
          if (!(err instanceof ChainError)) throw err;
          return { response: { code: err.code, log: err.log, info: '', index: '0', key: null, value: null, proofOps: null, height: String(s.height), codespace: err.codespace } };
        }
      }
      case 'broadcast_tx_sync': {
        const tx = Buffer.from(String(params['tx'] ?? ''), 'base64');
        const r = await this.chain.broadcast(new Uint8Array(tx));
        return { code: r.code, data: '', log: r.log, codespace: r.codespace, hash: r.hash };
      }
      case 'tx_search': {
        // Only the form stock cosmjs uses to poll for a tx: tx.hash='…'.
        const m = /^tx\.hash\s*=\s*'([0-9A-Fa-f]{64})'$/.exec(String(params['query'] ?? ''));
        if (!m) throw new Error('the test node only answers tx_search for tx.hash');
        const tx = this.chain.getTx(m[1]!.toUpperCase());
        return { txs: tx ? [this.txJson(tx.hash)] : [], total_count: tx ? '1' : '0' };
      }
      case 'tx': {
        const raw = String(params['hash'] ?? '');
        const hash = /^[0-9a-fA-F]{64}$/.test(raw) ? raw.toUpperCase() : Buffer.from(raw, 'base64').toString('hex').toUpperCase();
        return this.txJson(hash);
      }
      case 'block': {
        const want = params['height'] ? Number(params['height']) : s.height;
        if (!Number.isInteger(want) || want < 1 || want > s.height) throw new Error(`height ${want} must be less than or equal to the current blockchain height ${s.height}`);
        // Only the last 1000 blocks are kept; older ones are pruned, as on a pruning node (same error).
        const b = s.blocks.find((x) => x.height === want);
        if (!b) throw new Error(`height ${want} is not available, lowest height is ${s.blocks[0]?.height ?? s.height}`);
        const txs = b.txHashes.map((h) => this.chain.getTx(h)).filter((t) => t !== null).map((t) => Buffer.from(t.tx).toString('base64'));
        const id = { hash: b.hash.padStart(64, '0').toUpperCase(), parts: { total: 1, hash: hex(64) } };
        return {
          block_id: id,
          block: {
            header: {
              version: { block: '11', app: '0' },
              chain_id: s.chainId,
              height: String(b.height),
              time: b.time.toISOString(),
              last_block_id: id,
              last_commit_hash: hex(64),
              data_hash: hex(64),
              validators_hash: hex(64),
              next_validators_hash: hex(64),
              consensus_hash: hex(64),
              app_hash: hex(64),
              last_results_hash: hex(64),
              evidence_hash: hex(64),
              proposer_address: hex(40),
            },
            data: { txs },
            evidence: { evidence: [] },
            last_commit: { height: String(Math.max(0, b.height - 1)), round: 0, block_id: id, signatures: [] },
          },
        };
      }
      default:
        throw new Error(`method ${method} is not served by the RigLease chain test node`);
    }
  }

  private txJson(hash: string): unknown {
    const tx = this.chain.getTx(hash);
    if (!tx) throw new Error(`tx (${hash}) not found`);
    return {
      hash: tx.hash,
      height: String(tx.height),
      index: tx.index,
      tx_result: { code: tx.code, data: '', log: tx.log, info: '', gas_wanted: tx.gasWanted.toString(), gas_used: tx.gasUsed.toString(), events: tx.events, codespace: tx.codespace },
      tx: Buffer.from(tx.tx).toString('base64'),
    };
  }

  private status(): unknown {
    const s = this.chain.state;
    const last = s.blocks[s.blocks.length - 1];
    return {
      node_info: {
        protocol_version: { p2p: '8', block: '11', app: '0' },
        id: 'ab'.repeat(20),
        listen_addr: 'tcp://127.0.0.1:26656',
        network: s.chainId,
        version: VERSION,
        channels: '40202122233038606100',
        moniker: 'riglease-chain-test-node',
        other: { tx_index: 'on', rpc_address: 'tcp://127.0.0.1:26657' },
      },
      sync_info: {
        latest_block_hash: (last?.hash ?? hex(64)).padStart(64, '0'),
        latest_app_hash: 'ab'.repeat(32),
        latest_block_height: String(s.height),
        latest_block_time: (last?.time ?? new Date()).toISOString(),
        earliest_block_hash: hex(64),
        earliest_app_hash: hex(64),
        earliest_block_height: '1',
        earliest_block_time: new Date(0).toISOString(),
        catching_up: false,
      },
      validator_info: { address: 'cd'.repeat(20), pub_key: { type: 'tendermint/PubKeyEd25519', value: Buffer.alloc(32, 7).toString('base64') }, voting_power: '0' },
    };
  }

  private control(url: string, body: string, res: ServerResponse): void {
    try {
      const input: unknown = body ? JSON.parse(body) : {};
      if (url.startsWith('/_test/seed')) this.chain.seed(input);
      else if (url.startsWith('/_test/advance')) {
        const { blocks, blockSeconds } = input as { blocks?: number; blockSeconds?: number };
        this.chain.advance(Number(blocks ?? 1), blockSeconds === undefined ? {} : { blockSeconds: Number(blockSeconds) });
      }
      else throw new Error(`unknown control path ${url}`);
      send(res, { ok: true, height: this.chain.state.height });
    } catch (err) {
      res.statusCode = 400;
      send(res, { ok: false, error: (err as Error).message });
    }
  }
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, body: unknown): void {
  res.setHeader('content-type', 'application/json');
  res.end(JSON.stringify(body));
}

/** Starts a node in this process (tests): returns its URL and a stop function. */
export async function startTestChainNode(opts: { chainId?: string; seed?: unknown; port?: number } = {}): Promise<{ url: string; chain: TestChain; stop: () => Promise<void> }> {
  const chain = new TestChain(opts.chainId);
  if (opts.seed) chain.seed(opts.seed);
  const server = new ChainNodeServer(chain);
  const url = await server.listen(opts.port ?? 0);
  return { url, chain, stop: () => server.close() };
}
