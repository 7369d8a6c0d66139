import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fakeNvidiaSmiEnv, nvidiaFixture } from '../../../test/fake-nvidia-smi/index.js';
import { AvailabilitySettings } from '../../api/schemas/settings/availability.js';
import { runNvidiaScan } from '../../hardware/nvidia/run-nvidia-scan.js';
import { parseNvidiaSmiXml } from '../../hardware/nvidia/parse-xml.js';
import { silentLogger } from '../../util/logger.js';
import { AvailabilityService } from './availability-service.js';
import { decide, localTime } from './decide.js';
import { noIdleSource } from './idle-source.js';
import { linuxCgroupClassifier } from './process-classifier.js';
import { readFileSync } from 'node:fs';

/**
 * Gaming mode end to end on real nvidia-smi captures: the fake nvidia-smi prints a capture, the
 * hardware scan parses its process list, the service pauses bidding (the bid table's paused
 * flag), notifies, logs the reason, and resumes by itself after the configured quiet time.
 */

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'riglease-gaming-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

function processesOf(capture: string) {
  const xml = readFileSync(nvidiaFixture(capture), 'utf8').replace(/^(<\?xml[^>]*>\s*)?<!--.*?-->\s*/s, '$1');
  return parseNvidiaSmiXml(xml).gpus.flatMap((g) => g.processes.map((p) => ({ pid: p.pid, name: p.name, ours: false })));
}

describe('gaming detection on real captures', () => {
  const at = new Date('2026-11-30T12:00:00Z');
  const online = { mode: 'online' as const, pausedUntil: null, pauseReason: null, lastForeignGpuAt: null };
  it.each([
    ['a desktop with only Xorg', 'a10g_515.105.01_1gpu.xml', {}, true, []],
    ['KDE desktop with Chromium and an Electron app', 'gt1030_470.74_1gpu.xml', {}, false, ['chromium', 'electron']],
    ['GNOME with Edge, Firefox and VS Code', 'rtx3080_536.40_1gpu.xml', {}, false, ['msedge', 'firefox', 'code']],
    ['a miner the user runs on purpose, ignored by name', 'gtx1080_460.27.04_2gpu.xml', { gaming: { ignoreProcessNames: ['nbminer'] } }, true, []],
    ['the same miner, not ignored', 'gtx1080_460.27.04_2gpu.xml', {}, false, ['nbminer']],
    ['a Windows vGPU guest: explorer.exe is the desktop, unnamed processes count by pid', 'gridp41q_513.46_1gpu.xml', {}, false, null],
    ['no processes at all', 'rtx4090_535.86.05_1gpu.xml', {}, true, []],
  ] as const)('%s', (_name, capture, over, bidding, names) => {
    const d = decide(online, AvailabilitySettings.parse(over), at, processesOf(capture), null);
    expect(d.bidding).toBe(bidding);
    if (names) for (const n of names) expect(d.foreignProcesses).toContain(n);
    if (names && names.length === 0) expect(d.foreignProcesses).toEqual([]);
    if (names === null) expect(d.foreignProcesses.every((n) => n.startsWith('pid ') && n !== 'explorer.exe')).toBe(true);
  });
});

