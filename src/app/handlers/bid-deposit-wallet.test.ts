import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Method } from '../../api/contract.js';
import { dispatch } from '../../api/dispatch.js';
import { passphraseSecretStore } from '../../store/passphrase-secret-store.js';
import { pathsUnder } from '../../store/paths.js';
import { silentLogger } from '../../util/logger.js';
import { startTestChainNode } from '../../simulation/chain-node/server.js';
import { addressOf } from '../../provider/chain/mnemonic.js';
import { Agent } from '../agent.js';
import { realSeams } from '../onboarding/onboarding-wiring.js';

/**
 * The bid deposit token (settings `stack.bidDepositDenom`) decides which balance must hold the
 * deposit: the wallet's warnings say which token runs short, by how much, and why, against the
 * chain test node (market param bid_min_deposits = 0.5 AKT and 0.5 ACT, as after node v2.0.0).
 */
const CHAIN_ID = 'riglease-testnode-1';
const PHRASE = 'legal winner thank year wave sausage worth useful legal winner thank yellow';

let node: Awaited<ReturnType<typeof startTestChainNode>>;
let home: string;
let agent: Agent;
let address: string;

beforeAll(async () => {
  node = await startTestChainNode({ chainId: CHAIN_ID });
  home = await mkdtemp(path.join(os.tmpdir(), 'riglease-bid-deposit-'));
  agent = new Agent({
    host: 'headless',
    paths: pathsUnder(home),
    secrets: passphraseSecretStore(path.join(home, 'secrets'), async () => 'bid deposit test passphrase'),
    logger: silentLogger,
    version: '0.0.0-test',
    env: { RIGLEASE_HOME: home, PATH: '/nonexistent', RIGLEASE_CHAIN_ID: CHAIN_ID, RIGLEASE_CHAIN_RPC: node.url },
  });
  address = await addressOf(PHRASE);
  expect((await call('wallet.import', { mnemonic: PHRASE })).ok).toBe(true);
  // Enough AKT for the fees, not for a deposit on top.
  node.chain.fund(address, 'uakt', 300_000n);
}, 30_000);
afterAll(async () => {
  await agent?.stop();
  await node?.stop();
  await rm(home, { recursive: true, force: true });
});

async function call(method: Method, input: unknown): Promise<{ ok: boolean; value?: any; error?: { message: string } }> { // eslint-disable-line @typescript-eslint/no-explicit-any -- test reads varied shapes
  return dispatch(agent.handlers, method, input, { via: 'internal' });
}

async function warnings(): Promise<string[]> {
  const s = await call('wallet.status', {});
  expect(s.ok, s.error?.message).toBe(true);
  return s.value.balance.warnings as string[];
}

describe('bid deposit in AKT or ACT', () => {
  it('AKT by default: the AKT short for a deposit is named, with the ACT alternative once the wallet holds ACT', async () => {
    expect((await call('settings.get', { key: 'stack.bidDepositDenom' })).value.value).toBe('uakt');
    const all = await warnings();
    const akt = all.find((w) => /bid deposit/.test(w));
    expect(akt, all.join('\n')).toBeDefined();
    expect(akt).toMatch(/^Add 0\.\d+ AKT for the bid deposit: the provider is set to pay each bid's deposit of 0\.5 AKT in AKT, on top of the fees\. Each bid the provider places holds this deposit until the bid closes/);
    node.chain.fund(address, 'uact', 2_000_000n);
    expect((await warnings()).find((w) => /bid deposit/.test(w))).toContain('Or pay deposits in ACT instead (Settings → Bid deposit): this wallet holds 2 ACT.');
  }, 30_000);

  it('ACT chosen: no AKT needed for the deposit; when ACT runs short it says how much ACT', async () => {
    expect((await call('settings.set', { key: 'stack.bidDepositDenom', value: 'uact' })).ok).toBe(true);
    // 2 ACT held: nothing about the deposit.
    const all = await warnings();
    expect(all.filter((w) => /bid deposit/.test(w)), all.join('\n')).toEqual([]);
    const s = await call('wallet.status', {});
    expect(s.value.balance.shortfall.breakdown.map((b: { what: string }) => b.what).join(' ')).not.toMatch(/bid deposit \(/);
    // Spend the ACT down to 0.2: 0.3 ACT short.
    node.chain.fund(address, 'uact', -1_800_000n);
    expect((await warnings()).find((w) => /bid deposit/.test(w))).toMatch(/^Add 0\.3 ACT for the bid deposit: the provider is set to pay each bid's deposit of 0\.5 ACT in ACT, and the wallet holds 0\.2 ACT\./);
    const short = await call('wallet.status', {});
    expect(short.value.balance.bidDeposit).toMatchObject({ denom: 'uact', amount: '500000', short: true });
    // The wizard's wallet step does not pass on AKT alone (enough for fees and the minimum balance): it asks for the ACT.
    node.chain.fund(address, 'uakt', 1_000_000n);
    const step = await realSeams(agent.onboardingDeps()).wallet();
    expect(step.state === 'todo' && step.reason).toMatch(/^Add 0\.3 ACT for the bid deposit: .* Send it to akash1\w+, then check again\.$/);
  }, 30_000);

  it('refuses a token the chain does not take for deposits, changing nothing', async () => {
    const r = await call('settings.set', { key: 'stack.bidDepositDenom', value: 'uusdc' });
    expect(r.ok).toBe(false);
    expect((await call('settings.get', { key: 'stack.bidDepositDenom' })).value.value).toBe('uact');
  });
});
