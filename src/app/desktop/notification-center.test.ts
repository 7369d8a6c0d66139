import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { AvailabilityStatus, LeaseSummary } from '../../api/methods/availability.js';
import { RigError } from '../../api/errors.js';
import type { AppNotification } from '../../api/schemas/notification.js';
import { DesktopSettings } from '../../api/schemas/settings/desktop.js';
import { passphraseSecretStore } from '../../store/passphrase-secret-store.js';
import { pathsUnder } from '../../store/paths.js';
import { silentLogger } from '../../util/logger.js';
import { startTestChainNode } from '../../simulation/chain-node/server.js';
import { startServer, type RunningServer } from '../../server/server.js';
import { Agent } from '../agent.js';
import { EventHub } from '../../core/event-hub.js';
import { TaskRegistry } from '../../core/task-registry.js';
import { NotificationCenter, type ChainWatch } from './notification-center.js';

function collect(hub: EventHub): AppNotification[] {
  const got: AppNotification[] = [];
  hub.subscribe('app.notification', (n) => got.push(n));
  return got;
}

describe('NotificationCenter on the event hub', () => {
  const noWallet: ChainWatch = { walletExists: async () => false, activeLeases: async () => [], balance: async () => ({ ok: true, akt: '0', message: '' }) };

  it('turns a failed task into one error notification and a timed pause running out into "bidding again"', async () => {
    const hub = new EventHub();
    const got = collect(hub);
    let now = new Date('2026-11-30T14:00:00Z');
    const center = new NotificationCenter({ hub, settings: async () => DesktopSettings.parse({}), watch: noWallet, logger: silentLogger, now: () => now });
    center.start();
    const tasks = new TaskRegistry(hub);
    const ref = tasks.start('stack.up', 6, async (p) => {
      p.step(1, 'Checking Docker');
      throw new RigError('unavailable', 'Docker is not running.', 'Start Docker, then press Retry.');
    });
    await tasks.wait(ref.id);
    const ok = tasks.start('stack.up', 6, async () => undefined);
    await tasks.wait(ok.id);

    const base: AvailabilityStatus = { mode: 'paused', activity: 'paused', bidding: false, reason: 'Paused from the tray.', pausedUntil: '2026-11-30T15:00:00.000Z', resumesAt: null, since: now.toISOString(), gaming: { enabled: true, processes: [] }, idleOnly: { enabled: false, available: false }, notes: [] };
    hub.publish('availability.changed', base);
    now = new Date('2026-11-30T15:00:10Z');
    hub.publish('availability.changed', { ...base, mode: 'online', activity: 'online', bidding: true, reason: 'Online: bidding on new orders.', pausedUntil: null, since: now.toISOString() });
    await center.submit({ kind: 'leases', active: [] }); // waits for the queue
    center.stop();

    expect(got.map((n) => [n.title, n.category, n.native])).toEqual([
      ['Starting the provider failed', 'errors', true],
      ['RigLease is bidding again', 'availability', true],
    ]);
    expect(got[0]?.body).toBe('Docker is not running. Start Docker, then press Retry.');
    // Stopped: nothing more is heard.
    hub.publish('availability.changed', { ...base, since: now.toISOString() });
    expect(hub.listenerCount('availability.changed')).toBe(0);
  });

  it('looks at leases only once a wallet exists', async () => {
    const hub = new EventHub();
    const got = collect(hub);
    let exists = false;
    let active: LeaseSummary[] = [];
    let asked = 0;
    const center = new NotificationCenter({
      hub,
      settings: async () => DesktopSettings.parse({}),
      logger: silentLogger,
      watch: { walletExists: async () => exists, activeLeases: async () => (asked++, active), balance: async () => ({ ok: true, akt: '20', message: 'Enough.' }) },
    });
    await center.look();
    expect(asked).toBe(0);
    expect(center.activeLeaseCount()).toBeNull();
    exists = true;
    await center.look();
    active = [{ id: 'akash1x/7/1/1', description: 'Tenant akash1x…, deployment 7, 3 uakt per block' }];
    await center.look();
    expect(center.activeLeaseCount()).toBe(1);
    expect(got.map((n) => n.title)).toEqual(['Lease won — your GPU is earning']);
  });
});

