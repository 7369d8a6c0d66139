import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type Docker from 'dockerode';
import { Agent } from '../../src/app/agent.js';
import { generateMnemonic } from '../../src/provider/chain/mnemonic.js';
import { passphraseSecretStore } from '../../src/store/passphrase-secret-store.js';
import { pathsUnder } from '../../src/store/paths.js';
import { fileLogger } from '../../src/util/logger.js';
import { startTestChainNode } from '../../src/simulation/chain-node/server.js';
import { fakeNvidiaSmiEnv } from '../fake-nvidia-smi/index.js';
import { cleanup, freePortRun, stackStandIn } from './stack-env.js';

export interface CertHandoffEnv {
  agent: Agent;
  node: Awaited<ReturnType<typeof startTestChainNode>>;
  home: string;
  mnemonic: string;
  address: string;
  stop(): Promise<void>;
}

/**
 * Test tool for the provider-certificate hand-off tests: a CLI-host Agent (no timers: a test calls
 * the one-minute check itself) on a fresh RIGLEASE_HOME, the k3s stand-in image, free ports, a
 * provider host `https://provider.<domain>:8443`, and an imported wallet funded on a new chain test node.
 */
export async function certHandoffEnv(docker: Docker, dockerHost: string, o: { prefix: string; domain: string; passphrase: string; chainId?: string }): Promise<CertHandoffEnv> {
  const chainId = o.chainId ?? 'riglease-testnode-1';
  const node = await startTestChainNode({ chainId });
  const home = await mkdtemp(path.join(os.tmpdir(), `riglease-${o.prefix}-`));
  const env = { ...fakeNvidiaSmiEnv({ xml: 'rtx4090_535.86.05_1gpu.xml' }), RIGLEASE_HOME: home, DOCKER_HOST: dockerHost, RIGLEASE_CHAIN_RPC: node.url, RIGLEASE_CHAIN_ID: chainId };
  const paths = pathsUnder(home);
  const agent = new Agent({ host: 'cli', paths, secrets: passphraseSecretStore(paths.secretsDir, async () => o.passphrase), logger: fileLogger(paths.logsDir, 'cli'), version: '0.0.0-test', env });
  const base = await freePortRun(4);
  const standIn = await stackStandIn(docker);
  await agent.settings.update((s) => {
    s.stack.namePrefix = o.prefix;
    s.stack.images.k3s = standIn;
    s.stack.gpus = [];
    s.chain.provider = { ...s.chain.provider, hostUri: `https://provider.${o.domain}:8443`, email: `ops@${o.domain}`, locationRegion: 'eu-central', country: 'DE', memoryType: 'ddr5' };
    s.stack.ports = { http: base, https: base + 1, gateway: base + 2, grpc: base + 3, nodePortStart: base + 4, nodePortCount: 0 };
    s.stack.readyTimeoutSec = 0;
    s.stack.minFreeDiskGiB = 0;
  });
  const mnemonic = generateMnemonic();
  const address = (await (await agent.chain()).wallet.importMnemonic(mnemonic, false)).address!;
  node.chain.fund(address, 'uakt', 50_000_000n);
  return {
    agent,
    node,
    home,
    mnemonic,
    address,
    stop: async () => {
      await agent.stop();
      await node.stop();
      await cleanup(docker, o.prefix);
      await rm(home, { recursive: true, force: true });
    },
  };
}
