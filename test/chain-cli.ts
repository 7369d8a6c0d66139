import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { toBech32 } from '@cosmjs/encoding';
import { afterAll, beforeAll } from 'vitest';
import { bundleCli, PACKAGE_ROOT } from './cli-bundle.js';
import { startTestChainNode } from '../src/simulation/chain-node/server.js';

export const TEST_CHAIN_ID = 'riglease-testnode-1';
/** A tenant address for seeded leases (tenants never sign in these tests). */
export const TEST_TENANT = toBech32('akash', new Uint8Array(20).fill(7));

export type ChainNode = Awaited<ReturnType<typeof startTestChainNode>>;

export interface ChainCli {
  /** The bundled `riglease` entry (dist-like, see bundleCli). */
  readonly main: string;
  readonly node: ChainNode;
  /** A fresh RIGLEASE_HOME for this file's runs. */
  readonly home: string;
}

/**
 * For a CLI test file that drives the real `riglease` against the chain test node: bundles the
 * CLI, starts a node and makes a data folder before the file's tests, and removes them after.
 * Call at the top of the file; read the fields inside tests.
 */
export function useChainCli(name: string): ChainCli {
  const bundleDir = path.join(PACKAGE_ROOT, 'node_modules', '.cache', `riglease-${name}-${process.pid}`);
  let node: ChainNode | null = null;
  let home = '';
  beforeAll(async () => {
    await bundleCli(bundleDir);
    node = await startTestChainNode({ chainId: TEST_CHAIN_ID });
    home = await mkdtemp(path.join(os.tmpdir(), `riglease-${name}-`));
  });
  afterAll(async () => {
    await node?.stop();
    await rm(bundleDir, { recursive: true, force: true });
    if (home) await rm(home, { recursive: true, force: true });
  });
  return {
    main: path.join(bundleDir, 'cli.js'),
    get node() {
      if (!node) throw new Error('the chain test node is not started yet (use it inside a test)');
      return node;
    },
    get home() {
      return home;
    },
  };
}
