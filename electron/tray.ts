import path from 'node:path';
import { Menu, Tray, nativeImage, type MenuItemConstructorOptions } from 'electron';
import { trayModel, type TrayItem, type TrayView } from '../src/app/tray-model.js';
import type { Logger } from '../src/util/logger.js';

/** What the tray shows comes from the pure, unit-tested model in src/app/tray-model.ts; this file only draws it. */
export type { TrayView };

export function minimalTrayView(): TrayView {
  return trayModel(null, new Date());
}

export interface AppTray {
  render(view: TrayView): void;
  /** The view drawn last (the Electron e2e spec reads it). */
  view(): TrayView;
  destroy(): void;
}

/** Menu items (tray, or a submenu of the app menu) from the pure model's items. */
export function menuTemplate(items: TrayItem[], onAction: (id: string) => void): MenuItemConstructorOptions[] {
  return items.map((item) => {
    if ('separator' in item) return { type: 'separator' };
    if ('submenu' in item) return { label: item.label, submenu: menuTemplate(item.submenu, onAction) };
    return { label: item.label, enabled: item.enabled ?? true, click: () => onAction(item.id) };
  });
}

/**
 * Draws the tray; `onAction(id)` gets the id of a clicked item. Returns null when the desktop
 * has no tray (some Linux sessions), so main knows closing the window must then quit.
 * `iconDir` holds `<state>.png` and `<state>@2x.png`; nativeImage picks the @2x twin on HiDPI.
 */
export function createTray(iconDir: string, onAction: (id: string) => void, logger: Logger): AppTray | null {
  const image = (name: string) => {
    const img = nativeImage.createFromPath(path.join(iconDir, `${name}.png`));
    if (img.isEmpty()) logger.warn('tray icon missing', { icon: name, dir: iconDir });
    return img;
  };
  let tray: Tray;
  try {
    tray = new Tray(image('working'));
  } catch (err) {
    logger.warn('no system tray on this desktop', { error: String(err) });
    return null;
  }
  // A left click opens the menu whose first item switches availability: one click from the icon.
  tray.on('click', () => tray.popUpContextMenu());
  let last = minimalTrayView();
  let lastIcon = '';
  const render = (view: TrayView) => {
    last = view;
    if (view.icon !== lastIcon) tray.setImage(image(view.icon));
    lastIcon = view.icon;
    tray.setToolTip(view.tooltip);
    tray.setContextMenu(Menu.buildFromTemplate(menuTemplate(view.items, onAction)));
  };
  render(last);
  return { render, view: () => last, destroy: () => tray.destroy() };
}
