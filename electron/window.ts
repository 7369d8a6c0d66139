import { app, BrowserWindow, shell, type Session, type WebContents } from 'electron';
import type { Logger } from '../src/util/logger.js';
import { isAllowedExternalUrl } from './external-links.js';
import { isOwnRendererUrl, rendererFileUrl } from './sender-check.js';
import { mainWindowOptions } from './window-options.js';

export interface MainWindowInput {
  preloadPath: string;
  indexHtml: string;
  iconPath?: string;
  logger: Logger;
}

/** Opens allowlisted https links in the user's browser; everything else is refused and logged. */
function openExternalIfAllowed(url: string, logger: Logger): void {
  if (isAllowedExternalUrl(url)) {
    void shell.openExternal(url).catch((err: unknown) => logger.warn('could not open link', { url, error: String(err) }));
  } else {
    logger.warn('refused to open a link that is not on the allowlist', { url: url.slice(0, 200) });
  }
}

function denyAllPermissions(session: Session): void {
  session.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
}

/**
 * A safety net for every webContents the app ever creates (including ones we did not mean to):
 * no new windows, no <webview>. Called once at startup.
 */
export function hardenAllWebContents(logger: Logger): void {
  app.on('web-contents-created', (_event, contents: WebContents) => {
    contents.setWindowOpenHandler(({ url }) => {
      openExternalIfAllowed(url, logger);
      return { action: 'deny' };
    });
    contents.on('will-attach-webview', (event) => event.preventDefault());
  });
}

/**
 * The one secure window factory: options from the pure mainWindowOptions(), navigation kept on
 * our own file, popups denied (allowlisted https links go to the browser), every permission
 * request denied, and the built renderer loaded from disk.
 */
export function createMainWindow(input: MainWindowInput): BrowserWindow {
  const win = new BrowserWindow(
    mainWindowOptions({ preloadPath: input.preloadPath, ...(input.iconPath ? { iconPath: input.iconPath } : {}) }),
  );
  const rendererUrl = rendererFileUrl(input.indexHtml);
  const wc = win.webContents;
  denyAllPermissions(wc.session);

  const guard = (event: { url: string; preventDefault(): void }) => {
    if (isOwnRendererUrl(event.url, rendererUrl)) return;
    event.preventDefault();
    openExternalIfAllowed(event.url, input.logger);
  };
  wc.on('will-navigate', guard);
  wc.on('will-redirect', guard);
  wc.setWindowOpenHandler(({ url }) => {
    openExternalIfAllowed(url, input.logger);
    return { action: 'deny' };
  });

  win.once('ready-to-show', () => win.show());
  win.loadFile(input.indexHtml).catch((err: unknown) => {
    input.logger.error('the window could not load the UI', { file: input.indexHtml, error: String(err) });
    win.show();
  });
  return win;
}
