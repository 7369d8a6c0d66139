import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Method } from '../../api/contract.js';
import { dispatch } from '../../api/dispatch.js';
import { DEFAULT_RPC } from '../../api/schemas/settings/chain.js';
import { passphraseSecretStore } from '../../store/passphrase-secret-store.js';
import { pathsUnder } from '../../store/paths.js';
import { silentLogger } from '../../util/logger.js';
import { startTestChainNode } from '../../simulation/chain-node/server.js';
import { Agent } from '../agent.js';

const CHAIN_ID = 'riglease-testnode-1';
/** Nothing listens here: a refused connection, fast. */
const DEAD = 'http://127.0.0.1:9';
const PHRASE = 'legal winner thank year wave sausage worth useful legal winner thank yellow';

let node: Awaited<ReturnType<typeof startTestChainNode>>;
const homes: string[] = [];
const agents: Agent[] = [];

beforeAll(async () => {
  node = await startTestChainNode({ chainId: CHAIN_ID });
});
afterEach(async () => {
  for (const a of agents.splice(0)) await a.stop();
});
afterAll(async () => {
  await node?.stop();
  for (const h of homes) await rm(h, { recursive: true, force: true });
});

async function agentWith(env: NodeJS.ProcessEnv): Promise<Agent> {
  const home = await mkdtemp(path.join(os.tmpdir(), 'riglease-chain-handlers-'));
  homes.push(home);
  const agent = new Agent({
    host: 'headless',
    paths: pathsUnder(home),
    secrets: passphraseSecretStore(path.join(home, 'secrets'), async () => 'handler test passphrase'),
    logger: silentLogger,
    version: '0.0.0-test',
    env: { RIGLEASE_HOME: home, PATH: '/nonexistent', RIGLEASE_CHAIN_ID: CHAIN_ID, ...env },
  });
  agents.push(agent);
  return agent;
}

/** Through the contract's dispatch loop, as every host calls it. */
async function call(agent: Agent, method: Method, input: unknown): Promise<{ ok: boolean; value?: any; error?: { code: string; message: string } }> { // eslint-disable-line @typescript-eslint/no-explicit-any -- test reads varied shapes
  return dispatch(agent.handlers, method, input, { via: 'internal' });
}

describe('chain API handlers', () => {
  it('network.get answers without touching the chain; network.set switches network and puts your node first', async () => {
    const agent = await agentWith({ RIGLEASE_CHAIN_RPC: '' });
    const before = await call(agent, 'network.get', {});
    expect(before.value).toMatchObject({ network: 'mainnet', rpcSource: 'settings', rpc: [...DEFAULT_RPC.mainnet] });
    expect(before.value.health.every((h: { healthy: boolean | null }) => h.healthy === null)).toBe(true);
    const after = await call(agent, 'network.set', { network: 'sandbox', customRpc: ['https://my-node.example.com:443'] });
    expect(after.value).toMatchObject({ network: 'sandbox', rpc: ['https://my-node.example.com:443', ...DEFAULT_RPC.sandbox], customRpc: ['https://my-node.example.com:443'] });
    expect((await agent.settings.all()).general.network).toBe('sandbox');
    expect(await call(agent, 'network.set', { customRpc: ['ftp://nope'] })).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
  });

  it('fails over from a dead endpoint to the next one and remembers which is healthy', async () => {
    const agent = await agentWith({ RIGLEASE_CHAIN_RPC: `${DEAD},${node.url}` });
    expect((await call(agent, 'wallet.import', { mnemonic: PHRASE })).ok).toBe(true);
    const status = await call(agent, 'wallet.status', {});
    expect(status.value.balance).toMatchObject({ uakt: '0', chainId: CHAIN_ID });
    const net = await call(agent, 'network.get', {});
    expect(net.value.rpcSource).toBe('env');
    expect(net.value.health).toEqual([
      expect.objectContaining({ url: DEAD, healthy: false }),
      expect.objectContaining({ url: node.url, healthy: true, chainId: CHAIN_ID }),
    ]);
  });

  it('wallet.status keeps the address when the chain is unreachable, with the reason', async () => {
    const agent = await agentWith({ RIGLEASE_CHAIN_RPC: DEAD });
    expect((await call(agent, 'wallet.status', {})).value).toMatchObject({ wallet: { exists: false }, balance: null, balanceError: null });
    await call(agent, 'wallet.import', { mnemonic: PHRASE });
    const s = await call(agent, 'wallet.status', {});
    expect(s.value.wallet.address).toMatch(/^akash1/);
    expect(s.value.balance).toBeNull();
    expect(s.value.balanceError).toMatchObject({ code: 'unavailable', message: expect.stringContaining('could not be reached') });
  });

  it('refuses before starting a task: stale send preview, missing confirmation, update of an unregistered provider', async () => {
    const agent = await agentWith({ RIGLEASE_CHAIN_RPC: node.url });
    await call(agent, 'wallet.import', { mnemonic: PHRASE });
    expect(await call(agent, 'wallet.send', { previewId: 'nope', confirm: true })).toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect(await call(agent, 'provider.update', { dryRun: true })).toMatchObject({ ok: false, error: { code: 'precondition_failed', message: expect.stringContaining('not registered') } });
    const w = await call(agent, 'leases.withdraw', {});
    expect(w.value).toEqual({ dryRun: false, leases: 0, batches: 0, task: null });
    expect(agent.tasks.list()).toEqual([]);
    expect(node.chain.acceptedTxs).toBe(0);
  });

  it('wallet.confirmBackup and wallet.import validate their input through the contract', async () => {
    const agent = await agentWith({ RIGLEASE_CHAIN_RPC: DEAD });
    expect(await call(agent, 'wallet.confirmBackup', { pendingId: 'x', words: [{ position: 1, word: 'a' }] })).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    const bad = await call(agent, 'wallet.import', { mnemonic: PHRASE.replace('yellow', 'yelow') });
    expect(bad).toMatchObject({ ok: false, error: { code: 'invalid_input', message: 'Word 12 is not in the BIP-39 English word list.' } });
  });
});
