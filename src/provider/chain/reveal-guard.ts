import path from 'node:path';
import { z } from 'zod';
import { RigError } from '../../api/errors.js';
import { VersionedJsonFile } from '../../store/json-file.js';

/** After this many wrong passphrases in a row, reveals are locked for LOCKOUT_MS. */
export const MAX_FAILURES = 5;
export const LOCKOUT_MS = 60 * 60_000;
/** The first wrong passphrase is a typo and costs nothing; the second waits this long, and each after it twice as long. */
const BASE_DELAY_MS = 2_000;

const Attempts = z
  .object({
    failures: z.number().int().min(0),
    /** Epoch ms before which no passphrase is even checked. */
    notBefore: z.number().int().min(0),
  })
  .strict();
type Attempts = z.infer<typeof Attempts>;

/**
 * Rate-limits the passphrase check in front of a reveal: a reveal answers whether a guess was
 * right, so without a limit it is an online guessing oracle. The count lives in state/ and is
 * written atomically, so restarting the agent does not reset it.
 */
export class RevealGuard {
  private readonly file: VersionedJsonFile<typeof Attempts>;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(stateDir: string, private readonly now: () => number = Date.now) {
    // A damaged counter is set aside and the lockout starts over, which is no worse than no file.
    this.file = new VersionedJsonFile({ file: path.join(stateDir, 'reveal-attempts.json'), schema: Attempts, version: 1 });
  }

  /** Runs `check` unless a wait is in force; counts a false answer, clears the count on a true one. */
  async attempt(check: () => Promise<boolean>): Promise<boolean> {
    const run = async () => {
      const a = await this.file.read(() => ({ failures: 0, notBefore: 0 }));
      const now = this.now();
      if (now < a.notBefore) throw tooSoon(a, a.notBefore - now);
      const ok = await check();
      if (ok) {
        if (a.failures > 0) await this.file.write({ failures: 0, notBefore: 0 });
        return true;
      }
      const failures = a.failures + 1;
      const wait = failures >= MAX_FAILURES ? LOCKOUT_MS : failures === 1 ? 0 : BASE_DELAY_MS * 2 ** (failures - 2);
      await this.file.write({ failures, notBefore: this.now() + wait });
      return false;
    };
    const next = this.queue.then(run, run);
    this.queue = next.catch(() => undefined);
    return next;
  }
}

function tooSoon(a: Attempts, waitMs: number): RigError {
  const at = new Date(a.notBefore).toISOString().replace(/\.\d{3}Z$/, 'Z');
  const locked = a.failures >= MAX_FAILURES;
  return new RigError(
    'forbidden',
    locked
      ? `The recovery phrase is locked after ${a.failures} wrong passphrases in a row. Try again after ${at} (in ${describeWait(waitMs)}).`
      : `Too soon after a wrong passphrase: try again after ${at} (in ${describeWait(waitMs)}).`,
    locked ? 'Wait until then, or use your written copy of the recovery phrase.' : 'Wait, then type the passphrase carefully.',
  );
}

function describeWait(ms: number): string {
  const s = Math.ceil(ms / 1000);
  if (s < 60) return `${s} second${s === 1 ? '' : 's'}`;
  const m = Math.ceil(s / 60);
  return `${m} minute${m === 1 ? '' : 's'}`;
}
