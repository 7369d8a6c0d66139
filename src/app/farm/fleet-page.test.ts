// The Fleet screen and `riglease farm status` ask the controller for one page of the farm, and
// the controller announces changes (farm.changed) instead of being polled. Simulated members
// in farm.json (no Docker), the real fleet API for what members tell it (TLS, real client).
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FarmStatus, type FarmChanged } from '../../api/schemas/farm.js';
import { newSecret, keyHash } from '../../provider/farm/fleet-protocol.js';
import { K3S_VERSION } from '../../provider/stack/images.js';
import { silentLogger } from '../../util/logger.js';
import { TEST_FLEET_TLS } from '../../../test/farm/fleet-https.js';
import { BEATING_GPUS, simulatedController, simulatedMember } from '../../../test/farm/simulated-farm.js';
import { FarmStateStore } from './farm-state.js';
import { FleetChanges } from './fleet-changes.js';
import { FleetClient } from './fleet-client.js';
import { startFleetServer } from './fleet-server.js';

const dirs: string[] = [];
const tmp = async () => {
  const d = await mkdtemp(path.join(os.tmpdir(), 'riglease-fleet-page-'));
  dirs.push(d);
  return d;
};
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

/** Waits for `n` announcements (or `ms`), returning what came. */
function collector(): { got: FarmChanged[]; next: (n: number, ms?: number) => Promise<FarmChanged[]>; emit: (c: FarmChanged) => void } {
  const got: FarmChanged[] = [];
  const waiters: (() => void)[] = [];
  return {
    got,
    emit: (c) => {
      got.push(c);
      for (const w of waiters.splice(0)) w();
    },
    next: async (n, ms = 5_000) => {
      const end = Date.now() + ms;
      while (got.length < n && Date.now() < end) await new Promise<void>((r) => (waiters.push(r), setTimeout(r, end - Date.now())));
      return [...got];
    },
  };
}

describe('the fleet, a page at a time (controller of 120 simulated machines)', () => {
  it('pages in a stable order (controller, then joining order, whatever order the file keeps), totals over the whole farm, and heartbeats do not move a machine', async () => {
    const { service, deps } = await simulatedController(await tmp(), 120);
    const first = FarmStatus.parse(await service.status({ offset: 0, limit: 12 }));
    expect(first.page).toEqual({ offset: 0, limit: 12, total: 121 });
    expect(first.machines.map((m) => m.hostname)).toEqual(['rig-ctl', ...Array.from({ length: 11 }, (_, i) => `rig-${i}`)]);
    expect(first.totals).toEqual({ machines: 121, reachable: 121, gpus: 240 });
    // The whole farm's attributes on every page, not only the page's GPUs.
    expect(first.attributes.map((a) => a.key)).toContain('capabilities/gpu/vendor/nvidia/model/rtx2080');
    const second = FarmStatus.parse(await service.status({ offset: 12, limit: 12 }));
    expect(second.machines.map((m) => m.hostname)).toEqual(Array.from({ length: 12 }, (_, i) => `rig-${i + 11}`));
    // A heartbeat rewrites the file; the pages stay as they were.
    await deps.store.update((s) => {
      const m = s.controller!.members.find((x) => x.hostname === 'rig-15')!;
      m.lastSeen = new Date().toISOString();
      s.controller!.members.push(s.controller!.members.splice(s.controller!.members.indexOf(m), 1)[0]!);
    });
    expect(FarmStatus.parse(await service.status({ offset: 12, limit: 12 })).machines.map((m) => m.hostname)).toEqual(second.machines.map((m) => m.hostname));
    const last = FarmStatus.parse(await service.status({ offset: 120, limit: 12 }));
    expect(last.machines.map((m) => m.hostname)).toEqual(['rig-119']);
    expect(FarmStatus.parse(await service.status({ offset: 121, limit: 12 })).machines).toEqual([]);
    // Without a limit (older callers): every machine, no page.
    const all = FarmStatus.parse(await service.status());
    expect(all.machines).toHaveLength(121);
    expect(all.page).toBeUndefined();
  });

  it('names a few machines that stopped answering and counts the rest, so the notes do not grow with the farm', async () => {
    const dir = await tmp();
    const { service, deps } = await simulatedController(dir, 40);
    await deps.store.update((s) => {
      for (const m of s.controller!.members) m.lastSeen = new Date(Date.now() - 3_600_000).toISOString();
    });
    const s = FarmStatus.parse(await service.status({ offset: 0, limit: 12 }));
    expect(s.totals.reachable).toBe(1);
    const gone = s.notes.filter((n) => /has not answered since/.test(n));
    expect(gone).toHaveLength(5);
    expect(s.notes.join(' ')).toContain('35 more machines have not answered either');
  });
});

