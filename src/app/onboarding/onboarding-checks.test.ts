import { mkdtemp, rm } from 'node:fs/promises';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateMnemonic } from '../../provider/chain/mnemonic.js';
import { passphraseSecretStore } from '../../store/passphrase-secret-store.js';
import { pathsUnder } from '../../store/paths.js';
import { silentLogger } from '../../util/logger.js';
import { fakeNvidiaSmiEnv } from '../../../test/fake-nvidia-smi/index.js';
import { TEST_DOCKER_HOST } from '../../../test/docker/engine.js';
import { startTestChainNode } from '../../simulation/chain-node/server.js';
import { Agent } from '../agent.js';
import { realSeams } from './onboarding-wiring.js';

/**
 * The plugged checks on a real agent: the chain side against the chain test node, prices on
 * the real price model with a real RTX 4090 capture, ports through the bench ports probe
 * against a probe that really connects back.
 */
const CHAIN_ID = 'riglease-testnode-1';
let home: string;
let node: Awaited<ReturnType<typeof startTestChainNode>>;
let agent: Agent;
let seams: ReturnType<typeof realSeams>;

beforeAll(async () => {
  home = await mkdtemp(path.join(os.tmpdir(), 'riglease-onboarding-checks-'));
  node = await startTestChainNode({ chainId: CHAIN_ID });
  const paths = pathsUnder(home);
  agent = new Agent({
    host: 'cli',
    paths,
    secrets: passphraseSecretStore(paths.secretsDir, async () => 'onboarding-checks-pass'),
    logger: silentLogger,
    version: '0.0.0-test',
    env: { ...fakeNvidiaSmiEnv({ xml: 'rtx4090_535.86.05_1gpu.xml' }), RIGLEASE_HOME: home, DOCKER_HOST: TEST_DOCKER_HOST, RIGLEASE_CHAIN_RPC: node.url, RIGLEASE_CHAIN_ID: CHAIN_ID },
  });
  await agent.settings.update((d) => {
    d.chain.requestTimeoutMs = 2000;
  });
  seams = realSeams(agent.onboardingDeps());
});
afterAll(async () => {
  await agent?.stop();
  await node?.stop();
  if (home) await rm(home, { recursive: true, force: true });
});

describe('wallet check', () => {
  it('asks for a wallet, then names the exact shortfall, then passes once funded', async () => {
    expect(await seams.wallet()).toEqual({ state: 'todo', reason: expect.stringContaining('No wallet yet') });
    const info = await (await agent.chain()).wallet.importMnemonic(generateMnemonic(), false);
    const empty = await seams.wallet();
    expect(empty.state).toBe('todo');
    // The chain's own shortfall: fees for 3 txs + one bid deposit + the minimum balance.
    expect(empty.state === 'todo' && empty.reason).toContain('Add 1.5225 AKT');
    expect(empty.state === 'todo' && empty.reason).toContain(info.address!);
    node.chain.fund(info.address!, 'uakt', 1_000_000n);
    const part = await seams.wallet();
    expect(part.state === 'todo' && part.reason).toContain('send at least 0.5225 AKT');
    node.chain.fund(info.address!, 'uakt', 600_000n);
    expect(await seams.wallet()).toEqual({ state: 'done' });
  }, 30_000);

  it('an unreachable chain is a failure that says why, not a pass', async () => {
    const dead = await startTestChainNode({ chainId: 'some-other-chain' });
    await dead.stop();
    const other = new Agent({ ...agent.deps, env: { ...agent.env, RIGLEASE_CHAIN_RPC: dead.url } });
    try {
      const r = await realSeams(other.onboardingDeps()).wallet();
      expect(r.state).toBe('failed');
      expect(r.state === 'failed' && r.reason).toMatch(/balance of akash1\w+ could not be read/);
    } finally {
      await other.stop();
    }
  }, 30_000);
});

