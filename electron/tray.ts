import path from 'node:path';
import { Menu, Tray, nativeImage, type MenuItemConstructorOptions } from 'electron';
import type { Logger } from '../src/util/logger.js';

/**
 * What the tray shows, as plain data. SEAM: this is a minimal stand-in until the pure tray model
 * (`src/app/tray-model.ts`: agent state → icon, tooltip, items) exists; then main.ts feeds that
 * model's output to `tray.render()` and this file keeps only the drawing.
 */
export interface TrayView {
  /** One of the icons in resources/tray/: online, offline, paused, gaming, working, error. */
  icon: string;
  tooltip: string;
  items: Array<{ id: string; label: string; enabled?: boolean } | { separator: true }>;
}

export function minimalTrayView(): TrayView {
  return {
    icon: 'offline',
    tooltip: 'RigLease',
    items: [{ id: 'open', label: 'Open RigLease' }, { separator: true }, { id: 'quit', label: 'Quit RigLease' }],
  };
}

export interface AppTray {
  render(view: TrayView): void;
  destroy(): void;
}

/**
 * Draws the tray; `onAction(id)` gets the id of a clicked item. Returns null when the desktop
 * has no tray (some Linux sessions), so main knows closing the window must then quit.
 */
export function createTray(iconDir: string, onAction: (id: string) => void, logger: Logger): AppTray | null {
  const image = (name: string) => {
    const img = nativeImage.createFromPath(path.join(iconDir, `${name}.png`));
    return img.isEmpty() ? nativeImage.createEmpty() : img;
  };
  let tray: Tray;
  try {
    tray = new Tray(image('offline'));
  } catch (err) {
    logger.warn('no system tray on this desktop', { error: String(err) });
    return null;
  }
  tray.on('click', () => onAction('open'));
  const render = (view: TrayView) => {
    tray.setImage(image(view.icon));
    tray.setToolTip(view.tooltip);
    const template: MenuItemConstructorOptions[] = view.items.map((item) =>
      'separator' in item ? { type: 'separator' } : { label: item.label, enabled: item.enabled ?? true, click: () => onAction(item.id) },
    );
    tray.setContextMenu(Menu.buildFromTemplate(template));
  };
  render(minimalTrayView());
  return { render, destroy: () => tray.destroy() };
}
