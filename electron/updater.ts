import { app } from 'electron';
import type { AppUpdater, UpdateInfo } from 'electron-updater';
import type { Agent } from '../src/app/agent.js';
import { isForegroundTask, taskLabel } from '../src/app/desktop/notification-policy.js';
import { installDecision, shouldCheckForUpdates, updateFeedOverride } from '../src/app/desktop/update-policy.js';
import type { Logger } from '../src/util/logger.js';

/** How often the policy is asked whether a check is due (the policy says every N hours). */
const TICK_MS = 30 * 60_000;
/** The first check waits until the app has settled. */
const FIRST_TICK_MS = 30_000;

export interface UpdaterUi {
  windowVisible(): boolean;
  /** A downloaded update waits for "Restart to update" in the tray (null: none). */
  onReady(version: string | null): void;
}

export interface UpdaterBinding {
  /** The user chose "Restart to update". */
  install(): void;
  stop(): void;
}

const message = (err: unknown) => (err instanceof Error ? err.message : String(err));

/** electron-updater is CommonJS; its exports arrive on `default` when imported from ESM. */
async function loadUpdater(): Promise<AppUpdater> {
  const mod = await import('electron-updater');
  return (mod.default as { autoUpdater?: AppUpdater } | undefined)?.autoUpdater ?? mod.autoUpdater;
}

/**
 * Auto-update through electron-updater, every decision made by src/app/desktop/update-policy.ts:
 * check at start and every `desktop.updates.checkEveryHours` only while `autoCheck` allows it
 * and only where a feed exists; download in the background; restart only when no stack
 * operation runs, and when leases are active or the window is open only after the user asks.
 * RIGLEASE_UPDATE_FEED points it at a local generic feed for testing (electron/README.md).
 */
export function bindUpdater(agent: Agent, ui: UpdaterUi, logger: Logger): UpdaterBinding {
  const override = updateFeedOverride(process.env);
  if (override && 'error' in override) logger.warn('update feed override ignored', { error: override.error });
  const feedUrl = override && 'url' in override ? override.url : null;
  let updater: AppUpdater | null = null;
  let lastCheckAt: Date | null = null;
  let ready: string | null = null;
  let waiting = false;
  let stopped = false;

  const setup = async (): Promise<AppUpdater> => {
    if (updater) return updater;
    const u = await loadUpdater();
    u.autoDownload = true;
    // An update that was never installed by a restart installs when the user quits.
    u.autoInstallOnAppQuit = true;
    u.logger = { info: (m?: unknown) => logger.info(String(m)), warn: (m?: unknown) => logger.warn(String(m)), error: (m?: unknown) => logger.error(String(m)), debug: (m: string) => logger.debug(m) };
    if (feedUrl) {
      u.setFeedURL({ provider: 'generic', url: feedUrl });
      // Lets an unpackaged build (npm start) run the whole flow against the test feed.
      if (!app.isPackaged) u.forceDevUpdateConfig = true;
    }
    u.on('update-downloaded', (info: UpdateInfo) => {
      ready = info.version;
      ui.onReady(ready);
      decide(false);
    });
    u.on('error', (err: Error) => logger.warn('update check failed', { error: err.message }));
    updater = u;
    return u;
  };

  const tick = async () => {
    if (stopped) return;
    const settings = (await agent.settings.all()).desktop.updates;
    const d = shouldCheckForUpdates({ settings, packaged: app.isPackaged, feedOverride: feedUrl, lastCheckAt, now: new Date() });
    if (!d.check) {
      logger.debug('no update check', { reason: d.reason });
      return;
    }
    lastCheckAt = new Date();
    const u = await setup();
    await u.checkForUpdates();
  };

  function decide(userAsked: boolean): void {
    if (!ready || !updater) return;
    const running = agent.tasks
      .list()
      .filter((t) => t.state === 'running' && isForegroundTask(t.kind))
      .map((t) => taskLabel(t.kind));
    const d = installDecision({ runningOperations: running, activeLeases: agent.notifications.activeLeaseCount() ?? 0, windowVisible: ui.windowVisible(), userAsked });
    waiting = d.action === 'wait';
    if (d.action === 'restart') {
      logger.info('restarting to install the update', { version: ready, userAsked });
      updater.quitAndInstall(false, true);
      return;
    }
    if (d.action === 'ask' || userAsked) {
      void agent.notifications.submit({ kind: 'message', category: 'updates', key: `update:${ready}:${d.action}:${userAsked ? Date.now() : ''}`, title: `RigLease ${ready} is ready to install`, body: d.message, source: 'updates' });
    }
  }

  // An operation that blocked the restart has ended: decide again.
  const offTasks = agent.hub.subscribe('task.progress', (t) => {
    if (waiting && t.state !== 'running') decide(false);
  });
  const run = () => void tick().catch((err: unknown) => logger.warn('update check failed', { error: message(err) }));
  const first = setTimeout(run, FIRST_TICK_MS);
  const timer = setInterval(run, TICK_MS);

  return {
    install: () => decide(true),
    stop: () => {
      stopped = true;
      clearTimeout(first);
      clearInterval(timer);
      offTasks();
    },
  };
}
