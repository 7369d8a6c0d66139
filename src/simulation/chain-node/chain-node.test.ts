import { DirectSecp256k1HdWallet } from '@cosmjs/proto-signing';
import { GasPrice, SigningStargateClient, StargateClient } from '@cosmjs/stargate';
import { TxRaw } from '@akashnetwork/chain-sdk/private-types/cosmos.v1beta1';
import { toBech32 } from '@cosmjs/encoding';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateMnemonic, walletFromMnemonic } from '../../provider/chain/mnemonic.js';
import { startTestChainNode } from './server.js';

/** The test node checked with the stock cosmjs client: what it accepts and what it refuses. */
describe('chain test node (test tool)', () => {
  let node: Awaited<ReturnType<typeof startTestChainNode>>;
  let alice: DirectSecp256k1HdWallet;
  let aliceAddr: string;
  const bob = toBech32('akash', new Uint8Array(20).fill(9));

  beforeAll(async () => {
    alice = await walletFromMnemonic(generateMnemonic());
    aliceAddr = (await alice.getAccounts())[0]!.address;
    node = await startTestChainNode({ seed: { accounts: [{ address: aliceAddr, balances: [{ denom: 'uakt', amount: '10000000' }] }] } });
  });
  afterAll(async () => node.stop());

  it('answers status and bank queries and applies a signed MsgSend', async () => {
    const client = await SigningStargateClient.connectWithSigner(node.url, alice, { gasPrice: GasPrice.fromString('0.025uakt') });
    expect(await client.getChainId()).toBe('riglease-testnode-1');
    const res = await client.sendTokens(aliceAddr, bob, [{ denom: 'uakt', amount: '1000' }], 'auto');
    expect(res.code).toBe(0);
    const q = await StargateClient.connect(node.url);
    expect((await q.getBalance(bob, 'uakt')).amount).toBe('1000');
    const after = BigInt((await q.getBalance(aliceAddr, 'uakt')).amount);
    // Paid 1000 plus a fee that is at least gas × 0.025.
    expect(after).toBeLessThan(10_000_000n - 1000n);
    expect((await q.getSequence(aliceAddr)).sequence).toBe(1);
  });

  it('refuses a signature made for another chain id, a fee below the minimum, and a stale sequence', async () => {
    const client = await SigningStargateClient.connectWithSigner(node.url, alice);
    const { accountNumber, sequence } = await client.getSequence(aliceAddr);
    const msg = { typeUrl: '/cosmos.bank.v1beta1.MsgSend', value: { fromAddress: aliceAddr, toAddress: bob, amount: [{ denom: 'uakt', amount: '1' }] } };
    const fee = { amount: [{ denom: 'uakt', amount: '5000' }], gas: '200000' };
    const wrongChain = await client.sign(aliceAddr, [msg], fee, '', { accountNumber, sequence, chainId: 'akashnet-2' });
    const r1 = await client.broadcastTxSync(encode(wrongChain)).catch((e: Error) => e.message);
    expect(String(r1)).toMatch(/signature verification failed/);
    const cheap = await client.sign(aliceAddr, [msg], { ...fee, amount: [{ denom: 'uakt', amount: '4999' }] }, '', { accountNumber, sequence, chainId: 'riglease-testnode-1' });
    expect(String(await client.broadcastTxSync(encode(cheap)).catch((e: Error) => e.message))).toMatch(/insufficient fees/);
    const stale = await client.sign(aliceAddr, [msg], fee, '', { accountNumber, sequence: sequence - 1, chainId: 'riglease-testnode-1' });
    expect(String(await client.broadcastTxSync(encode(stale)).catch((e: Error) => e.message))).toMatch(/account sequence mismatch, expected 1, got 0/);
    expect((await client.getSequence(aliceAddr)).sequence).toBe(sequence);
  });
});

function encode(tx: { bodyBytes: Uint8Array; authInfoBytes: Uint8Array; signatures: Uint8Array[] }): Uint8Array {
  return TxRaw.encode(TxRaw.fromPartial(tx)).finish();
}
