import { describe, expect, it } from 'vitest';
import type { StepOutcome } from './field-test-model.js';
import { lastLines } from './field-test-model.js';
import { runFieldSteps, type FieldStep } from './field-test-runner.js';

const step = (id: string, needs: string[], run: () => Promise<StepOutcome>, timeoutMs = 1000): FieldStep<null> => ({ id, title: `title ${id}`, needs, timeoutMs, run: () => run() });
const pass = async (): Promise<StepOutcome> => ({ ok: true, summary: 'fine' });
const fail = async (): Promise<StepOutcome> => ({ ok: false, summary: 'broken', failure: { command: 'kubectl get nodes -o json', exitCode: 1, output: ['refused'] }, fix: 'do this' });

describe('field test step runner', () => {
  it('runs every step in order; a failure marks its dependants "not run" with the reason, independent steps still run', async () => {
    const ran: string[] = [];
    const track = (id: string, o: () => Promise<StepOutcome>) => async () => (ran.push(id), o());
    const r = await runFieldSteps(
      [step('a', [], track('a', pass)), step('b', ['a'], track('b', fail)), step('c', ['b'], track('c', pass)), step('d', ['c'], track('d', pass)), step('e', ['a'], track('e', pass))],
      null,
    );
    expect(ran).toEqual(['a', 'b', 'e']);
    expect(r.map((x) => [x.n, x.status])).toEqual([[1, 'passed'], [2, 'failed'], [3, 'not_run'], [4, 'not_run'], [5, 'passed']]);
    expect(r[1]).toMatchObject({ failure: { command: 'kubectl get nodes -o json', exitCode: 1, output: ['refused'] }, fix: 'do this' });
    expect(r[2]!.summary).toBe('Not run, because step 2 (title b) failed.');
    expect(r[3]!.summary).toBe('Not run, because step 3 (title c) was not run.');
    // A passed step carries no failure or fix, even if the check set one.
    expect(r[0]).toMatchObject({ failure: null, fix: null });
  });

  it('a step past its time is failed with the command it was running; a throwing step is failed with its message', async () => {
    const hang: FieldStep<null> = { id: 'h', title: 'hangs', needs: [], timeoutMs: 50, run: (_c, signal, trace) => (trace('docker exec k kubectl get crd -o json'), new Promise((resolve) => signal.addEventListener('abort', () => resolve({ ok: true, summary: 'too late' })))) };
    const boom = step('t', [], async () => {
      throw new Error('socket hang up');
    });
    const [h, t] = await runFieldSteps([hang, boom], null);
    expect(h).toMatchObject({ status: 'failed', summary: 'This step did not finish within 0 s.', failure: { command: 'docker exec k kubectl get crd -o json', exitCode: null } });
    expect(t).toMatchObject({ status: 'failed', summary: 'This step could not run: socket hang up', failure: { command: '(none started)', output: ['socket hang up'] } });
  });

  it('Ctrl-C stops the running step and marks every later one "not run (cancelled)"', async () => {
    const ctl = new AbortController();
    const slow: FieldStep<null> = { id: 's', title: 'slow', needs: [], timeoutMs: 10_000, run: () => (setTimeout(() => ctl.abort(), 10), new Promise<StepOutcome>(() => undefined)) };
    const started: number[] = [];
    const r = await runFieldSteps([slow, step('x', [], pass)], null, { signal: ctl.signal, onStart: (n) => started.push(n) });
    expect(started).toEqual([1]);
    expect(r[0]).toMatchObject({ status: 'failed', summary: 'Cancelled (Ctrl-C) while this step ran.' });
    expect(r[1]).toMatchObject({ status: 'not_run', summary: 'Not run, because the field test was cancelled.' });
  });

  it('keeps the last lines of output, stderr first, without blank lines', () => {
    expect(lastLines('e1\n\ne2\n', 'o1\no2\n', 3)).toEqual(['e2', 'o1', 'o2']);
  });
});
