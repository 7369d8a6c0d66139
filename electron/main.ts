import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { app, safeStorage, type BrowserWindow } from 'electron';
import { Agent } from '../src/app/agent.js';
import { installCrashHandlers } from '../src/app/crash-reports.js';
import { fileLogger } from '../src/util/logger.js';
import { demoMenuItems } from '../src/app/desktop/demo-menu.js';
import { APP_USER_MODEL_ID, onLastWindowClosed, routeHash, startsHidden, unpackedPath } from './desktop-options.js';
import { setAppMenu } from './app-menu.js';
import { bindDemo } from './demo-window.js';
import { desktopPaths } from './desktop-paths.js';
import { bindDesktopTray } from './desktop-tray.js';
import { exposeE2eHooks } from './e2e-hooks.js';
import { bindIpc } from './ipc.js';
import { bindLoginItem } from './login-item.js';
import { bindNativeNotifications } from './native-notifications.js';
import { powerIdleSource } from './power-idle.js';
import { SafeStorageSecretStore } from './safe-storage-secret-store.js';
import { osRevealConfirmation } from './reveal-confirm.js';
import { rendererFileUrl } from './sender-check.js';
import { createTray } from './tray.js';
import { bindUpdater } from './updater.js';
import { createMainWindow, hardenAllWebContents } from './window.js';

// Wiring only (STYLE.md #11): every decision lives in the files imported above and in the pure
// models under src/app/desktop (tray state, notification policy, update policy).
const here = path.dirname(fileURLToPath(import.meta.url)); // dist/electron
const PRELOAD = path.join(here, 'preload.cjs');
const INDEX_HTML = path.join(here, '..', 'renderer', 'index.html');
const RESOURCES = path.join(here, '..', '..', 'resources');
const APP_ROOT = path.join(here, '..', '..');

async function run(): Promise<void> {
  // A crash in main writes a redacted report into userData/crash-reports and quits with code 1
  // (instead of Electron's error dialog over an app in an unknown state).
  installCrashHandlers({ home: app.getPath('userData'), version: app.getVersion(), host: 'electron', env: process.env, exit: (code) => app.exit(code) });
  await app.whenReady();
  if (process.platform === 'win32') app.setAppUserModelId(APP_USER_MODEL_ID);
  const paths = desktopPaths(app.getPath('userData'));
  const logger = fileLogger(paths.logsDir, 'electron');
  hardenAllWebContents(logger);

  const agent = new Agent({
    host: 'electron',
    paths,
    secrets: new SafeStorageSecretStore(paths.secretsDir, safeStorage),
    logger,
    version: app.getVersion(),
    idle: powerIdleSource,
    // safeStorage has no passphrase: a reveal is confirmed by Touch ID or the typed address suffix.
    confirmReveal: osRevealConfirmation(() => win, logger.child('reveal')),
  });
  const windowIds = new Set<number>();
  const unbindIpc = bindIpc(agent, { rendererUrl: rendererFileUrl(INDEX_HTML), windowIds }, logger.child('ipc'));
  // The app's loops (availability, the price table, the farm, notifications…) run until quit.
  agent.start();

  // The window exists only while shown: closing destroys it (its renderer process is freed) and
  // "Open RigLease" builds a new one. The agent, tray and notifications live on in main.
  let win: BrowserWindow | null = null;
  const showWindow = (hash?: string) => {
    const route = routeHash(hash);
    const go = (w: BrowserWindow) =>
      void w.webContents.executeJavaScript(`location.hash = ${JSON.stringify(route)}`).catch((err: unknown) => logger.warn('could not open the page', { route, error: String(err) }));
    if (win && !win.isDestroyed()) {
      if (win.isMinimized()) win.restore();
      win.show();
      win.focus();
      if (route) go(win);
      return;
    }
    const created = createMainWindow({ preloadPath: PRELOAD, indexHtml: INDEX_HTML, iconPath: path.join(RESOURCES, 'icon.png'), logger });
    const id = created.webContents.id;
    windowIds.add(id);
    if (route) created.webContents.once('did-finish-load', () => go(created));
    created.on('closed', () => {
      windowIds.delete(id);
      win = null;
    });
    win = created;
  };
  const windowVisible = () => win !== null && !win.isDestroyed() && win.isVisible();

  let onTray: (id: string) => void = () => undefined;
  const tray = createTray(unpackedPath(path.join(RESOURCES, 'tray')), (id) => onTray(id), logger);
  const updater = bindUpdater(agent, { windowVisible, onReady: (v) => trayBinding.setUpdateReady(v) }, logger.child('updater'));
  // "Try the demo": its own agent and local server (src/app/demo), in a window of its own.
  const demo = bindDemo({
    start: async () => {
      const { startDemoSession } = await import('../src/app/demo/demo-session.js');
      return startDemoSession({ baseEnv: process.env, appRoot: APP_ROOT, resourcesPath: process.resourcesPath, isPackaged: app.isPackaged, version: app.getVersion(), staticDir: path.dirname(INDEX_HTML) });
    },
    iconPath: path.join(RESOURCES, 'icon.png'),
    logger: logger.child('demo'),
    onChange: (state) => {
      trayBinding.setDemo(state);
      setAppMenu(demoMenuItems(state), (id) => demo.onMenu(id));
    },
  });
  setAppMenu(demoMenuItems(demo.state()), (id) => demo.onMenu(id));
  const trayBinding = bindDesktopTray(agent, tray, { showWindow, quit: () => app.quit(), installUpdate: () => updater.install(), demo: (id) => demo.onMenu(id) }, logger.child('tray'));
  onTray = trayBinding.onAction;
  const unbindNotes = bindNativeNotifications(agent, path.join(RESOURCES, 'icon.png'), { showWindow: () => showWindow() }, logger.child('notifications'));
  const unbindLogin = bindLoginItem(agent, logger.child('login-item'));
  exposeE2eHooks(process.env, { tray, onTrayAction: (id) => onTray(id), windowIds });

  // Single instance (the lock is taken below): a second launch shows this one's window.
  app.on('second-instance', () => showWindow());
  app.on('activate', () => showWindow());
  let hintShown = false;
  app.on('window-all-closed', () => {
    if (onLastWindowClosed(tray !== null) === 'quit') return app.quit();
    if (hintShown) return;
    hintShown = true;
    void agent.notifications.submit({ kind: 'message', category: 'availability', key: 'tray-hint', title: 'RigLease is still running', body: 'It keeps providing from the tray. Choose Quit RigLease there to stop it.', source: 'tray' });
  });

  let stopped = false;
  let stopping = false;
  app.on('before-quit', (event) => {
    if (stopped) return;
    event.preventDefault();
    if (stopping) return;
    stopping = true;
    // Stop the agent's child processes (telemetry, log followers) before the process goes.
    void (async () => {
      unbindIpc();
      trayBinding.stop();
      updater.stop();
      unbindNotes();
      unbindLogin();
      tray?.destroy();
      await demo.stop();
      try {
        await agent.stop();
      } catch (err) {
        logger.error('the agent did not stop cleanly', { error: String(err) });
      }
      stopped = true;
      app.quit();
    })();
  });

  // Started at login: straight to the tray (when there is one), no window.
  const openedAtLogin = process.platform === 'darwin' && app.getLoginItemSettings().wasOpenedAtLogin;
  if (!(tray && startsHidden(process.argv, openedAtLogin))) showWindow();
}

if (app.requestSingleInstanceLock()) {
  run().catch((err: unknown) => {
    console.error('RigLease could not start:', err);
    app.exit(1);
  });
} else {
  // Another RigLease is running; it gets `second-instance` and shows its window.
  app.quit();
}
