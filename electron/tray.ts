import path from 'node:path';
import { Menu, Tray, nativeImage, type MenuItemConstructorOptions } from 'electron';
import { trayModel, type TrayView } from '../src/app/tray-model.js';
import type { Logger } from '../src/util/logger.js';

/** What the tray shows comes from the pure, unit-tested model in src/app/tray-model.ts; this file only draws it. */
export type { TrayView };

export function minimalTrayView(): TrayView {
  return trayModel(null, new Date());
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
  // A left click opens the menu whose first item switches availability: one click from the icon.
  tray.on('click', () => tray.popUpContextMenu());
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
