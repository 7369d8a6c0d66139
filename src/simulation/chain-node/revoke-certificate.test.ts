import { DirectSecp256k1HdWallet } from '@cosmjs/proto-signing';
import { SigningStargateClient } from '@cosmjs/stargate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateMnemonic, walletFromMnemonic } from '../../provider/chain/mnemonic.js';
import { generateProviderCertificate } from '../../provider/chain/provider-cert.js';
import { akashRegistry, TYPE_URL } from '../../provider/chain/registry.js';
import { startTestChainNode } from './server.js';

const FEE = { amount: [{ denom: 'uakt', amount: '10000' }], gas: '400000' };

/**
 * MsgRevokeCertificate in the test node, with the stock cosmjs client and chain-sdk's encoding,
 * checked against the cert module's rules (akash node x/cert: msg_server.go RevokeCertificate →
 * keeper.RevokeCertificate; MsgRevokeCertificate.ValidateBasic / GetSigners = ID.Owner).
 */
describe('chain test node: MsgRevokeCertificate (test tool)', () => {
  let node: Awaited<ReturnType<typeof startTestChainNode>>;
  let alice: DirectSecp256k1HdWallet;
  let bob: DirectSecp256k1HdWallet;
  let aliceAddr: string;
  let bobAddr: string;
  let client: SigningStargateClient;
  let bobClient: SigningStargateClient;

  const create = (owner: string) => {
    const c = generateProviderCertificate(owner, ['provider.revoke.example.com']);
    return { serial: c.serial, msg: { typeUrl: TYPE_URL.createCertificate, value: { owner, cert: new TextEncoder().encode(c.cert), pubkey: new TextEncoder().encode(c.publicKey) } } };
  };
  const revoke = (owner: string, serial: string) => ({ typeUrl: TYPE_URL.revokeCertificate, value: { id: { owner, serial } } });
  const stateOf = (owner: string, serial: string) => node.chain.state.certificates.find((c) => c.owner === owner && c.serial === serial)?.state;

  beforeAll(async () => {
    alice = await walletFromMnemonic(generateMnemonic());
    bob = await walletFromMnemonic(generateMnemonic());
    aliceAddr = (await alice.getAccounts())[0]!.address;
    bobAddr = (await bob.getAccounts())[0]!.address;
    node = await startTestChainNode({
      seed: {
        accounts: [
          { address: aliceAddr, balances: [{ denom: 'uakt', amount: '10000000' }] },
          { address: bobAddr, balances: [{ denom: 'uakt', amount: '10000000' }] },
        ],
      },
    });
    client = await SigningStargateClient.connectWithSigner(node.url, alice, { registry: akashRegistry(), broadcastPollIntervalMs: 50 });
    bobClient = await SigningStargateClient.connectWithSigner(node.url, bob, { registry: akashRegistry(), broadcastPollIntervalMs: 50 });
  });
  afterAll(async () => node.stop());

  it('the owner revokes a valid certificate: its state becomes revoked, and a second revocation is refused', async () => {
    const a = create(aliceAddr);
    expect((await client.signAndBroadcast(aliceAddr, [a.msg], FEE)).code).toBe(0);
    expect(stateOf(aliceAddr, a.serial)).toBe('valid');
    const r = await client.signAndBroadcast(aliceAddr, [revoke(aliceAddr, a.serial)], FEE);
    expect(r.code).toBe(0);
    expect(r.events.map((e) => e.type)).toContain('akash.cert.v1.EventCertificateRevoked');
    expect(stateOf(aliceAddr, a.serial)).toBe('revoked');
    // The certificate stays on record (revoked), as the keeper only changes its state.
    expect(node.chain.state.certificates.filter((c) => c.owner === aliceAddr)).toHaveLength(1);
    const again = await client.signAndBroadcast(aliceAddr, [revoke(aliceAddr, a.serial)], FEE).catch((e: Error) => e);
    expect(String(again instanceof Error ? again.message : again.rawLog)).toMatch(/certificate already revoked/);
  });

  it('refuses an unknown serial, a serial that is not a decimal number, and anyone but the owner', async () => {
    const unknown = await client.signAndBroadcast(aliceAddr, [revoke(aliceAddr, '12345')], FEE).catch((e: Error) => e);
    expect(String(unknown instanceof Error ? unknown.message : unknown.rawLog)).toMatch(/certificate not found/);
    const bad = await client.signAndBroadcast(aliceAddr, [revoke(aliceAddr, '0x1f')], FEE).catch((e: Error) => e);
    expect(String(bad instanceof Error ? bad.message : bad.rawLog)).toMatch(/invalid serial number/);

    const a = create(aliceAddr);
    expect((await client.signAndBroadcast(aliceAddr, [a.msg], FEE)).code).toBe(0);
    // Bob signs a revocation of Alice's certificate: the message's signer is its owner (Alice), so Bob's key cannot sign it.
    const theft = await bobClient.signAndBroadcast(bobAddr, [revoke(aliceAddr, a.serial)], FEE).catch((e: Error) => e);
    expect(String(theft instanceof Error ? theft.message : theft.rawLog)).toMatch(/pubKey does not match signer address|signature verification failed|unauthorized/);
    // Bob naming himself as owner finds no such certificate of his.
    const asBob = await bobClient.signAndBroadcast(bobAddr, [revoke(bobAddr, a.serial)], FEE).catch((e: Error) => e);
    expect(String(asBob instanceof Error ? asBob.message : asBob.rawLog)).toMatch(/certificate not found/);
    expect(stateOf(aliceAddr, a.serial)).toBe('valid');
  });

  it('publishing a new certificate and revoking the old one is one transaction: all or nothing', async () => {
    const old = create(aliceAddr);
    expect((await client.signAndBroadcast(aliceAddr, [old.msg], FEE)).code).toBe(0);
    // A revocation that fails (unknown serial) takes the whole transaction with it: the old one stays valid, the new one is not created.
    const next = create(aliceAddr);
    const failed = await client.signAndBroadcast(aliceAddr, [next.msg, revoke(aliceAddr, old.serial), revoke(aliceAddr, '99')], FEE).catch((e: Error) => e);
    expect(String(failed instanceof Error ? failed.message : failed.rawLog)).toMatch(/certificate not found/);
    expect(stateOf(aliceAddr, old.serial)).toBe('valid');
    expect(stateOf(aliceAddr, next.serial)).toBeUndefined();
    const ok = await client.signAndBroadcast(aliceAddr, [next.msg, revoke(aliceAddr, old.serial)], FEE);
    expect(ok.code).toBe(0);
    expect(stateOf(aliceAddr, old.serial)).toBe('revoked');
    expect(stateOf(aliceAddr, next.serial)).toBe('valid');
  });
});
