import { BrowserWindow } from 'electron';
import { demoMenuAction, demoNavigationAllowed, type DemoMenuState } from '../src/app/desktop/demo-menu.js';
import type { DemoSession } from '../src/app/demo/demo-session.js';
import type { Logger } from '../src/util/logger.js';
import { demoWindowOptions } from './window-options.js';

export interface DemoDeps {
  /** Starts the demo's own agent + local server (src/app/demo/demo-session.ts), loaded on first use. */
  start(): Promise<DemoSession>;
  iconPath: string;
  logger: Logger;
  /** The state changed: redraw the tray and the app menu. */
  onChange(state: DemoMenuState): void;
}

export interface DemoBinding {
  state(): DemoMenuState;
  /** A click on a "Try the demo" entry (its id); what it does depends on the state (pure model). */
  onMenu(id: string): void;
  /** On quit: the demo's agent, chain, server and throwaway home go. */
  stop(): Promise<void>;
}

/**
 * "Try the demo": wiring only. The decisions (labels, what a click does, where the window may
 * go) are src/app/desktop/demo-menu.ts; the demo itself is src/app/demo. Closing the demo window
 * closes the demo (it is throwaway: nothing of it is kept).
 */
export function bindDemo(deps: DemoDeps): DemoBinding {
  let state: DemoMenuState = { state: 'off' };
  let session: DemoSession | null = null;
  let win: BrowserWindow | null = null;
  const set = (next: DemoMenuState) => {
    state = next;
    deps.onChange(next);
  };

  const open = () => {
    if (!session) return;
    if (win && !win.isDestroyed()) {
      if (win.isMinimized()) win.restore();
      win.show();
      win.focus();
      return;
    }
    const created = new BrowserWindow(demoWindowOptions({ iconPath: deps.iconPath }));
    const guard = (event: { url: string; preventDefault(): void }) => {
      if (demoNavigationAllowed(event.url, state)) return;
      event.preventDefault();
      deps.logger.warn('the demo window may not leave the demo', { url: event.url.slice(0, 200) });
    };
    created.webContents.on('will-navigate', guard);
    created.webContents.on('will-redirect', guard);
    created.webContents.session.setPermissionRequestHandler((_wc, _p, callback) => callback(false));
    created.once('ready-to-show', () => created.show());
    created.on('closed', () => {
      win = null;
      void close();
    });
    created.loadURL(session.loginUrl).catch((err: unknown) => deps.logger.error('the demo window could not load', { error: String(err) }));
    win = created;
  };

  const start = async () => {
    set({ state: 'starting' });
    try {
      session = await deps.start();
      set({ state: 'running', origin: session.origin });
      open();
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      deps.logger.error('the demo could not start', { error: message });
      set({ state: 'failed', message });
    }
  };

  const close = async () => {
    const s = session;
    session = null;
    if (win && !win.isDestroyed()) win.destroy();
    win = null;
    if (s) await s.close().catch((err: unknown) => deps.logger.warn('the demo did not stop cleanly', { error: String(err) }));
    if (state.state !== 'off') set({ state: 'off' });
  };

  return {
    state: () => state,
    onMenu: (id) => {
      const action = demoMenuAction(id, state);
      if (action === 'start') void start();
      else if (action === 'open') open();
      else if (action === 'stop') void close();
    },
    stop: close,
  };
}
