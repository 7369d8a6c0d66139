import type { DesktopSettings } from '../../api/schemas/settings/desktop.js';

export type UpdateSettings = DesktopSettings['updates'];

export interface CheckInput {
  settings: UpdateSettings;
  /** Only an installed (packaged) app has a feed to ask; `npm start` does not. */
  packaged: boolean;
  /** RIGLEASE_UPDATE_FEED: a local feed for testing, also in an unpackaged build. */
  feedOverride: string | null;
  lastCheckAt: Date | null;
  now: Date;
}

export type CheckDecision = { check: true } | { check: false; reason: string };

/**
 * Whether to ask the update feed now: at start (no check yet) and then every
 * `checkEveryHours`, only while the user allows it and only where a feed exists.
 */
export function shouldCheckForUpdates(i: CheckInput): CheckDecision {
  if (!i.settings.autoCheck) return { check: false, reason: 'Automatic update checks are off (Settings → desktop.updates.autoCheck).' };
  if (!i.packaged && !i.feedOverride) return { check: false, reason: 'A development build has no update feed (set RIGLEASE_UPDATE_FEED to test one).' };
  if (i.lastCheckAt && i.now.getTime() - i.lastCheckAt.getTime() < i.settings.checkEveryHours * 3_600_000) {
    return { check: false, reason: `Checked less than ${i.settings.checkEveryHours} h ago.` };
  }
  return { check: true };
}

export interface InstallInput {
  /** Long work going on now (stack start or upgrade, registration, a withdrawal, a benchmark). */
  runningOperations: string[];
  /** Leases the provider serves now (their workloads keep running in Docker, but the app goes away for a moment). */
  activeLeases: number;
  /** The window is open: the user is using the app right now. */
  windowVisible: boolean;
  /** The user clicked "Restart to update". */
  userAsked: boolean;
}

export type InstallDecision =
  /** Quit and install now. */
  | { action: 'restart' }
  /** Say the update is ready and wait for the user's click (tray item + notification). */
  | { action: 'ask'; message: string }
  /** Not now, not even when asked: try again when the operation has ended. */
  | { action: 'wait'; message: string };

/**
 * When a downloaded update may restart the app: never during a stack operation (it would be
 * cut in half), never while leases are active or the user is in the window unless they asked;
 * otherwise at once (the app is in the tray, nobody is looking, nothing is running).
 */
export function installDecision(i: InstallInput): InstallDecision {
  if (i.runningOperations.length > 0) {
    const what = i.runningOperations.join(', ');
    return { action: 'wait', message: `The update installs when ${what} has finished; restarting now would cut it off.` };
  }
  if (i.userAsked) return { action: 'restart' };
  if (i.activeLeases > 0) {
    return { action: 'ask', message: `${i.activeLeases} lease${i.activeLeases === 1 ? ' is' : 's are'} active. Their workloads keep running; choose "Restart to update" in the tray when it suits you.` };
  }
  if (i.windowVisible) return { action: 'ask', message: 'Choose "Restart to update" in the tray when it suits you (or it installs when you quit).' };
  return { action: 'restart' };
}

/**
 * RIGLEASE_UPDATE_FEED: a generic-provider feed (a folder served over http(s) holding
 * latest*.yml and the installers) used instead of GitHub Releases — how updates are tested
 * without the real feed. Anything that is not an http(s) URL is refused.
 */
export function updateFeedOverride(env: NodeJS.ProcessEnv): { url: string } | { error: string } | null {
  const raw = env['RIGLEASE_UPDATE_FEED'];
  if (!raw) return null;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { error: `RIGLEASE_UPDATE_FEED is not a URL: ${raw.slice(0, 100)}` };
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return { error: 'RIGLEASE_UPDATE_FEED must be an http(s) URL.' };
  return { url: url.href };
}
