import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { toBech32 } from '@cosmjs/encoding';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Method } from '../../api/contract.js';
import { dispatch } from '../../api/dispatch.js';
import { passphraseSecretStore } from '../../store/passphrase-secret-store.js';
import { pathsUnder } from '../../store/paths.js';
import { silentLogger } from '../../util/logger.js';
import { startTestChainNode } from '../../simulation/chain-node/server.js';
import { Agent } from '../agent.js';

const CHAIN_ID = 'riglease-testnode-1';
const PHRASE = 'legal winner thank year wave sausage worth useful legal winner thank yellow';
const TENANT = toBech32('akash', new Uint8Array(20).fill(5));

let node: Awaited<ReturnType<typeof startTestChainNode>>;
let agent: Agent;
let home = '';

async function call(method: Method, input: unknown): Promise<{ ok: boolean; value?: any; error?: { code: string; message: string } }> { // eslint-disable-line @typescript-eslint/no-explicit-any -- test reads varied shapes
  return dispatch(agent.handlers, method, input, { via: 'internal' });
}

beforeAll(async () => {
  node = await startTestChainNode({ chainId: CHAIN_ID });
  home = await mkdtemp(path.join(os.tmpdir(), 'riglease-bme-handlers-'));
  agent = new Agent({
    host: 'headless',
    paths: pathsUnder(home),
    secrets: passphraseSecretStore(path.join(home, 'secrets'), async () => 'bme handler test passphrase'),
    logger: silentLogger,
    version: '0.0.0-test',
    env: { RIGLEASE_HOME: home, PATH: '/nonexistent', RIGLEASE_CHAIN_ID: CHAIN_ID, RIGLEASE_CHAIN_RPC: node.url },
  });
});
afterAll(async () => {
  await agent?.stop();
  await node?.stop();
  await rm(home, { recursive: true, force: true });
});

describe('ACT → AKT through the API', () => {
  it('convert needs confirm: true and a typed ACT amount', async () => {
    expect(await call('wallet.convert', { amount: '1' })).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    expect(await call('wallet.convertPreview', { amount: '1.1234567' })).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
  });

  it('with chain.autoConvertAfterWithdraw on, a withdrawal converts exactly the ACT it paid (off by default)', async () => {
    expect((await call('settings.get', { key: 'chain.autoConvertAfterWithdraw' })).value).toMatchObject({ value: false });
    await call('wallet.import', { mnemonic: PHRASE });
    const provider = (await call('wallet.info', {})).value.address as string;
    node.chain.fund(provider, 'uakt', 3_000_000n);
    node.chain.seed({ leases: [{ owner: TENANT, dseq: 42, provider, denom: 'uact', pricePerBlock: '2000000', createdAt: node.chain.state.height, escrowFunds: '900000000' }], bme: { aktUsd: '2', minEpochBlocks: 3 } });
    node.chain.advance(10);
    expect(await call('settings.set', { key: 'chain.autoConvertAfterWithdraw', value: true })).toMatchObject({ ok: true });
    const w = await call('leases.withdraw', {});
    expect(w.ok, JSON.stringify(w.error)).toBe(true);
    const done = await agent.tasks.wait(w.value.task.id);
    expect(done.state, JSON.stringify(done.error)).toBe('succeeded');
    const result = done.result as { conversion: { converted: { conversion: { uact: string } } | null; note: string } };
    expect(result.conversion.note).toMatch(/queued for AKT/);
    const queued = BigInt(result.conversion.converted!.conversion.uact);
    expect(queued).toBeGreaterThanOrEqual(20_000_000n); // 2 ACT a block × ≥ 10 blocks
    expect(node.chain.state.balances.get(provider)?.get('uact') ?? 0n).toBe(0n); // all of it went
    node.chain.advance(4);
    const s = (await call('wallet.conversions', {})).value;
    expect(s.conversions[0]).toMatchObject({ status: 'executed', uact: queued.toString(), paidUakt: (queued / 2n).toString() });
  });
});
