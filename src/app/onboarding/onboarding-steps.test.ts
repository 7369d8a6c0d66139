import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HardwareReport } from '../../api/schemas/hardware.js';
import { HardwareSettings } from '../../api/schemas/settings/hardware.js';
import { createHardwareService, type HardwareService } from '../../hardware/index.js';
import { silentLogger } from '../../util/logger.js';
import { fakeNvidiaSmiEnv } from '../../../test/fake-nvidia-smi/index.js';
import { TEST_DOCKER_HOST } from '../../../test/docker/engine.js';
import { EventHub } from '../../core/event-hub.js';
import { OnboardingRunner } from './onboarding-runner.js';
import { onboardingSteps, type OnboardingContext } from './onboarding-steps.js';
import { done, failed, todo, type CheckResult } from './step.js';

/** The real hardware service on a real capture and the test Docker engine (which has no GPU runtime: it blocks). */
let hardware: HardwareService;
let blockedReport: HardwareReport;
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'riglease-onboarding-steps-'));
  hardware = createHardwareService({
    env: { ...fakeNvidiaSmiEnv({ xml: 'rtx4090_535.86.05_1gpu.xml' }), DOCKER_HOST: TEST_DOCKER_HOST },
    platform: process.platform,
    homeDir: os.homedir(),
    settings: async () => HardwareSettings.parse({}),
    hub: new EventHub(),
    logger: silentLogger,
  });
  blockedReport = await hardware.scan({ maxAgeMs: 0 });
});
afterAll(async () => {
  await hardware.stop();
  await rm(dir, { recursive: true, force: true });
});

/** The same machine after the person followed every fix: the real report with its blocks resolved. */
function fixed(report: HardwareReport): HardwareReport {
  return { ...report, verdict: 'ready', checks: report.checks.map((c) => (c.status === 'block' ? { ...c, status: 'ok' as const } : c)) };
}

interface Seams {
  machine: 'blocked' | 'fixed';
  wallet: CheckResult;
  pricing: CheckResult | 'confirm';
  network: CheckResult;
  providing: () => CheckResult;
  start?: 'plugged';
}

function setup(seams: Seams, name: string) {
  let last: HardwareReport | null = null;
  const calls = { scans: 0, starts: 0 };
  let running = false;
  const report = () => (seams.machine === 'blocked' ? blockedReport : fixed(blockedReport));
  const ctx: OnboardingContext = {
    scan: async (maxAgeMs) => {
      calls.scans++;
      // The real scan runs (nvidia-smi on the capture, the real engine); "fixed" only changes its verdict.
      await hardware.scan({ maxAgeMs });
      last = report();
      return last;
    },
    lastReport: () => last,
    wallet: async () => seams.wallet,
    pricing: async (confirmed) => (seams.pricing === 'confirm' ? (confirmed ? done() : todo('confirm your prices')) : seams.pricing),
    network: async () => seams.network,
    providing: async () => (running ? done() : seams.providing()),
    ...(seams.start
      ? {
          startProviding: async () => {
            calls.starts++;
            running = true;
          },
        }
      : {}),
  };
  const runner = new OnboardingRunner({ steps: onboardingSteps(ctx), file: path.join(dir, `${name}.json`), context: () => ctx, logger: silentLogger });
  return { runner, calls, ctx };
}

const ok: Omit<Seams, 'machine'> = { wallet: done(), pricing: done(), network: done(), providing: () => done() };
const order = ['readiness', 'fixes', 'wallet', 'pricing', 'network', 'review', 'start-providing'];