describe('the address a member advertises and the address it connects from (real fleet API)', () => {
  it('shows each member\'s advertised LAN address; one that connects from another address is flagged in plain words', async () => {
    const { deps, service } = await simulatedController(await tmp(), 0);
    const server = await startFleetServer({ host: '127.0.0.1', port: 0, backend: service.controller, logger: silentLogger, tls: TEST_FLEET_TLS });
    try {
      const client = new FleetClient(`https://127.0.0.1:${server.port}`, TEST_FLEET_TLS.fingerprint);
      const join = async (i: number, advertisedAddress: string) => {
        const secret = newSecret();
        await deps.store.update((s) => void s.controller!.pairings.push({ hash: keyHash(secret), expiresAt: Math.floor(Date.now() / 1000) + 600, usedAt: null, usedBy: null, k3sTokenId: null }));
        const id = (0xb0000000 + i).toString(16).padStart(16, '0');
        const r = await client.register(secret, { machineId: id, hostname: `rig-${i}`, nodeName: `rl-rig-${i}`, k3sVersion: K3S_VERSION, rigleaseVersion: 't', gpus: BEATING_GPUS, advertisedAddress });
        return { id, key: r.machineKey };
      };
      // On the controller's own computer: loopback both ways, nothing to say.
      await join(1, '127.0.0.1');
      // Advertises a LAN address, but its requests arrive from 127.0.0.1 (here: the stand-in for a NAT's address).
      const natted = await join(2, '192.0.2.21');
      const rows = FarmStatus.parse(await service.status({ offset: 0, limit: 12 })).machines;
      expect(rows[0]!.address).toEqual({ advertised: '192.0.2.1', seenFrom: null, warning: null });
      expect(rows[1]!.address).toEqual({ advertised: '127.0.0.1', seenFrom: '127.0.0.1', warning: null });
      const flagged = rows[2]!.address!;
      expect(flagged).toMatchObject({ advertised: '192.0.2.21', seenFrom: '127.0.0.1' });
      expect(flagged.warning).toMatch(/rig-2's k3s tells the farm to reach it at 192\.0\.2\.21, but its messages reach this controller from 127\.0\.0\.1/);
      expect(flagged.warning).toMatch(/translates addresses \(a router, a VPN\) or it uses another network connection/);
      expect(flagged.warning).toContain('riglease settings set farm.advertiseAddress 127.0.0.1');
      // The flag is in the farm's notes too: a reader of another page learns of it.
      expect(FarmStatus.parse(await service.status({ offset: 12, limit: 12 })).notes).toContain(flagged.warning);
      // The member's heartbeats carry its address: once it advertises what it connects from, the flag goes.
      await client.heartbeat(natted.key, { machineId: natted.id, gpus: BEATING_GPUS, availability: 'online', agentContainer: 'running', advertisedAddress: '127.0.0.1' });
      expect(FarmStatus.parse(await service.status()).machines[2]!.address).toEqual({ advertised: '127.0.0.1', seenFrom: '127.0.0.1', warning: null });
    } finally {
      await server.close();
    }
  });
});

describe('farm.changed: the controller announces changes; nobody polls', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await tmp();
  });

  it('a burst of heartbeats is one announcement a second; another process\'s write (the CLI) is announced too; nothing after stop', async () => {
    const { deps, store } = await simulatedController(dir, 3);
    const c = collector();
    const changes = new FleetChanges(deps, c.emit, 300);
    changes.start();
    try {
      for (let i = 0; i < 10; i++) {
        await store.update((s) => void (s.controller!.members[0]!.lastSeen = new Date().toISOString()));
      }
      const burst = await c.next(1);
      expect(burst).toHaveLength(1);
      expect(burst[0]).toMatchObject({ revision: 1, reason: 'state' });
      await new Promise((r) => setTimeout(r, 700));
      // Folded: ten writes, at most two announcements (the first, then one for the rest).
      expect(c.got.length).toBeLessThanOrEqual(2);
      const before = c.got.length;
      // Another process: its own store object on the same file; only the OS's file watch can tell.
      const cli = new FarmStateStore(dir);
      await cli.update((s) => void (s.controller!.farmPause = { reason: 'maintenance', since: new Date().toISOString() }));
      const after = await c.next(before + 1);
      expect(after.at(-1)).toMatchObject({ revision: before + 1, reason: 'state' });
    } finally {
      changes.stop();
    }
    const stopped = c.got.length;
    await store.update((s) => void (s.controller!.farmPause = null));
    await new Promise((r) => setTimeout(r, 500));
    expect(c.got).toHaveLength(stopped);
  });

  it('a member that stops beating is announced when it crosses farm.unreachableAfterSec, with no write at all', async () => {
    const { deps, store, service } = await simulatedController(await tmp(), 0, { unreachableAfterSec: 3 });
    // Last seen 2.5 s ago: it turns "not answering" half a second from now.
    await store.update((s) => void s.controller!.members.push(simulatedMember(7, Date.now(), 2_500)));
    const c = collector();
    const changes = new FleetChanges(deps, c.emit, 100);
    changes.start();
    try {
      const [first] = await c.next(1, 3_000);
      expect(first).toMatchObject({ reason: 'reachability' });
      const row = FarmStatus.parse(await service.status({ offset: 0, limit: 12 })).machines.find((m) => m.hostname === 'rig-7')!;
      expect(row.reachability).toBe('unreachable');
    } finally {
      changes.stop();
    }
  });
});
