import type { EncodeObject } from '@cosmjs/proto-signing';
import { beforeAll, describe, expect, it } from 'vitest';
import { testAccount, useChainTestFrame } from '../../../test/chain-node/chain-test-frame.js';
import { TYPE_URL } from './registry.js';

const TENANT = testAccount(7);
const OTHER_PROVIDER = testAccount(3);
const HOUR = 3600;

/**
 * AEP-82 end to end: the real client (cosmjs signing, chain-sdk's AEP-82 types)
 * against the chain test node, which applies the market module's reclamation rules.
 */
describe('AEP-82 reclamation: notice → reclaiming with its deadline → close refused before, accepted after', () => {
  const frame = useChainTestFrame({ name: 'reclaim', fundUakt: 10_000_000n });
  const withWindow = { owner: TENANT, dseq: '500', gseq: 1, oseq: 1 };
  const noWindow = { owner: TENANT, dseq: '501', gseq: 1, oseq: 1 };
  const othersLease = { owner: TENANT, dseq: '502', gseq: 1, oseq: 1 };

  /** Signs and sends raw messages with the provider's wallet: what the chain itself says, past the app's own checks. */
  const sendRaw = async (msgs: EncodeObject[]) => {
    const { wallet, address } = await frame.svc.wallet.signer();
    return (await frame.svc.context.get()).sender.send(wallet, address, msgs);
  };
  const id = (ref: typeof withWindow, p = frame.provider) => ({ ...ref, provider: p, bseq: 1 });

  beforeAll(() => {
    const { chain, provider } = frame;
    chain.fund(OTHER_PROVIDER, 'uakt', 1_000_000n); // an existing account: the refusal below is about the signer, not an unknown address
    const h = chain.state.height;
    chain.seed({
      leases: [
        { ...withWindow, provider, pricePerBlock: '3', createdAt: h, reclamationWindowSeconds: HOUR },
        { ...noWindow, provider, pricePerBlock: '3', createdAt: h },
        { ...othersLease, provider: OTHER_PROVIDER, pricePerBlock: '3', createdAt: h, reclamationWindowSeconds: HOUR },
      ],
      groups: [{ owner: TENANT, dseq: 500, resources: [{ cpuMilli: 4000, memoryBytes: 8 << 30, gpuUnits: 1 }] }],
    });
    chain.advance(5);
  });

  it('lists the window of a lease that has one, and none for a lease bid without', async () => {
    const { leases } = await frame.svc.leases.page({ limit: 100 });
    expect(leases.find((l) => l.dseq === '500')?.reclamation).toEqual({ windowSeconds: HOUR, startedAtHeight: null, deadline: null, reason: null });
    expect(leases.find((l) => l.dseq === '501')?.reclamation).toBeNull();
    expect(leases.map((l) => l.dseq).sort()).toEqual(['500', '501']); // the other provider's lease is not ours
  });

  it('previews the notice: window, an estimated deadline one window after the latest block, a simulated fee', async () => {
    const latest = (await (await frame.svc.context.get()).client.blockHeader()).timeMs;
    const p = await frame.svc.reclaim.preview(withWindow, 10_002);
    expect(p.reclaimable).toBe(true);
    expect(p.windowSeconds).toBe(HOUR);
    expect(p.estimatedDeadline).toBe(Math.floor(latest / 1000) + HOUR);
    expect(BigInt(p.feeUakt!)).toBeGreaterThan(0n);
    expect(p.whatHappens.join(' ')).toMatch(/keeps running and paying for the whole notice window of 1 h/);
    expect(frame.chain.state.leases.size).toBe(3); // a preview changes nothing on chain
    expect([...frame.chain.state.leases.values()].every((l) => l.state === 'active')).toBe(true);
  });

  it('the chain refuses to close a lease with a window before notice is given', async () => {
    await expect(frame.svc.reclaim.close(withWindow)).rejects.toThrow(/No notice was given/);
    await expect(sendRaw([{ typeUrl: TYPE_URL.closeBid, value: { id: id(withWindow), reason: 10_002 } }])).rejects.toThrow(/reclamation not started; call MsgLeaseStartReclaim first/);
    expect((await frame.svc.reclaim.find(withWindow)).state).toBe('active');
  });

  let deadline = 0;
  it('gives notice: the lease turns reclaiming with deadline = inclusion block time + window', async () => {
    const started = await frame.svc.reclaim.start(withWindow, 10_002);
    const block = await (await frame.svc.context.get()).client.blockHeader(started.tx.height);
    expect(started.startedAtHeight).toBe(started.tx.height);
    expect(started.deadline).toBe(Math.floor(block.timeMs / 1000) + HOUR);
    expect(started.deadlineIso).toBe(new Date(started.deadline * 1000).toISOString());
    expect(started.lease).toMatchObject({ state: 'reclaiming', reclamation: { windowSeconds: HOUR, startedAtHeight: started.tx.height, deadline: started.deadline, reason: 10_002 } });
    deadline = started.deadline;
    // A state filter the chain knows since AEP-82, and the lease still counts as earning.
    const reclaiming = await frame.svc.leases.page({ state: 'reclaiming', limit: 10 });
    expect(reclaiming.leases.map((l) => l.dseq)).toEqual(['500']);
    expect((await frame.svc.leases.earnings(null)).activeLeases).toBe(2);
  });

  it('refuses a second notice (the chain: lease not active) and a close before the deadline (window has not elapsed)', async () => {
    await expect(frame.svc.reclaim.start(withWindow, 10_002)).rejects.toThrow(/Notice was already given .* it ends at/);
    await expect(sendRaw([{ typeUrl: TYPE_URL.leaseStartReclaim, value: { id: id(withWindow), reason: 10_002 } }])).rejects.toThrow(/lease not active/);
    await expect(frame.svc.reclaim.close(withWindow)).rejects.toThrow(/runs until .*the chain refuses to end it before/);
    await expect(sendRaw([{ typeUrl: TYPE_URL.closeBid, value: { id: id(withWindow), reason: 10_002 } }])).rejects.toThrow(/reclamation window has not elapsed/);
    expect((await frame.svc.reclaim.find(withWindow)).state).toBe('reclaiming');
  });

  it('withdraws from a reclaiming lease (it still pays during the notice)', async () => {
    frame.chain.advance(10);
    const w = await frame.svc.leases.withdrawAll({ dryRun: false });
    expect(w.leases).toBe(2); // the active one and the reclaiming one
    expect((await frame.svc.reclaim.find(withWindow)).escrow?.withdrawn).toBeGreaterThan(0);
  });

  it('closes once the chain’s block time has passed the deadline; the tenant’s group is paused', async () => {
    const lastMs = frame.chain.state.blocks.at(-1)!.time.getTime();
    frame.chain.advance(1, { blockSeconds: deadline - Math.floor(lastMs / 1000) + 1 });
    const closed = await frame.svc.reclaim.close(withWindow);
    expect(closed.lease.state).toBe('closed');
    expect(closed.closedAtHeight).toBe(closed.tx.height);
    const closeBlock = await (await frame.svc.context.get()).client.blockHeader(closed.tx.height);
    expect(Math.floor(closeBlock.timeMs / 1000)).toBeGreaterThanOrEqual(deadline);
    expect(frame.chain.state.groups.get(`${TENANT}/500/1`)?.state).toBe('paused');
    expect(frame.chain.state.leases.get([...frame.chain.state.leases.keys()].find((k) => k.includes('/00000000000000000500/'))!)?.reason).toBe(10_002);
    await expect(frame.svc.reclaim.close(withWindow)).rejects.toThrow(/is closed, not waiting/);
  });

  it('refuses a lease bid without a window — in the app with the reason, and on chain', async () => {
    const p = await frame.svc.reclaim.preview(noWindow, 10_002);
    expect(p).toMatchObject({ reclaimable: false, windowSeconds: null, estimatedDeadline: null, feeUakt: null, whatHappens: [] });
    expect(p.whyNot).toMatch(/bid without a notice window, so it cannot be reclaimed politely/);
    await expect(frame.svc.reclaim.start(noWindow, 10_002)).rejects.toThrow(/without a notice window/);
    await expect(sendRaw([{ typeUrl: TYPE_URL.leaseStartReclaim, value: { id: id(noWindow), reason: 10_002 } }])).rejects.toThrow(/lease does not have reclamation configured/);
    expect((await frame.svc.reclaim.find(noWindow)).state).toBe('active');
  });

  it('refuses a reason outside the provider range 10000..19999 — in the app, and at the chain’s ValidateBasic', async () => {
    await expect(frame.svc.reclaim.preview(noWindow, 5)).rejects.toThrow(/from 10000 to 19999/);
    const before = frame.chain.acceptedTxs;
    await expect(sendRaw([{ typeUrl: TYPE_URL.leaseStartReclaim, value: { id: id(noWindow), reason: 20_000 } }])).rejects.toThrow(/value "20000" range 10000..19999: invalid lease closed reason/);
    expect(frame.chain.acceptedTxs).toBe(before); // refused before any block
  });

  it('refuses another provider’s lease: not found for this wallet, and the chain refuses our signature for it', async () => {
    await expect(frame.svc.reclaim.preview(othersLease, 10_002)).rejects.toThrow(/This provider has no lease/);
    await expect(sendRaw([{ typeUrl: TYPE_URL.leaseStartReclaim, value: { id: id(othersLease, OTHER_PROVIDER), reason: 10_002 } }])).rejects.toThrow(/signature was refused|pubKey does not match signer/);
    expect([...frame.chain.state.leases.values()].find((l) => l.provider === OTHER_PROVIDER)?.state).toBe('active');
  });
});