describe('NotificationCenter in the agent, against the chain test node', () => {
  const CHAIN_ID = 'riglease-testnode-1';
  const PHRASE = 'legal winner thank year wave sausage worth useful legal winner thank yellow';
  const TENANT = 'akash1qqqsyqcyq5rqwzqfpg9scrgwpugpzysn3fwem7';
  let node: Awaited<ReturnType<typeof startTestChainNode>>;
  let home: string;
  let agent: Agent;
  let server: RunningServer;

  beforeAll(async () => {
    node = await startTestChainNode({ chainId: CHAIN_ID });
    home = await mkdtemp(path.join(os.tmpdir(), 'riglease-notify-'));
    agent = new Agent({
      host: 'headless',
      paths: pathsUnder(home),
      secrets: passphraseSecretStore(path.join(home, 'secrets'), async () => 'notification test passphrase'),
      logger: silentLogger,
      version: '0.0.0-test',
      env: { RIGLEASE_HOME: home, PATH: '/nonexistent', RIGLEASE_CHAIN_ID: CHAIN_ID, RIGLEASE_CHAIN_RPC: node.url },
    });
    server = await startServer({ agent, port: 0, staticDir: home, logger: silentLogger });
    agent.start();
  });
  afterAll(async () => {
    await server?.close();
    await agent?.stop();
    await node?.stop();
    await rm(home, { recursive: true, force: true });
  });

  it('says "low balance", "lease won" and "lease ended" from what the chain holds; the headless server forwards each', async () => {
    const got = collect(agent.hub);
    // The renderer's view: the headless server's event socket, subscribed to app.notification.
    const ws = new WebSocket(`ws://127.0.0.1:${server.port}/api/events`, { headers: { authorization: `Bearer ${server.token}`, origin: `http://127.0.0.1:${server.port}` } });
    const overSocket: AppNotification[] = [];
    ws.on('message', (data: WebSocket.RawData) => {
      const m = JSON.parse(data.toString()) as { type: string; event?: string; payload?: AppNotification };
      if (m.type === 'event' && m.event === 'app.notification' && m.payload) overSocket.push(m.payload);
    });
    await new Promise<void>((resolve, reject) => {
      ws.once('error', reject);
      ws.once('open', () => ws.send(JSON.stringify({ type: 'subscribe', event: 'app.notification' })));
      ws.on('message', (data: WebSocket.RawData) => {
        if ((JSON.parse(data.toString()) as { type: string }).type === 'subscribed') resolve();
      });
    });
    const info = await (await agent.chain()).wallet.importMnemonic(PHRASE, false);
    const address = info.address ?? '';
    await agent.notifications.look();
    expect(got.map((n) => n.title)).toEqual(['Balance too low to keep bidding']);
    expect(got[0]).toMatchObject({ category: 'lowBalance', level: 'warning', source: 'wallet' });

    node.chain.fund(address, 'uakt', 50_000_000n);
    const h = node.chain.state.height;
    node.chain.seed({ leases: [{ owner: TENANT, dseq: 4242, provider: address, pricePerBlock: '12.5', createdAt: h }] });
    await agent.notifications.look();
    expect(got.slice(1).map((n) => n.title)).toEqual(['Lease won — your GPU is earning']);
    expect(got[1]?.body).toContain('deployment 4242');

    node.chain.seed({ leases: [{ owner: TENANT, dseq: 4242, provider: address, pricePerBlock: '12.5', createdAt: h, state: 'closed' }] });
    await agent.notifications.look();
    expect(got.slice(2).map((n) => [n.title, n.body])).toEqual([['A lease ended', 'Deployment 4242 is no longer running on your rig.']]);
    expect(agent.notifications.activeLeaseCount()).toBe(0);
    await expect.poll(() => overSocket.length, { timeout: 2000 }).toBe(3);
    expect(overSocket).toEqual(got);
    expect(overSocket[1]).toMatchObject({ category: 'leases', native: true, level: 'info' });
    ws.close();
  });
});
