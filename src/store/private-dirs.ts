import { chmodSync, mkdirSync, statSync } from 'node:fs';
import type { Paths } from './paths.js';

/**
 * The data folder and what holds state, logs, history and secrets are for this user only
 * (0700): logs and state name wallets, leases and endpoints, and an umask of 022 would make
 * them readable by every account on a shared rig. A folder found wider (an older RigLease, a
 * copy, a umask) is narrowed. Synchronous: it runs once, before anything is written there.
 * Windows has no mode bits; its per-user app-data folder is private already.
 */
export function securePrivateDirs(paths: Paths, platform: NodeJS.Platform = process.platform): void {
  for (const dir of [paths.home, paths.stateDir, paths.logsDir, paths.historyDir, paths.secretsDir]) {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    if (platform === 'win32') continue;
    if ((statSync(dir).mode & 0o077) !== 0) chmodSync(dir, 0o700);
  }
}