describe('gaming mode through the service', () => {
  it('pauses when a non-RigLease process uses the GPU, notifies, and resumes by itself after the quiet time', async () => {
    const env: NodeJS.ProcessEnv = fakeNvidiaSmiEnv({ xml: 'a10g_515.105.01_1gpu.xml' });
    let clock = new Date('2026-11-30T20:00:00Z');
    const table: Array<{ bidding: boolean; reason: string }> = [];
    const notes: Array<{ title: string; body: string }> = [];
    const settings = AvailabilitySettings.parse({ gaming: { resumeAfterMinutes: 5 } });
    const service = new AvailabilityService({
      stateFile: path.join(dir, 'availability.json'),
      historyFile: path.join(dir, 'availability.jsonl'),
      settings: async () => settings,
      gpuProcesses: async () => {
        const scan = await runNvidiaScan({ env, platform: 'linux', configuredPath: null, timeoutMs: 10_000 });
        return scan.status.state === 'ok' ? scan.gpus.flatMap((g) => g.processes.map((p) => ({ pid: p.pid, name: p.name }))) : null;
      },
      // The capture's pids belong to another machine: no cgroup here, so none is RigLease's.
      isOurs: linuxCgroupClassifier(async () => null),
      idle: noIdleSource,
      listActiveLeases: async () => [],
      onBiddingChange: async (bidding, reason) => {
        table.push({ bidding, reason });
      },
      onStatus: () => undefined,
      notify: (title, body) => notes.push({ title, body }),
      now: () => clock,
      logger: silentLogger,
    });

    expect((await service.tick()).activity).toBe('online');
    expect(table.at(-1)?.bidding).toBe(true);

    env['FAKE_NVIDIA_SMI_XML'] = nvidiaFixture('rtx3080_536.40_1gpu.xml');
    clock = new Date(clock.getTime() + 30_000);
    const gaming = await service.tick();
    expect(gaming).toMatchObject({ activity: 'gaming', bidding: false });
    expect(gaming.gaming.processes).toEqual(expect.arrayContaining(['msedge', 'firefox', 'code']));
    expect(table.at(-1)).toMatchObject({ bidding: false });
    expect(notes).toHaveLength(1);
    expect(notes[0]!.title).toMatch(/paused for gaming/);

    // The game ends: still paused for the quiet time, then back by itself.
    env['FAKE_NVIDIA_SMI_XML'] = nvidiaFixture('a10g_515.105.01_1gpu.xml');
    clock = new Date(clock.getTime() + 60_000);
    const quiet = await service.tick();
    expect(quiet.bidding).toBe(false);
    expect(quiet.resumesAt).toBe(new Date(clock.getTime() - 60_000 + 5 * 60_000).toISOString());
    clock = new Date(clock.getTime() + 5 * 60_000);
    const back = await service.tick();
    expect(back).toMatchObject({ activity: 'online', bidding: true });
    expect(table.at(-1)).toMatchObject({ bidding: true });
    expect(notes).toHaveLength(2);
    expect(notes[1]!.title).toMatch(/bidding again/);

    const history = await service.history.read(10);
    expect(history.filter((h) => h.automatic).map((h) => h.to)).toEqual(['online', 'gaming']);
    expect(history.find((h) => h.to === 'gaming')!.reason).toMatch(/msedge.*is using the GPU/);
  });

  it('background checks scan the GPU only while a provider runs; asked-for checks always do', async () => {
    const env: NodeJS.ProcessEnv = fakeNvidiaSmiEnv({ xml: 'rtx3080_536.40_1gpu.xml' });
    let scans = 0;
    let providing = false;
    const service = new AvailabilityService({
      stateFile: path.join(dir, 'availability.json'),
      historyFile: path.join(dir, 'availability.jsonl'),
      settings: async () => AvailabilitySettings.parse({}),
      watchInBackground: () => providing,
      gpuProcesses: async () => {
        scans++;
        return (await runNvidiaScan({ env, platform: 'linux', configuredPath: null, timeoutMs: 10_000 })).gpus.flatMap((g) => g.processes);
      },
      isOurs: async () => false,
      idle: noIdleSource,
      listActiveLeases: async () => [],
      onBiddingChange: async () => undefined,
      onStatus: () => undefined,
      logger: silentLogger,
    });
    const idle = await service.tick({ background: true });
    expect(scans).toBe(0);
    expect(idle.notes.join(' ')).toMatch(/only while the provider runs/);
    expect((await service.tick()).activity).toBe('gaming');
    expect(scans).toBe(1);
    providing = true;
    expect((await service.tick({ background: true })).activity).toBe('gaming');
    expect(scans).toBe(2);
  });

  it('a manual pause wins over gaming, and gaming does not end it', async () => {
    const env: NodeJS.ProcessEnv = fakeNvidiaSmiEnv({ xml: 'rtx3080_536.40_1gpu.xml' });
    const service = new AvailabilityService({
      stateFile: path.join(dir, 'availability.json'),
      historyFile: path.join(dir, 'availability.jsonl'),
      settings: async () => AvailabilitySettings.parse({}),
      gpuProcesses: async () => (await runNvidiaScan({ env, platform: 'linux', configuredPath: null, timeoutMs: 10_000 })).gpus.flatMap((g) => g.processes),
      isOurs: async () => false,
      idle: noIdleSource,
      listActiveLeases: async () => [],
      onBiddingChange: async () => undefined,
      onStatus: () => undefined,
      logger: silentLogger,
    });
    await service.set({ mode: 'pause' });
    expect((await service.tick()).activity).toBe('paused');
  });
});

describe('times in reasons', () => {
  const now = new Date(2026, 10, 30, 14, 0);
  it.each([
    [new Date(2026, 10, 30, 15, 14).toISOString(), '15:14'],
    [new Date(2026, 11, 1, 8, 0).toISOString(), 'Tue 1 Dec 08:00'],
    ['not a time', 'not a time'],
  ])('%s → %s', (iso, text) => {
    expect(localTime(iso, now)).toBe(text);
  });
});