describe('pricing check', () => {
  it('shows this rig’s price, its power floor and the monthly estimate, and passes only once confirmed', async () => {
    const before = await seams.pricing(false);
    expect(before.state).toBe('todo');
    const reason = before.state === 'todo' ? before.reason : '';
    // RTX 4090 at the default $0.3/h; floor = (450 W limit + 80 W rig) × $0.15/kWh = $0.0795/h.
    expect(reason).toMatch(/rtx4090\S* at \$0\.3\/h \(power floor \$0\.0795\/h\)/);
    expect(reason).toMatch(/about \$\d+\.\d\d a month after electricity at 50% rented/);
    // No market fetched in this agent: it says it cannot tell, rather than guessing.
    expect(reason).toContain("No market data yet (the Akash market has not been reached): we can't tell if $0.3/h wins orders for RTX 4090 24Gi.");
    expect(await seams.pricing(true)).toEqual({ state: 'done' });
  }, 30_000);

  it('a price below the power floor is not accepted even when confirmed', async () => {
    await agent.pricing.set({ allowBelowFloor: true, defaultGpuUsdPerHour: 0.05 });
    try {
      const r = await seams.pricing(true);
      expect(r.state).toBe('todo');
      expect(r.state === 'todo' && r.reason).toMatch(/at \$0\.05\/h is below its power floor of \$0\.0795\/h/);
    } finally {
      await agent.pricing.set({ allowBelowFloor: false, defaultGpuUsdPerHour: 0.3 });
    }
  }, 30_000);
});

/** A port probe that really connects: external port → a port on this machine (the "router"). */
async function connectBackProbe(forward: Map<number, number>): Promise<{ url: string; close: () => Promise<void> }> {
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      const { ports } = JSON.parse(body) as { ports: number[] };
      void Promise.all(ports.map(async (port) => ({ port, open: await connects(forward.get(port)) }))).then((results) => res.end(JSON.stringify({ ip: '203.0.113.7', results })));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as net.AddressInfo;
  return { url: `http://127.0.0.1:${port}/probe`, close: () => new Promise((r) => server.close(() => r())) };
}

function connects(port: number | undefined): Promise<boolean> {
  if (port === undefined) return Promise.resolve(false);
  return new Promise((resolve) => {
    const s = net.connect({ port, host: '127.0.0.1' });
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

describe('network check', () => {
  it('needs the domain, then a host URI that matches it', async () => {
    expect((await seams.network(false)).state).toBe('todo');
    await agent.settings.update((d) => {
      d.stack.domain = 'rig.example.org';
      d.chain.provider.hostUri = 'https://provider.other.example.org:8443';
    });
    const r = await seams.network(true);
    expect(r.state === 'todo' && r.reason).toContain('should be https://provider.rig.example.org:8443');
  });

  it('without a probe the ports are "not tested" until the person accepts that', async () => {
    await agent.settings.update((d) => {
      d.chain.provider.hostUri = 'https://provider.rig.example.org:8443';
      d.bench.network.portProbeUrl = '';
    });
    const r = await seams.network(false);
    expect(r.state).toBe('todo');
    expect(r.state === 'todo' && r.reason).toMatch(/^Ports 80, 443, 8443, 8444 not tested: no outside probe configured/);
    expect(r.state === 'todo' && r.reason).toContain('Accept to continue without the test');
    expect(await seams.network(true)).toEqual({ state: 'done' });
  });

  it('with a probe, closed ports fail naming them; once they answer, the step passes without any acceptance', async () => {
    const listeners: net.Server[] = [];
    const forward = new Map<number, number>();
    for (const external of [80, 443, 8443, 8444]) {
      const s = net.createServer((c) => c.destroy());
      await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
      listeners.push(s);
      forward.set(external, (s.address() as net.AddressInfo).port);
    }
    // 8443 and 8444 are forwarded by the "router" to ports nothing listens on yet.
    const gateway = forward.get(8443)!;
    const grpc = forward.get(8444)!;
    await Promise.all(listeners.splice(2).map((s) => new Promise((r) => s.close(r))));
    const probe = await connectBackProbe(forward);
    try {
      await agent.settings.update((d) => {
        d.bench.network.portProbeUrl = probe.url;
        d.bench.network.timeoutMs = 2000;
      });
      const closed = await seams.network(true);
      expect(closed.state).toBe('failed');
      expect(closed.state === 'failed' && closed.reason).toMatch(/^Ports 8443, 8444 are not reachable from the internet \(checked from outside against 203\.0\.113\.7\)/);
      for (const port of [gateway, grpc]) {
        const s = net.createServer((c) => c.destroy());
        await new Promise<void>((r) => s.listen(port, '127.0.0.1', r));
        listeners.push(s);
      }
      expect(await seams.network(false)).toEqual({ state: 'done' });
    } finally {
      await probe.close();
      await Promise.all(listeners.map((s) => new Promise((r) => s.close(r))));
      await agent.settings.update((d) => {
        d.bench.network.portProbeUrl = '';
      });
    }
  });
});
