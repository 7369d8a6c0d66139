import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../util/logger.js';
import { OnboardingRunner } from './onboarding-runner.js';
import { done, failed, todo, type CheckResult, type StepDef } from './step.js';

/**
 * A tiny world the steps act on: `facts` is what exists on the machine (a container, a
 * registration); actions create facts, checks read them. Counters prove what ran how often.
 */
interface World {
  facts: Set<string>;
  runs: Record<string, number>;
  checks: Record<string, number>;
  /** The next run of this action throws. */
  failNext: Set<string>;
  /** This action hangs forever after creating its fact (an app killed mid-step). */
  hangAfterEffect: Set<string>;
  applies: Record<string, boolean>;
}

function world(): World {
  return { facts: new Set(), runs: {}, checks: {}, failNext: new Set(), hangAfterEffect: new Set(), applies: {} };
}

function autoStep(id: string): StepDef<World> {
  return {
    id,
    title: id,
    appliesWhen: (w) => w.applies[id] ?? true,
    check: async (w): Promise<CheckResult> => {
      w.checks[id] = (w.checks[id] ?? 0) + 1;
      return w.facts.has(id) ? done() : todo(`${id} not there yet`);
    },
    action: {
      id: `${id}.do`,
      label: `Do ${id}`,
      run: async (w) => {
        w.runs[id] = (w.runs[id] ?? 0) + 1;
        if (w.failNext.delete(id)) throw new Error(`${id} broke`);
        w.facts.add(id);
        if (w.hangAfterEffect.has(id)) await new Promise(() => undefined);
      },
    },
    failureText: `${id} failed`,
  };
}

function userStep(id: string): StepDef<World> {
  return {
    id,
    title: id,
    appliesWhen: () => true,
    check: async (w, info) => (w.facts.has(id) || info.confirmed.has(id) ? done() : todo(`waiting for the person: ${id}`)),
    action: { id: `${id}.screen`, label: `Open ${id}` },
    failureText: `${id} failed`,
  };
}

let dir: string;
let file: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'riglease-onboarding-'));
  file = path.join(dir, 'state', 'onboarding.json');
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

function runner(w: World, steps: StepDef<World>[]): OnboardingRunner<World> {
  return new OnboardingRunner({ steps, file, context: () => w, logger: silentLogger });
}

const statuses = (s: { steps: { id: string; status: string }[] }) => Object.fromEntries(s.steps.map((x) => [x.id, x.status]));

describe('onboarding runner: step logic', () => {
  it.each<{ name: string; setup: (w: World) => void; steps: () => StepDef<World>[]; want: Record<string, string>; current: string | null; runs: Record<string, number> }>([
    {
      name: 'runs every auto step in order and finishes',
      setup: () => undefined,
      steps: () => [autoStep('a'), autoStep('b')],
      want: { a: 'done', b: 'done' },
      current: null,
      runs: { a: 1, b: 1 },
    },
    {
      name: 'stops at a step that needs the person, leaving later ones pending',
      setup: () => undefined,
      steps: () => [autoStep('a'), userStep('wallet'), autoStep('c')],
      want: { a: 'done', wallet: 'todo', c: 'pending' },
      current: 'wallet',
      runs: { a: 1 },
    },
    {
      name: 'a step whose check already says done is not run',
      setup: (w) => w.facts.add('a'),
      steps: () => [autoStep('a')],
      want: { a: 'done' },
      current: null,
      runs: {},
    },
    {
      name: 'a step that does not apply is skipped',
      setup: (w) => (w.applies['fixes'] = false),
      steps: () => [autoStep('fixes'), autoStep('b')],
      want: { fixes: 'skipped', b: 'done' },
      current: null,
      runs: { b: 1 },
    },
    {
      name: 'a failing action fails its step and nothing after it runs',
      setup: (w) => w.failNext.add('a'),
      steps: () => [autoStep('a'), autoStep('b')],
      want: { a: 'failed', b: 'pending' },
      current: 'a',
      runs: { a: 1 },
    },
  ])('$name', async ({ setup, steps, want, current, runs }) => {
    const w = world();
    setup(w);
    const s = await runner(w, steps()).next();
    expect(statuses(s)).toEqual(want);
    expect(s.current).toBe(current);
    expect(s.finished).toBe(current === null);
    expect(w.runs).toEqual(runs);
  });

  it('says why a step failed, with its failure text, and the action the UI offers', async () => {
    const w = world();
    w.failNext.add('a');
    const s = await runner(w, [autoStep('a')]).next();
    const a = s.steps[0]!;
    expect(a.reason).toBe('a failed (a broke)');
    expect(a.action).toEqual({ id: 'a.do', label: 'Do a', kind: 'auto' });
    expect(a.checkAgainLabel).toBe('Check again');
    expect(a.attempts).toBe(1);
  });

  it('a check that throws fails the step instead of the wizard', async () => {
    const w = world();
    const broken: StepDef<World> = { ...autoStep('a'), check: () => Promise.reject(new Error('docker gone')) };
    const s = await runner(w, [broken]).next();
    expect(s.steps[0]).toMatchObject({ status: 'failed', reason: 'a failed (docker gone)' });
  });

  it('an action that runs but leaves the check unhappy is a failure, not a silent pass', async () => {
    const w = world();
    const liar: StepDef<World> = { ...autoStep('a'), action: { id: 'x', label: 'x', run: async () => undefined } };
    const s = await runner(w, [liar]).next();
    expect(s.steps[0]).toMatchObject({ status: 'failed', reason: 'a failed (a not there yet)' });
  });

  it('a confirmation counts from then on, and an unknown step is refused', async () => {
    const w = world();
    const r = runner(w, [userStep('review'), autoStep('go')]);
    expect(statuses(await r.next())).toEqual({ review: 'todo', go: 'pending' });
    expect(statuses(await r.next('review'))).toEqual({ review: 'done', go: 'done' });
    await expect(r.next('nope')).rejects.toMatchObject({ code: 'not_found' });
  });
});

