import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { toBech32 } from '@cosmjs/encoding';
import { afterAll, beforeAll } from 'vitest';
import { ChainSettings } from '../../src/api/schemas/settings/chain.js';
import { createChainService, generateMnemonic, type ChainService } from '../../src/provider/chain/index.js';
import { startTestChainNode } from '../../src/simulation/chain-node/server.js';
import { passphraseSecretStore } from '../../src/store/passphrase-secret-store.js';
import { silentLogger } from '../../src/util/logger.js';

/** The chain id the test node answers with; the service is told the same, as a real config would. */
export const TEST_CHAIN_ID = 'riglease-testnode-1';
/** What the frame's secret store is locked with (a test that reveals the phrase types it). */
export const TEST_PASSPHRASE = 'test passphrase 1';

type TestChainNode = Awaited<ReturnType<typeof startTestChainNode>>;
export type TestChain = TestChainNode['chain'];

/** An account that is not the provider's (a tenant, another provider): 20 bytes of `fill`. */
export function testAccount(fill: number): string {
  return toBech32('akash', new Uint8Array(20).fill(fill));
}

export interface ChainTestFrameOptions {
  /** Names the temporary home (`riglease-<name>-…`). */
  name: string;
  /** What the service reads as `settings.chain`; default: only a 5 s tx timeout. */
  chain?: ChainSettings;
  /** Imports a fresh provider wallet and funds it with this many uakt; without it there is no wallet yet. */
  fundUakt?: bigint;
}

export interface ChainTestFrame {
  /** The chain test node's state: seed, advance, fund, read balances and txs. */
  readonly chain: TestChain;
  /** The real chain service (cosmjs, chain-sdk) talking JSON-RPC to the node. */
  readonly svc: ChainService;
  /** The provider wallet's address (only with `fundUakt`). */
  readonly provider: string;
}

/**
 * What every chain scenario starts from: the chain test node on a free port, a ChainService on
 * it with its own temporary home, and (with `fundUakt`) a funded provider wallet. Call it first
 * in a `describe`: its beforeAll runs before the scenario's own, which seeds the leases; afterAll
 * stops both and removes the home. The fields can be read from hooks and tests, not before.
 */
export function useChainTestFrame(options: ChainTestFrameOptions): ChainTestFrame {
  let node: TestChainNode | undefined;
  let svc: ChainService | undefined;
  let home: string | undefined;
  let provider = '';

  beforeAll(async () => {
    node = await startTestChainNode({ chainId: TEST_CHAIN_ID });
    home = await mkdtemp(path.join(os.tmpdir(), `riglease-${options.name}-`));
    const chain = options.chain ?? ChainSettings.parse({ txTimeoutMs: 5000 });
    svc = createChainService({
      secrets: passphraseSecretStore(path.join(home, 'secrets'), async () => TEST_PASSPHRASE),
      stateDir: path.join(home, 'state'),
      env: { RIGLEASE_CHAIN_RPC: node.url, RIGLEASE_CHAIN_ID: TEST_CHAIN_ID },
      logger: silentLogger,
      settings: async () => ({ network: 'mainnet', chain }),
    });
    if (options.fundUakt !== undefined) {
      await svc.wallet.importMnemonic(generateMnemonic(), false);
      provider = await svc.wallet.address();
      node.chain.fund(provider, 'uakt', options.fundUakt);
    }
  });
  afterAll(async () => {
    svc?.stop();
    await node?.stop();
    if (home) await rm(home, { recursive: true, force: true, maxRetries: 3 });
  });

  const started = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('The chain test frame starts in beforeAll: read it inside a hook or a test.');
    return value;
  };
  return {
    get chain() {
      return started(node).chain;
    },
    get svc() {
      return started(svc);
    },
    get provider() {
      started(svc);
      return provider;
    },
  };
}
