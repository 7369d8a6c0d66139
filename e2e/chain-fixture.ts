import { toBech32 } from '@cosmjs/encoding';
import { test as base } from './fixtures.js';
import { startTestChainNode } from '../src/simulation/chain-node/server.js';

export const CHAIN_ID = 'riglease-testnode-1';
/** A tenant address for seeded leases (any valid bech32 will do: tenants never sign here). */
export const TENANT = toBech32('akash', new Uint8Array(20).fill(7));

export type ChainNode = Awaited<ReturnType<typeof startTestChainNode>>;

/**
 * The headless server pointed at a chain test node of its own (RIGLEASE_CHAIN_RPC), started
 * and stopped with each test; the wallet passphrase comes from the env as headless users give it.
 */
export function chainTest(passphrase: string) {
  return base.extend<{ chain: ChainNode }>({
    chain: async ({}, use) => {
      const node = await startTestChainNode({ chainId: CHAIN_ID });
      try {
        await use(node);
      } finally {
        await node.stop();
      }
    },
    serverEnv: async ({ chain }, use) => {
      await use({ RIGLEASE_CHAIN_RPC: chain.url, RIGLEASE_CHAIN_ID: CHAIN_ID, RIGLEASE_PASSPHRASE: passphrase });
    },
  });
}
