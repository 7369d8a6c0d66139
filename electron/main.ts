import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { app, safeStorage, type BrowserWindow } from 'electron';
import { Agent } from '../src/app/agent.js';
import { pathsUnder } from '../src/store/paths.js';
import { fileLogger } from '../src/util/logger.js';
import { bindIpc } from './ipc.js';
import { SafeStorageSecretStore } from './safe-storage-secret-store.js';
import { rendererFileUrl } from './sender-check.js';
import { createTray } from './tray.js';
import { bindAvailabilityTray, powerIdleSource } from './availability-tray.js';
import { createMainWindow, hardenAllWebContents } from './window.js';

// Wiring only (STYLE.md #11): every decision lives in the files imported above.
const here = path.dirname(fileURLToPath(import.meta.url)); // dist/electron
const PRELOAD = path.join(here, 'preload.cjs');
const INDEX_HTML = path.join(here, '..', 'renderer', 'index.html');
const RESOURCES = path.join(here, '..', '..', 'resources');

async function run(): Promise<void> {
  await app.whenReady();
  const paths = pathsUnder(app.getPath('userData'));
  const logger = fileLogger(paths.logsDir, 'electron');
  hardenAllWebContents(logger);

  const agent = new Agent({
    host: 'electron',
    paths,
    secrets: new SafeStorageSecretStore(paths.secretsDir, safeStorage),
    logger,
    version: app.getVersion(),
    idle: powerIdleSource,
  });
  const windowIds = new Set<number>();
  const unbindIpc = bindIpc(agent, { rendererUrl: rendererFileUrl(INDEX_HTML), windowIds }, logger.child('ipc'));

  let win: BrowserWindow | null = null;
  const showWindow = () => {
    if (win && !win.isDestroyed()) {
      if (win.isMinimized()) win.restore();
      win.show();
      win.focus();
      return;
    }
    const created = createMainWindow({ preloadPath: PRELOAD, indexHtml: INDEX_HTML, iconPath: path.join(RESOURCES, 'icon.png'), logger });
    const id = created.webContents.id;
    windowIds.add(id);
    created.on('closed', () => {
      windowIds.delete(id);
      win = null;
    });
    win = created;
  };

  let onTray: (id: string) => void = () => undefined;
  const tray = createTray(path.join(RESOURCES, 'tray'), (id) => onTray(id), logger);
  const trayBinding = bindAvailabilityTray(agent, tray, { showWindow, quit: () => app.quit() }, logger.child('tray'));
  onTray = trayBinding.onAction;
  app.on('second-instance', showWindow);
  app.on('activate', showWindow);
  // With a tray the agent keeps serving when the window closes; without one, closing quits.
  app.on('window-all-closed', () => {
    if (!tray) app.quit();
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
      tray?.destroy();
      try {
        await agent.stop();
      } catch (err) {
        logger.error('the agent did not stop cleanly', { error: String(err) });
      }
      stopped = true;
      app.quit();
    })();
  });

  showWindow();
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
