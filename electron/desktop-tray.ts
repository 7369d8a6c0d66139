import type { AvailabilityStatus } from '../src/api/methods/availability.js';
import type { Agent } from '../src/app/agent.js';
import type { DemoMenuState } from '../src/app/desktop/demo-menu.js';
import { TraySignalTracker } from '../src/app/desktop/tray-state.js';
import { trayAction, trayView } from '../src/app/tray-model.js';
import type { Logger } from '../src/util/logger.js';
import type { AppTray } from './tray.js';

/** "Paused until 15:00" and "tomorrow" age with the clock: availability is re-read every minute. */
const AVAILABILITY_POLL_MS = 60_000;
/**
 * `stack.status` costs a plan (hardware scan at most a minute old) and a kubectl exec: every
 * 5 minutes, and at once after every stack operation.
 */
const STACK_POLL_MS = 5 * 60_000;

export interface TrayUi {
  showWindow(hash?: string): void;
  quit(): void;
  /** "Restart to update": the updater decides whether now is safe. */
  installUpdate(): void;
  /** A "Try the demo" entry was clicked (its id). */
  demo(id: string): void;
}

export interface DesktopTrayBinding {
  onAction(id: string): void;
  /** A downloaded update (its version) adds "Restart to update"; null removes it. */
  setUpdateReady(version: string | null): void;
  /** The "Try the demo" entries follow the demo's state. */
  setDemo(state: DemoMenuState): void;
  stop(): void;
}

const message = (err: unknown) => (err instanceof Error ? err.message : String(err));

/**
 * Keeps the tray on the agent: availability and task events plus a slow stack-status poll feed
 * the pure TraySignalTracker; trayView turns its signals into icon + menu; a click becomes one
 * call through the same handlers every host uses (so demo mode answers too).
 */
export function bindDesktopTray(agent: Agent, tray: AppTray | null, ui: TrayUi, logger: Logger): DesktopTrayBinding {
  const tracker = new TraySignalTracker();
  let updateReady: string | null = null;
  let demo: DemoMenuState = { state: 'off' };
  const draw = () => tray?.render(trayView(tracker.signals(), new Date(), { updateReady, demo }));
  const ctx = { via: 'internal' as const };

  const readAvailability = () =>
    agent.handlers['availability.get']({}, ctx)
      .then((s: AvailabilityStatus) => tracker.onAvailability(s))
      .catch((err: unknown) => tracker.onAvailabilityError(`Availability unknown: ${message(err)}`));
  const readStack = () =>
    agent.handlers['stack.status']({}, ctx)
      .then((s) => tracker.onStack(s.overall))
      // No Docker answering: the tray does not claim anything about the stack.
      .catch(() => tracker.onStack(null));

  // The same state the window's top bar shows, derived once in the agent.
  const readRig = () =>
    agent.handlers['rig.status']({}, ctx)
      .then((r) => tracker.onRig(r.status))
      .catch(() => tracker.onRig(null));

  const offs = [
    agent.hub.subscribe('availability.changed', (s) => {
      tracker.onAvailability(s);
      draw();
      void readRig().then(draw);
    }),
    agent.hub.subscribe('task.progress', (t) => {
      tracker.onTask(t);
      draw();
      // A stack operation that ended changed what the stack is.
      if (t.state !== 'running' && t.kind.startsWith('stack.')) void Promise.all([readStack(), readRig()]).then(draw);
    }),
  ];
  // rig.status reads the stack too: it follows the stack's slow poll, and every change the user makes.
  const timers = [setInterval(() => void readAvailability().then(draw), AVAILABILITY_POLL_MS), setInterval(() => void Promise.all([readStack(), readRig()]).then(draw), STACK_POLL_MS)];
  void Promise.all([readAvailability(), readStack(), readRig()]).then(draw);

  const onAction = (id: string) => {
    const action = trayAction(id, new Date());
    switch (action.kind) {
      case 'availability':
        agent.handlers['availability.set'](action.input, ctx)
          .then((r) => {
            tracker.onAvailability(r.status);
            draw();
          })
          .catch((err: unknown) => {
            logger.warn('tray availability change failed', { error: message(err) });
            void agent.notifications.submit({ kind: 'message', category: 'errors', key: `tray-set:${Date.now()}`, title: 'RigLease could not switch', body: message(err), level: 'error', source: 'tray' });
          });
        return;
      case 'confirm-offline':
        return ui.showWindow('#/availability');
      case 'reclaim':
        return ui.showWindow('#/leases');
      case 'open':
        return ui.showWindow();
      case 'quit':
        return ui.quit();
      case 'update':
        return ui.installUpdate();
      case 'dismiss-errors':
        tracker.dismissErrors();
        return draw();
      case 'demo':
        return ui.demo(action.id);
      case 'none':
        return;
    }
  };

  return {
    onAction,
    setUpdateReady: (version) => {
      updateReady = version;
      draw();
    },
    setDemo: (state) => {
      demo = state;
      draw();
    },
    stop: () => {
      for (const t of timers) clearInterval(t);
      for (const off of offs) off();
    },
  };
}
