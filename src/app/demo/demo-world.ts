import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
// The demo's chain and market are the simulation (src/simulation), started in this process: the
// chain node the tests also use (real CometBFT JSON-RPC wire format, verifies signatures) and the
// Console API stand-in.
import { TestChain } from '../../simulation/chain-node/chain.js';
import { ChainNodeServer } from '../../simulation/chain-node/server.js';
import { startMarketApi, type MarketApi } from '../../simulation/market-api/server.js';
import { replayNvidiaSmiRunner } from '../../hardware/nvidia/replay-runner.js';
import type { NvidiaSmiRunner } from '../../hardware/nvidia/nvidia-smi-runner.js';
import { DEMO_CHAIN_ID, demoSeed, type DemoOrder } from './demo-seed.js';
import { DEMO_WORLD_MARKER } from './demo-guard.js';
import { demoFiles, resourcesDir } from './demo-resources.js';
const BLOCK_MS = 6_117;

export interface DemoWorld {
  /** The environment the demo agent runs with: every outside dependency points into the demo. */
  env: NodeJS.ProcessEnv;
  /** A throwaway data folder (deleted on stop): the real RIGLEASE_HOME, wallet and settings are never read. */
  home: string;
  /** Locks the throwaway demo wallet; it protects nothing of value. */
  passphrase: string;
  chainUrl: string;
  marketUrl: string;
  chain: TestChain;
  /** nvidia-smi replaying the shipped real capture in-process (scan, telemetry, gaming mode): no child process. */
  nvidiaSmi: NvidiaSmiRunner;
  /** Funds the demo wallet and puts the provider, leases (at the per-block prices given) and escrow on the demo chain. */
  seed(provider: string, pricePerBlock: (o: DemoOrder) => string): void;
  stop(): Promise<void>;
}

/** Variables of the real world the demo must never follow, whatever the user's shell has set. */
const REAL_WORLD = ['RIGLEASE_HOME', 'RIGLEASE_CHAIN_RPC', 'RIGLEASE_CHAIN_ID', 'RIGLEASE_MARKET_URL', 'DOCKER_HOST', 'DOCKER_CONTEXT', 'DOCKER_CERT_PATH', 'DOCKER_TLS_VERIFY', 'RIGLEASE_NVIDIA_SMI', 'RIGLEASE_PASSPHRASE'];

export interface DemoWorldOptions {
  baseEnv: NodeJS.ProcessEnv;
  /** The package folder (package.json); `resources/` is found from it (demo-resources.ts). */
  appRoot: string;
  /** Electron's process.resourcesPath and app.isPackaged, when the desktop app starts the demo. */
  resourcesPath?: string | undefined;
  isPackaged?: boolean | undefined;
}

/**
 * Starts the simulated world of `riglease serve --demo`: the chain test node and the market
 * stand-in on 127.0.0.1, a throwaway data folder, nvidia-smi replayed in-process from a real
 * capture, and a DOCKER_HOST that points at a socket that cannot exist — so nothing reaches the
 * real Docker engine, the configured chain endpoints or the Console API, even by mistake.
 * Everything it reads ships in resources/demo, so an installed app runs it as well as the repo.
 */
export async function startDemoWorld(opts: DemoWorldOptions): Promise<DemoWorld> {
  const files = demoFiles(resourcesDir(opts));
  const home = await mkdtemp(path.join(os.tmpdir(), 'riglease-demo-'));
  const chain = new TestChain(DEMO_CHAIN_ID);
  const node = new ChainNodeServer(chain);
  let market: MarketApi | null = null;
  let timer: NodeJS.Timeout | null = null;
  try {
    const chainUrl = await node.listen(0, '127.0.0.1');
    // Read from resources/demo at run time (shipped with the app; the bundle has no test/ beside it).
    const json = async (file: string): Promise<unknown> => JSON.parse(await readFile(file, 'utf8')) as unknown;
    market = await startMarketApi({ gpuPrices: await json(files.gpuPrices), marketData: await json(files.marketData) });
    const env: NodeJS.ProcessEnv = { ...opts.baseEnv };
    for (const k of REAL_WORLD) delete env[k];
    for (const k of Object.keys(env)) if (k.startsWith('FAKE_NVIDIA_SMI_')) delete env[k];
    const passphrase = 'riglease-demo-only';
    Object.assign(env, {
      RIGLEASE_HOME: home,
      RIGLEASE_CHAIN_RPC: chainUrl,
      RIGLEASE_CHAIN_ID: DEMO_CHAIN_ID,
      RIGLEASE_MARKET_URL: market.url,
      // Nothing listens here and nothing may: the demo's stack answers are simulated (demo-handlers.ts).
      DOCKER_HOST: `unix://${path.join(home, 'no-docker-in-demo.sock')}`,
      // What the scan reports as nvidia-smi's location: the capture the in-process replay answers from.
      RIGLEASE_NVIDIA_SMI: files.nvidiaXml,
      RIGLEASE_PASSPHRASE: passphrase,
      [DEMO_WORLD_MARKER]: '1',
    });
    // Empty blocks on the live chain's rhythm, so escrow and "earned so far" grow while you watch.
    timer = setInterval(() => chain.advance(1), BLOCK_MS);
    timer.unref();
    const m = market;
    return {
      env,
      home,
      passphrase,
      chainUrl,
      marketUrl: m.url,
      chain,
      nvidiaSmi: replayNvidiaSmiRunner({ xml: files.nvidiaXml }),
      seed: (provider, pricePerBlock) => chain.seed(demoSeed(provider, pricePerBlock)),
      stop: async () => {
        if (timer) clearInterval(timer);
        await Promise.allSettled([node.close(), m.close()]);
        await rm(home, { recursive: true, force: true });
      },
    };
  } catch (err) {
    if (timer) clearInterval(timer);
    await Promise.allSettled([node.close(), market?.close()]);
    await rm(home, { recursive: true, force: true });
    throw err;
  }
}
