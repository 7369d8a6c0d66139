import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AvailabilitySettings } from '../../api/schemas/settings/availability.js';
import { silentLogger } from '../../util/logger.js';
import { AvailabilityService } from './availability-service.js';
import { noIdleSource, type IdleSource } from './idle-source.js';

/**
 * Idle-only mode through the service, with the idle source the desktop app passes in
 * (electron/power-idle.ts: powerMonitor.getSystemIdleTime(), seconds since the last input)
 * replaced by a clock the test moves. What Electron itself returns is not run here (no binary);
 * everything from that number on is.
 */

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'riglease-idle-only-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

function serviceWith(idle: IdleSource, settings: AvailabilitySettings) {
  const table: Array<{ bidding: boolean; reason: string }> = [];
  const service = new AvailabilityService({
    stateFile: path.join(dir, 'availability.json'),
    historyFile: path.join(dir, 'availability.jsonl'),
    settings: async () => settings,
    gpuProcesses: async () => [],
    isOurs: async () => false,
    idle,
    listActiveLeases: async () => [],
    onBiddingChange: async (bidding, reason) => {
      table.push({ bidding, reason });
    },
    onStatus: () => undefined,
    now: () => new Date('2026-11-30T20:00:00Z'),
    logger: silentLogger,
  });
  return { service, table };
}

describe('idle-only mode', () => {
  const settings = AvailabilitySettings.parse({ idleOnly: { enabled: true, idleMinutes: 15 } });

  it('holds bids while the user is at the machine and starts bidding once they have been away long enough', async () => {
    let idleSeconds = 90;
    const { service, table } = serviceWith({ available: true, idleSeconds: () => idleSeconds }, settings);

    const active = await service.tick();
    expect(active).toMatchObject({ activity: 'idle-wait', bidding: false, idleOnly: { enabled: true, available: true } });
    expect(active.reason).toMatch(/after 15 min without input \(14 min to go\)/);
    expect(table.at(-1)).toMatchObject({ bidding: false });

    idleSeconds = 16 * 60;
    const away = await service.tick();
    expect(away).toMatchObject({ activity: 'online', bidding: true });
    expect(table.at(-1)).toMatchObject({ bidding: true });

    // The user touches the mouse again: new bids stop at the next check (running leases are the
    // bid script's business: the paused flag only refuses new orders).
    idleSeconds = 3;
    const back = await service.tick();
    expect(back).toMatchObject({ activity: 'idle-wait', bidding: false });
    expect(table.at(-1)).toMatchObject({ bidding: false });

    // Newest first: every automatic change is in the history with its reason.
    const history = await service.history.read(10);
    expect(history.filter((h) => h.automatic).map((h) => h.to)).toEqual(['idle-wait', 'online']);
    expect(history[0]!.reason).toMatch(/Idle-only: bidding starts after 15 min/);
  });

  it('a manual pause still wins over a machine that has been idle for hours', async () => {
    const { service, table } = serviceWith({ available: true, idleSeconds: () => 5 * 3600 }, settings);
    await service.set({ mode: 'pause' });
    expect(await service.status()).toMatchObject({ activity: 'paused', bidding: false });
    expect(table.at(-1)).toMatchObject({ bidding: false });
  });

  it('headless, where input idle time cannot be read, says so and bids as if the mode were off', async () => {
    const { service } = serviceWith(noIdleSource, settings);
    const st = await service.tick();
    expect(st).toMatchObject({ activity: 'online', bidding: true, idleOnly: { enabled: true, available: false } });
    expect(st.notes.join(' ')).toMatch(/not available headless/);
  });
});
