import { Notification, nativeImage } from 'electron';
import type { Agent } from '../src/app/agent.js';
import type { Logger } from '../src/util/logger.js';

/**
 * Shows the agent's notifications natively. What is shown was decided by the pure policy in
 * src/app/desktop/notification-policy.ts (`native: false` = the user switched that kind off, or
 * too many came at once); the renderer shows every one as a toast either way.
 */
export function bindNativeNotifications(agent: Agent, iconPath: string, ui: { showWindow(): void }, logger: Logger): () => void {
  // Keep shown notifications referenced until closed, or their click handler is collected.
  const shown = new Set<Notification>();
  const icon = nativeImage.createFromPath(iconPath);
  return agent.hub.subscribe('app.notification', (n) => {
    if (n.native === false) return;
    if (!Notification.isSupported()) {
      logger.debug('native notifications are not supported here', { title: n.title });
      return;
    }
    const note = new Notification({
      title: n.title,
      body: n.body,
      ...(icon.isEmpty() ? {} : { icon }),
      silent: n.level !== 'error' && n.level !== 'warning',
      urgency: n.level === 'error' ? 'critical' : 'normal',
    });
    shown.add(note);
    note.on('click', () => ui.showWindow());
    note.on('close', () => shown.delete(note));
    note.show();
    // Some desktops never send `close`: forget it after a while anyway.
    setTimeout(() => shown.delete(note), 10 * 60_000).unref();
  });
}
