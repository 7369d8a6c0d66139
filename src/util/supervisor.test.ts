import { describe, expect, it } from 'vitest';
import { Supervisor } from './supervisor.js';

const waitFor = async (cond: () => boolean, ms = 10_000) => {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
};

describe('Supervisor', () => {
  it('passes lines through, restarts a child that dies, and stops for good', async () => {
    const lines: string[] = [];
    const exits: boolean[] = [];
    const sup = new Supervisor({
      name: 't',
      file: 'sh',
      args: ['-c', 'echo tick; sleep 0.2; exit 1'],
      onLine: (l) => lines.push(l),
      onExit: (e) => exits.push(e.willRestart),
      initialBackoffMs: 50,
      maxBackoffMs: 100,
    });
    sup.start();
    await waitFor(() => sup.spawnCount >= 3);
    expect(lines.filter((l) => l === 'tick').length).toBeGreaterThanOrEqual(2);
    expect(exits.every(Boolean)).toBe(true);
    await sup.stop();
    const count = sup.spawnCount;
    expect(sup.running).toBe(false);
    await new Promise((r) => setTimeout(r, 400));
    expect(sup.spawnCount).toBe(count);
  });

  it('gives up after repeated spawn failures instead of looping forever', async () => {
    const errors: string[] = [];
    let gaveUp = false;
    const sup = new Supervisor({
      name: 't',
      file: '/nonexistent/tool',
      args: [],
      onLine: () => undefined,
      onExit: (e) => {
        if (e.error) errors.push(e.error.kind);
        if (!e.willRestart) gaveUp = true;
      },
      initialBackoffMs: 10,
      maxConsecutiveFailures: 3,
    });
    sup.start();
    await waitFor(() => gaveUp);
    expect(errors).toEqual(['absent', 'absent', 'absent']);
    await sup.stop();
  });

  it('stop() kills a running child and resolves once it is gone', async () => {
    const sup = new Supervisor({ name: 't', file: 'sleep', args: ['60'], onLine: () => undefined, initialBackoffMs: 10 });
    sup.start();
    await waitFor(() => sup.pid !== undefined);
    const pid = sup.pid!;
    await sup.stop();
    expect(() => process.kill(pid, 0)).toThrow();
  });
});
