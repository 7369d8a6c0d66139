import path from 'node:path';

/**
 * Pure decisions of the desktop shell that are shaped by Electron's own APIs (login items,
 * asar paths, argv): no `electron` import, so vitest runs them without a binary.
 */

/**
 * electron-builder.yml `appId`. Windows shows an app's notifications only under the
 * AppUserModelID its Start-menu shortcut carries (the NSIS installer sets this one).
 */
export const APP_USER_MODEL_ID = 'network.riglease.app';

/** Passed by the login item so a start at login goes straight to the tray. */
export const HIDDEN_ARG = '--hidden';

export type LoginItemPlan =
  /** macOS and Windows: app.setLoginItemSettings does it. */
  | { kind: 'electron'; settings: { openAtLogin: boolean; path?: string; args?: string[] } }
  /** Linux: Electron has no login items there; an XDG autostart entry (null content = remove it). */
  | { kind: 'xdg-autostart'; file: string; content: string | null };

export interface LoginItemInput {
  enabled: boolean;
  platform: NodeJS.Platform;
  execPath: string;
  env: NodeJS.ProcessEnv;
  homeDir: string;
}

/** A desktop-entry Exec value: the path quoted as the XDG spec asks. */
function execQuote(p: string): string {
  return /[\s"'\\$`]/.test(p) ? `"${p.replace(/(["`$\\])/g, '\\$1')}"` : p;
}

/** What "launch at login" (settings `general.launchAtLogin`) means on this platform. */
export function loginItemPlan(i: LoginItemInput): LoginItemPlan {
  if (i.platform === 'linux') {
    const configHome = i.env['XDG_CONFIG_HOME'] || path.join(i.homeDir, '.config');
    const file = path.join(configHome, 'autostart', 'riglease.desktop');
    if (!i.enabled) return { kind: 'xdg-autostart', file, content: null };
    // Inside an AppImage, execPath is in a temporary mount: start the AppImage file itself.
    const exec = i.env['APPIMAGE'] || i.execPath;
    const content = [
      '[Desktop Entry]',
      'Type=Application',
      'Name=RigLease',
      'Comment=Rent out your idle GPU on the Akash Network',
      `Exec=${execQuote(exec)} ${HIDDEN_ARG}`,
      'Icon=riglease',
      'Terminal=false',
      'X-GNOME-Autostart-enabled=true',
      '',
    ].join('\n');
    return { kind: 'xdg-autostart', file, content };
  }
  if (i.platform === 'win32') {
    return { kind: 'electron', settings: { openAtLogin: i.enabled, path: i.execPath, args: [HIDDEN_ARG] } };
  }
  return { kind: 'electron', settings: { openAtLogin: i.enabled } };
}

/** Started at login (our argument, or macOS saying so): stay in the tray, open no window. */
export function startsHidden(argv: readonly string[], wasOpenedAtLogin: boolean): boolean {
  return argv.includes(HIDDEN_ARG) || wasOpenedAtLogin;
}

/**
 * Files listed in electron-builder's `asarUnpack` live beside the archive, in app.asar.unpacked:
 * the tray hands icon paths to the desktop shell, which cannot read inside an asar.
 */
export function unpackedPath(p: string): string {
  return p.replace(/([\\/])app\.asar([\\/])/, '$1app.asar.unpacked$2');
}

export type CloseAction = 'keep-in-tray' | 'quit';

/**
 * Closing the window: with a tray the window is destroyed (its renderer process freed) and the
 * agent keeps serving from the tray; without a tray (some Linux desktops) closing quits.
 */
export function onLastWindowClosed(hasTray: boolean): CloseAction {
  return hasTray ? 'keep-in-tray' : 'quit';
}

/** A renderer route the shell may open (`#/availability`); anything else opens the window as it is. */
export function routeHash(hash: string | undefined): string | null {
  return hash !== undefined && /^#\/[a-z][a-z0-9-]*$/.test(hash) ? hash : null;
}
