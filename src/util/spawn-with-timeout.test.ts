import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SpawnError, spawnWithTimeout } from './spawn-with-timeout.js';

/** Running, not merely an unreaped zombie (PID 1 in a container may never reap orphans). */
const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
};

describe('spawnWithTimeout', () => {
  it('collects stdout, stderr and the exit code', async () => {
    const r = await spawnWithTimeout('sh', ['-c', 'echo out; echo err >&2; exit 3'], { timeoutMs: 10_000 });
    expect(r).toMatchObject({ code: 3, stdout: 'out\n', stderr: 'err\n', timedOut: false, truncated: false });
  });

  it('kills the whole tree after the timeout, grandchildren included', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'rl-spawn-'));
    const pidFile = path.join(dir, 'grandchild.pid');
    const started = performance.now();
    const r = await spawnWithTimeout('sh', ['-c', `sleep 60 & echo $! > ${pidFile}; wait`], { timeoutMs: 800 });
    expect(r.timedOut).toBe(true);
    expect(r.signal).toBe('SIGKILL');
    expect(performance.now() - started).toBeLessThan(5000);
    const grandchild = Number(readFileSync(pidFile, 'utf8').trim());
    await new Promise((res) => setTimeout(res, 100));
    expect(alive(grandchild)).toBe(false);
  });

  it('caps the output it keeps', async () => {
    const r = await spawnWithTimeout('sh', ['-c', 'head -c 100000 /dev/zero'], { timeoutMs: 10_000, maxOutputBytes: 1000 });
    expect(r.stdout.length).toBe(1000);
    expect(r.truncated).toBe(true);
  });

  it('rejects with kind "absent" for a missing file', async () => {
    await expect(spawnWithTimeout('/nonexistent/tool', [], { timeoutMs: 1000 })).rejects.toMatchObject({ kind: 'absent' });
  });

  it('rejects with kind "permission_denied" for a file that may not run', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'rl-spawn-'));
    const file = path.join(dir, 'tool');
    writeFileSync(file, '#!/bin/sh\necho hi\n');
    chmodSync(file, 0o644);
    const err = await spawnWithTimeout(file, [], { timeoutMs: 1000 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SpawnError);
    expect((err as SpawnError).kind).toBe('permission_denied');
  });

  it('honours an AbortSignal by killing the child', async () => {
    const ac = new AbortController();
    const p = spawnWithTimeout('sleep', ['60'], { timeoutMs: 60_000, signal: ac.signal });
    setTimeout(() => ac.abort(), 200);
    await expect(p).rejects.toMatchObject({ kind: 'aborted' });
  });
});
