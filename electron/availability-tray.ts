import { Notification, powerMonitor } from 'electron';
import type { Agent } from '../src/app/agent.js';
import type { IdleSource } from '../src/app/availability/idle-source.js';
import { trayAction, trayModel } from '../src/app/tray-model.js';
import type { Logger } from '../src/util/logger.js';
import type { AppTray } from './tray.js';

/** Idle-only mode's input: seconds since the last keyboard or mouse input, from the OS. */
export const powerIdleSource: IdleSource = { available: true, idleSeconds: () => powerMonitor.getSystemIdleTime() };

/**
 * Keeps the tray on the agent's availability (icon + menu from the pure tray model), turns a
 * click into one availability change, and shows the agent's notifications natively.
 * Returns the tray's click handler and an unsubscribe.
 */
export function bindAvailabilityTray(agent: Agent, tray: AppTray | null, ui: { showWindow: (hash?: string) => void; quit: () => void }, logger: Logger): { onAction: (id: string) => void; stop: () => void } {
  const draw = () =>
    void agent.availability
      .status()
      .then((s) => tray?.render(trayModel(s, new Date())))
      .catch((err: unknown) => tray?.render(trayModel(null, new Date(), err instanceof Error ? err.message : String(err))));
  const offStatus = agent.hub.subscribe('availability.changed', (s) => tray?.render(trayModel(s, new Date())));
  const offNote = agent.hub.subscribe('app.notification', (n) => {
    if (Notification.isSupported()) new Notification({ title: n.title, body: n.body }).show();
  });
  // "Paused until 15:00" and "tomorrow" labels age with the clock.
  const timer = setInterval(draw, 60_000);
  draw();
  const onAction = (id: string) => {
    const action = trayAction(id, new Date());
    if (action.kind === 'availability') {
      agent.availability
        .set(action.input)
        .then((r) => tray?.render(trayModel(r.status, new Date())))
        .catch((err: unknown) => logger.warn('tray availability change failed', { err: String(err) }));
    } else if (action.kind === 'confirm-offline') ui.showWindow('#/pricing');
    else if (action.kind === 'open') ui.showWindow();
    else if (action.kind === 'quit') ui.quit();
  };
  return {
    onAction,
    stop: () => {
      clearInterval(timer);
      offStatus();
      offNote();
    },
  };
}
