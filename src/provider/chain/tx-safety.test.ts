import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { toBech32 } from '@cosmjs/encoding';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { RigError } from '../../api/errors.js';
import { ChainSettings } from '../../api/schemas/settings/chain.js';
import { passphraseSecretStore } from '../../store/passphrase-secret-store.js';
import { silentLogger } from '../../util/logger.js';
import { startTestChainNode } from '../../simulation/chain-node/server.js';
import { rtx4090Report } from '../../simulation/chain-node/sample-report.js';
import { createChainService, type ChainService } from './index.js';
import { sendMsg } from './wallet-service.js';

const CHAIN_ID = 'riglease-testnode-1';
const TENANT = toBech32('akash', new Uint8Array(20).fill(7));
const PHRASE = 'legal winner thank year wave sausage worth useful legal winner thank yellow';

/**
 * "Broadcasting is safe" (issue 4), against the real node's checks: a stale sequence is
 * re-signed once, a lost broadcast answer is looked up by hash instead of re-sent, and a tx that
 * timed out is found by hash before a registration is tried again — never registered twice.
 */
describe('safe broadcasting against the chain test node', () => {
  let node: Awaited<ReturnType<typeof startTestChainNode>>;
  let home: string;
  let svc: ChainService;
  const chain = { ...ChainSettings.parse({ provider: { hostUri: 'https://provider.rig.example.com:8443', locationRegion: 'eu-central', memoryType: 'ddr5' } }), txTimeoutMs: 400 };

  beforeAll(async () => {
    node = await startTestChainNode({ chainId: CHAIN_ID });
    home = await mkdtemp(path.join(os.tmpdir(), 'riglease-txsafety-'));
    svc = createChainService({
      secrets: passphraseSecretStore(path.join(home, 'secrets'), async () => 'tx safety passphrase'),
      stateDir: path.join(home, 'state'),
      env: { RIGLEASE_CHAIN_RPC: node.url, RIGLEASE_CHAIN_ID: CHAIN_ID },
      logger: silentLogger,
      // Below the settings schema's 5 s floor on purpose: the timeout path in well under a second.
      settings: async () => ({ network: 'mainnet', chain }),
    });
    await svc.wallet.importMnemonic(PHRASE, false);
    node.chain.fund(await svc.wallet.address(), 'uakt', 100_000_000n);
  });
  afterEach(() => {
    node.chain.inclusionDelayMs = 0;
  });
  afterAll(async () => {
    svc?.stop();
    await node?.stop();
    await rm(home, { recursive: true, force: true });
  });

  it('re-signs once with a fresh sequence when another tx used it first', async () => {
    const { wallet, address } = await svc.wallet.signer();
    const { client, sender } = await svc.context.get();
    const real = client.account.bind(client);
    const stale = await real(address);
    // Someone else (the provider daemon, a second RigLease) sends from this account first…
    await sender.send(wallet, address, [sendMsg(address, TENANT, 1n)]);
    // …and this send read the account before that: the first signature carries the old sequence.
    let reads = 0;
    client.account = async (a: string) => (reads++ === 0 ? stale : real(a));
    const accepted = node.chain.acceptedTxs;
    try {
      const out = await sender.send(wallet, address, [sendMsg(address, TENANT, 2n)]);
      expect(out.code).toBe(0);
    } finally {
      client.account = real;
    }
    expect(reads).toBe(2);
    expect(node.chain.acceptedTxs).toBe(accepted + 1);
  });

  it('a broadcast whose answer is lost is looked up by hash, not sent again', async () => {
    const { wallet, address } = await svc.wallet.signer();
    const { client, sender } = await svc.context.get();
    const real = client.broadcastSync.bind(client);
    let calls = 0;
    client.broadcastSync = async (tx: Uint8Array) => {
      calls++;
      await real(tx); // the node takes it…
      throw new RigError('unavailable', 'socket hang up'); // …and the answer never arrives
    };
    const accepted = node.chain.acceptedTxs;
    try {
      const out = await sender.send(wallet, address, [sendMsg(address, TENANT, 3n)]);
      expect(out.code).toBe(0);
    } finally {
      client.broadcastSync = real;
    }
    expect(calls).toBe(1);
    expect(node.chain.acceptedTxs).toBe(accepted + 1);
  });

  it('a registration that timed out is found by hash first: the retry never sends a second MsgCreateProvider', async () => {
    node.chain.inclusionDelayMs = 1500;
    const report = rtx4090Report();
    const before = node.chain.acceptedTxs;
    const first = svc.provider.register(report, chain.provider, { step: () => undefined });
    await expect(first).rejects.toMatchObject({ code: 'timeout' });
    expect((await svc.wallet.record()).pendingTxs).toHaveLength(1);
    // Retrying while the tx is still unseen is refused rather than risking a second registration.
    await expect(svc.provider.register(report, chain.provider, { step: () => undefined })).rejects.toMatchObject({ code: 'conflict' });
    await new Promise((r) => setTimeout(r, 1500));
    const again = await svc.provider.register(report, chain.provider, { step: () => undefined });
    expect(again.alreadyDone).toBe(true);
    expect(node.chain.acceptedTxs).toBe(before + 1);
    expect((await svc.wallet.record()).pendingTxs).toEqual([]);
    expect(node.chain.state.providers.has(await svc.wallet.address())).toBe(true);
  });
});
