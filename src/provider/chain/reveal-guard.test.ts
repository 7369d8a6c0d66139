import { mkdtemp, readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { LOCKOUT_MS, MAX_FAILURES, RevealGuard } from './reveal-guard.js';

describe('RevealGuard', () => {
  it('backs off exponentially, locks out after MAX_FAILURES, survives a restart and says when to retry', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'riglease-reveal-'));
    let now = 1_000_000;
    const guard = () => new RevealGuard(dir, () => now);
    const wrong = async () => false;
    expect(await guard().attempt(wrong)).toBe(false); // a typo: no wait
    expect(await guard().attempt(wrong)).toBe(false);
    // A new guard object is a restarted agent: the wait is still there.
    await expect(guard().attempt(async () => true)).rejects.toThrow(/try again after .*\(in 2 seconds\)/);
    now += 2_000;
    expect(await guard().attempt(wrong)).toBe(false);
    now += 2_000;
    await expect(guard().attempt(wrong)).rejects.toThrow(/in 2 seconds/); // doubled to 4 s
    now += 2_000;
    for (let n = 3; n < MAX_FAILURES; n++) {
      expect(await guard().attempt(wrong)).toBe(false);
      now += LOCKOUT_MS;
    }
    const state = JSON.parse(await readFile(path.join(dir, 'reveal-attempts.json'), 'utf8')) as { data: { failures: number } };
    expect(state.data.failures).toBe(MAX_FAILURES);
    now -= 1000; // one second before the hour-long lockout ends
    await expect(guard().attempt(async () => true)).rejects.toThrow(/locked after 5 wrong passphrases.*in 1 second/);
    now += LOCKOUT_MS;
    expect(await guard().attempt(async () => true)).toBe(true);
    expect(await guard().attempt(wrong)).toBe(false); // the count started over after the right one
    expect(await guard().attempt(async () => true)).toBe(true);
  });
});
