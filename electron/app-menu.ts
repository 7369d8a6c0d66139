import { Menu, type MenuItemConstructorOptions } from 'electron';
import type { TrayItem } from '../src/app/tray-model.js';
import { menuTemplate } from './tray.js';

/**
 * The application menu: Electron's standard menus by role (copy and paste, zoom, window), and a
 * Help menu whose items come from the pure models (today: "Try the demo", demo-menu.ts). It is
 * where the demo entry lives on desktops without a tray.
 */
export function setAppMenu(help: TrayItem[], onAction: (id: string) => void): void {
  const template: MenuItemConstructorOptions[] = [
    ...(process.platform === 'darwin' ? [{ role: 'appMenu' as const }] : []),
    { role: 'fileMenu' },
    { role: 'editMenu' },
    { role: 'viewMenu' },
    { role: 'windowMenu' },
    { role: 'help', submenu: menuTemplate(help, onAction) },
  ];
  Menu.setApplicationMenu(Menu.buildFromTemplate(template));
}
