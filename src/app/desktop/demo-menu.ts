/**
 * "Try the demo" in the desktop app's tray and Help menu, as plain data (electron/ only draws
 * it): what the entry says in each state of the demo, what a click asks for, and where the demo
 * window may navigate. The demo itself is src/app/demo (its own agent, chain and home).
 */

export type DemoMenuState =
  | { state: 'off' }
  | { state: 'starting' }
  /** `origin` is the demo's own local server (http://127.0.0.1:PORT). */
  | { state: 'running'; origin: string }
  | { state: 'failed'; message: string };

/** A menu entry, in the tray model's shape (src/app/tray-model.ts TrayItem). */
export type DemoMenuItem = { id: string; label: string; enabled?: boolean };

export type DemoMenuAction = 'start' | 'open' | 'stop' | 'none';

export const DEMO_MENU_IDS = { start: 'demo-start', open: 'demo-open', stop: 'demo-stop' } as const;

/** The longest error shown in a menu line; the whole text is in the log. */
const MAX_ERROR = 80;

export function demoMenuItems(demo: DemoMenuState): DemoMenuItem[] {
  switch (demo.state) {
    case 'off':
      return [{ id: DEMO_MENU_IDS.start, label: 'Try the demo (no GPU needed)' }];
    case 'starting':
      return [{ id: 'demo-starting', label: 'Starting the demo…', enabled: false }];
    case 'running':
      return [
        { id: DEMO_MENU_IDS.open, label: 'Show the demo window' },
        { id: DEMO_MENU_IDS.stop, label: 'Close the demo' },
      ];
    case 'failed': {
      const why = demo.message.length > MAX_ERROR ? `${demo.message.slice(0, MAX_ERROR - 1)}…` : demo.message;
      return [
        { id: 'demo-failed', label: `The demo could not start: ${why}`, enabled: false },
        { id: DEMO_MENU_IDS.start, label: 'Try the demo again' },
      ];
    }
  }
}

/**
 * What a click asks for, given the state when it happened: a second "Try the demo" while one is
 * running shows it instead of starting another; nothing starts twice while one is starting.
 */
export function demoMenuAction(id: string, demo: DemoMenuState): DemoMenuAction {
  switch (id) {
    case DEMO_MENU_IDS.start:
      if (demo.state === 'running') return 'open';
      return demo.state === 'starting' ? 'none' : 'start';
    case DEMO_MENU_IDS.open:
      return demo.state === 'running' ? 'open' : 'none';
    case DEMO_MENU_IDS.stop:
      return demo.state === 'running' ? 'stop' : 'none';
    default:
      return 'none';
  }
}

/** Whether the demo window may go to `url`: its own local server only, never anywhere else. */
export function demoNavigationAllowed(url: string, demo: DemoMenuState): boolean {
  if (demo.state !== 'running') return false;
  try {
    const u = new URL(url);
    const own = new URL(demo.origin);
    return u.protocol === 'http:' && u.origin === own.origin && (own.hostname === '127.0.0.1' || own.hostname === '[::1]');
  } catch {
    return false;
  }
}
