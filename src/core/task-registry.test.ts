import { describe, expect, it } from 'vitest';
import { RigError } from '../api/errors.js';
import type { TaskSnapshot } from '../api/schemas/task.js';
import { EventHub } from './event-hub.js';
import { TaskRegistry } from './task-registry.js';

function setup() {
  const hub = new EventHub();
  const events: TaskSnapshot[] = [];
  hub.subscribe('task.progress', (s) => events.push(s));
  return { tasks: new TaskRegistry(hub), events };
}

describe('TaskRegistry', () => {
  it('returns a ref at once and reports steps, then success with the result', async () => {
    const { tasks, events } = setup();
    const ref = tasks.start('stack up', 2, async (p) => {
      p.step(1, 'Pulling image');
      p.step(2, 'Starting container');
      return { containerId: 'abc' };
    });
    expect(ref.id).toMatch(/^stack-up-[0-9a-f]{8}$/);
    const done = await tasks.wait(ref.id);
    expect(done.state).toBe('succeeded');
    expect(done.result).toEqual({ containerId: 'abc' });
    expect(done.log).toEqual(['Pulling image', 'Starting container']);
    expect(events.map((e) => e.message)).toContain('Starting container');
    expect(events.at(-1)?.state).toBe('succeeded');
  });

  it('tags a failure with the step that failed and keeps the message a person can act on', async () => {
    const { tasks } = setup();
    const ref = tasks.start('stack up', 3, async (p) => {
      p.step(2, 'Checking ports');
      throw new RigError('conflict', 'Port 8443 is already in use by another program.', 'Stop it or pick another port.');
    });
    const done = await tasks.wait(ref.id);
    expect(done.state).toBe('failed');
    expect(done.failedStep).toBe(2);
    expect(done.error).toEqual({ code: 'conflict', message: 'Port 8443 is already in use by another program.', fix: 'Stop it or pick another port.' });
  });

  it('cancels through the signal and says so', async () => {
    const { tasks } = setup();
    const ref = tasks.start('bench', 1, (p) => new Promise((_, reject) => p.signal.addEventListener('abort', () => reject(new Error('aborted')))));
    tasks.cancel(ref.id);
    const done = await tasks.wait(ref.id);
    expect(done.state).toBe('cancelled');
    expect(done.error?.code).toBe('cancelled');
  });

  it('throttles a flood of percent updates to a few events', async () => {
    const { tasks, events } = setup();
    const ref = tasks.start('pull', 1, async (p) => {
      for (let i = 0; i <= 1000; i++) p.percent(i / 10);
    });
    await tasks.wait(ref.id);
    // start + final (+ maybe one timer flush) — never one per chunk.
    expect(events.filter((e) => e.task === ref.id).length).toBeLessThan(6);
  });

  it('answers not_found for an unknown task', () => {
    const { tasks } = setup();
    expect(() => tasks.get('nope')).toThrow(/No task nope/);
  });
});