describe('the real onboarding steps', () => {
  it('are declared in the order the issue names', () => {
    expect(onboardingSteps({}).map((s) => s.id)).toEqual(order);
  });

  it.each<{ name: string; seams: Seams; confirm?: string[]; want: Record<string, string>; current: string | null; reason?: RegExp }>([
    {
      name: 'a machine with blocking problems stops at "fixes", naming them',
      seams: { machine: 'blocked', ...ok },
      want: { readiness: 'done', fixes: 'todo', wallet: 'pending' },
      current: 'fixes',
      reason: /still block: .*GPUs in containers/,
    },
    {
      name: 'a ready machine skips "fixes" and waits for a wallet',
      seams: { machine: 'fixed', ...ok, wallet: todo('No wallet yet') },
      want: { readiness: 'done', fixes: 'skipped', wallet: 'todo', pricing: 'pending' },
      current: 'wallet',
      reason: /No wallet yet/,
    },
    {
      name: 'prices wait for the person to confirm them',
      seams: { machine: 'fixed', ...ok, pricing: 'confirm' },
      want: { wallet: 'done', pricing: 'todo', network: 'pending' },
      current: 'pricing',
    },
    {
      name: 'closed ports fail "network" and nothing after it runs',
      seams: { machine: 'fixed', ...ok, network: failed('ports 8443/8444 not reachable') },
      want: { pricing: 'done', network: 'failed', review: 'pending', 'start-providing': 'pending' },
      current: 'network',
      reason: /8443\/8444/,
    },
    {
      name: 'everything set but not yet reviewed waits at "review"',
      seams: { machine: 'fixed', ...ok },
      want: { network: 'done', review: 'todo', 'start-providing': 'pending' },
      current: 'review',
    },
    {
      name: 'after the review, a stopped stack waits for the person to press "Start providing"',
      seams: { machine: 'fixed', ...ok, providing: () => todo('The provider stack is stopped.') },
      confirm: ['review'],
      want: { review: 'done', 'start-providing': 'todo' },
      current: 'start-providing',
    },
    {
      name: 'with start-providing plugged, the wizard starts it itself and finishes',
      seams: { machine: 'fixed', ...ok, providing: () => todo('The provider stack is stopped.'), start: 'plugged' },
      confirm: ['review'],
      want: { review: 'done', 'start-providing': 'done' },
      current: null,
    },
  ])('$name', async ({ name, seams, confirm = [], want, current, reason }) => {
    const { runner, calls } = setup(seams, name.replace(/\W+/g, '-'));
    let state = await runner.next();
    for (const id of confirm) state = await runner.next(id);
    const got = Object.fromEntries(state.steps.map((s) => [s.id, s.status]));
    for (const [id, status] of Object.entries(want)) expect(got[id], id).toBe(status);
    expect(state.current).toBe(current);
    expect(state.finished).toBe(current === null);
    if (reason) expect(state.steps.find((s) => s.id === current)?.reason).toMatch(reason);
    expect(calls.starts).toBe(seams.start && current === null ? 1 : 0);
    const start = state.steps.find((s) => s.id === 'start-providing')!;
    expect(start.action.kind).toBe(seams.start ? 'auto' : 'user');
  }, 30_000);

  it('an app that stopped right after the scan still shows "fixes" when it comes back', async () => {
    const seams: Seams = { machine: 'blocked', ...ok };
    const before = setup(seams, 'restart-after-scan');
    // The first app only got as far as the readiness step, then quit.
    const file = path.join(dir, 'restart-after-scan.json');
    const partial = new OnboardingRunner({ steps: onboardingSteps({}).slice(0, 1), file, context: () => before.ctx, logger: silentLogger });
    expect((await partial.next()).finished).toBe(true);
    // A new app: no report in memory yet.
    const after = setup(seams, 'restart-after-scan');
    expect(after.ctx.lastReport()).toBeNull();
    const state = await after.runner.next();
    expect(state.steps.find((s) => s.id === 'readiness')?.status).toBe('done');
    expect(state.current).toBe('fixes');
  }, 30_000);

  it('after the person fixed the machine, "check again" on fixes moves on', async () => {
    const seams: Seams = { machine: 'blocked', ...ok, wallet: todo('No wallet yet') };
    const { runner } = setup(seams, 'fix-then-check');
    expect((await runner.next()).current).toBe('fixes');
    seams.machine = 'fixed';
    const state = await runner.retry('fixes');
    expect(state.steps.find((s) => s.id === 'fixes')?.status).toBe('done');
    expect(state.current).toBe('wallet');
  }, 30_000);

  it('"continue anyway" accepts blocks that leave a working provider, never one that makes it impossible', async () => {
    const seams: Seams = { machine: 'blocked', ...ok, wallet: todo('No wallet yet') };
    const { runner } = setup(seams, 'accept-soft-blocks');
    const stopped = await runner.next();
    expect(stopped.current).toBe('fixes');
    expect(stopped.steps.find((s) => s.id === 'fixes')?.reason).toContain('Or continue anyway');
    const accepted = await runner.next('fixes');
    expect(accepted.steps.find((s) => s.id === 'fixes')?.status).toBe('done');
    expect(accepted.current).toBe('wallet');

    // The same machine with its Docker engine gone: that block cannot be waved through.
    const noEngine = (r: HardwareReport): HardwareReport => ({ ...r, checks: r.checks.map((c) => (c.id === 'docker.engine' ? { ...c, status: 'block' as const } : c)) });
    const hard = setup(seams, 'accept-hard-block');
    const scan = hard.ctx.scan;
    hard.ctx.scan = async (age) => noEngine(await scan(age));
    hard.ctx.lastReport = () => noEngine(blockedReport);
    await hard.runner.next();
    const refused = await hard.runner.next('fixes');
    expect(refused.current).toBe('fixes');
    expect(refused.steps.find((s) => s.id === 'fixes')?.reason).toMatch(/Docker.* cannot be skipped/);
  }, 30_000);
});
