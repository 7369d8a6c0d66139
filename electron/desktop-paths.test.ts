import { chmodSync, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { desktopPaths } from './desktop-paths.js';

const mode = (p: string) => statSync(p).mode & 0o777;
const made: string[] = [];
afterEach(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('the desktop app’s folders', () => {
  it.skipIf(process.platform === 'win32')('are created 0700 under userData, and ones found wider (an older RigLease, a umask of 022) are narrowed', () => {
    const root = mkdtempSync(path.join(tmpdir(), 'riglease-desktop-dirs-'));
    made.push(root);
    const fresh = desktopPaths(path.join(root, 'fresh'), 'linux');
    for (const dir of [fresh.home, fresh.stateDir, fresh.logsDir, fresh.historyDir, fresh.secretsDir]) expect(mode(dir), dir).toBe(0o700);

    const userData = path.join(root, 'old');
    for (const sub of ['', 'state', 'logs']) {
      mkdirSync(path.join(userData, sub), { recursive: true });
      chmodSync(path.join(userData, sub), 0o755);
    }
    const old = desktopPaths(userData, 'linux');
    expect(old.home).toBe(userData);
    for (const dir of [old.home, old.stateDir, old.logsDir]) expect(mode(dir), dir).toBe(0o700);
  });
});