describe('onboarding runner: resume after a crash', () => {
  it('a step killed after its work was done becomes done without running again', async () => {
    const w = world();
    w.hangAfterEffect.add('b');
    const steps = [autoStep('a'), autoStep('b'), autoStep('c')];
    // The first app run hangs inside b's action after creating its container; then the app dies.
    void runner(w, steps).next();
    await expect.poll(async () => (JSON.parse(await readFile(file, 'utf8')) as { data: { steps: Record<string, { status: string }> } }).data.steps['b']?.status).toBe('running');
    expect(w.runs).toEqual({ a: 1, b: 1 });

    // A fresh app on the same file: b's check finds the work, a is not even checked again.
    w.hangAfterEffect.clear();
    const checksOfA = w.checks['a'];
    const resumed = runner(w, steps);
    const before = await resumed.state();
    expect(before.current).toBe('b');
    expect(before.steps[1]).toMatchObject({ status: 'running', attempts: 1 });
    const s = await resumed.next();
    expect(statuses(s)).toEqual({ a: 'done', b: 'done', c: 'done' });
    expect(w.runs).toEqual({ a: 1, b: 1, c: 1 });
    expect(w.checks['a']).toBe(checksOfA);
  });

  it('a step killed before its work was done runs its action once more', async () => {
    const w = world();
    const steps = [autoStep('a'), autoStep('b')];
    const hang: StepDef<World> = { ...steps[1]!, action: { ...steps[1]!.action, run: async (x) => void (x.runs['b'] = (x.runs['b'] ?? 0) + 1, await new Promise(() => undefined)) } };
    void runner(w, [steps[0]!, hang]).next();
    await expect.poll(async () => (await readFile(file, 'utf8').catch(() => '')).includes('"running"')).toBe(true);

    const s = await runner(w, steps).next();
    expect(statuses(s)).toEqual({ a: 'done', b: 'done' });
    expect(w.runs).toEqual({ a: 1, b: 2 });
    expect(s.steps[1]!.attempts).toBe(2);
  });

  it('progress written by one app is read by the next: finished stays finished without any check', async () => {
    const w = world();
    const steps = [autoStep('a'), autoStep('b')];
    expect((await runner(w, steps).next()).finished).toBe(true);
    const checks = { ...w.checks };
    const again = await runner(w, steps).next();
    expect(again.finished).toBe(true);
    expect(w.checks).toEqual(checks);
  });

  it('a damaged progress file is set aside and the wizard starts over from the checks', async () => {
    const w = world();
    w.facts.add('a');
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, '{"version":1,"data":{"steps":"garbage"}}');
    const s = await runner(w, [autoStep('a')]).next();
    expect(statuses(s)).toEqual({ a: 'done' });
    expect(w.runs['a']).toBeUndefined();
  });
});

describe('onboarding runner: retry', () => {
  it('a failed step stays failed on "next" and runs again on "retry"', async () => {
    const w = world();
    w.failNext.add('a');
    const r = runner(w, [autoStep('a'), autoStep('b')]);
    expect((await r.next()).steps[0]!.status).toBe('failed');
    expect((await r.next()).steps[0]!.status).toBe('failed');
    expect(w.runs['a']).toBe(1);
    const s = await r.retry('a');
    expect(statuses(s)).toEqual({ a: 'done', b: 'done' });
    expect(w.runs['a']).toBe(2);
    expect(s.steps[0]!.attempts).toBe(2);
  });

  it('"check again" on a waiting step moves on once the person did it', async () => {
    const w = world();
    const r = runner(w, [userStep('wallet'), autoStep('b')]);
    expect((await r.next()).current).toBe('wallet');
    w.facts.add('wallet');
    expect(statuses(await r.retry('wallet'))).toEqual({ wallet: 'done', b: 'done' });
  });

  it('refuses to retry a finished step', async () => {
    const w = world();
    const r = runner(w, [autoStep('a')]);
    await r.next();
    await expect(r.retry('a')).rejects.toMatchObject({ code: 'conflict' });
  });

  it('two callers at once run each action once', async () => {
    const w = world();
    const r = runner(w, [autoStep('a'), autoStep('b')]);
    const [x, y] = await Promise.all([r.next(), r.next()]);
    expect(x.finished && y.finished).toBe(true);
    expect(w.runs).toEqual({ a: 1, b: 1 });
  });

  it('a check can report failure directly', async () => {
    const w = world();
    const bad: StepDef<World> = { ...userStep('net'), check: async () => failed('port 8443 closed') };
    const s = await runner(w, [bad]).next();
    expect(s.steps[0]).toMatchObject({ status: 'failed', reason: 'port 8443 closed' });
  });
});
