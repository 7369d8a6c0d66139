import { mkdir, open, readFile, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { RigError } from '../api/errors.js';

/** A lock whose holder died (SIGKILL, power cut) is taken over after this long, even if its pid was reused. */
const STALE_MS = 30_000;
const WAIT_MS = 10_000;

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: the process exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function isStale(lock: string): Promise<boolean> {
  try {
    const [text, info] = await Promise.all([readFile(lock, 'utf8'), stat(lock)]);
    const pid = Number.parseInt(text, 10);
    return Date.now() - info.mtimeMs > STALE_MS || !Number.isInteger(pid) || pid <= 0 || !alive(pid);
  } catch (err) {
    // Released between our open and our read: not stale, just try again.
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw err;
  }
}

/**
 * Runs `work` while holding `<file>.lock`, so two processes (the serving agent and a CLI
 * command) never read-modify-write the same file at once and undo each other's change. The lock
 * is a file created exclusively, holding our pid; a dead holder's lock is taken over.
 */
export async function withFileLock<T>(file: string, work: () => Promise<T>): Promise<T> {
  const lock = `${file}.lock`;
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    try {
      const handle = await open(lock, 'wx', 0o600);
      try {
        await handle.writeFile(String(process.pid));
      } finally {
        await handle.close();
      }
      break;
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      // A first write on a fresh machine: the folder the file goes in does not exist yet.
      if (code === 'ENOENT' && Date.now() <= deadline) {
        await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
        continue;
      }
      if (code !== 'EEXIST') throw err;
      if (await isStale(lock)) {
        await rm(lock, { force: true });
        continue;
      }
      if (Date.now() > deadline) {
        throw new RigError('conflict', `Another RigLease process has been changing ${file} for over ${WAIT_MS / 1000} s.`, `Try again in a moment; if it keeps happening, stop other riglease commands, then delete ${lock}.`);
      }
      await new Promise((r) => setTimeout(r, 20 + Math.random() * 30));
    }
  }
  try {
    return await work();
  } finally {
    await rm(lock, { force: true });
  }
}
