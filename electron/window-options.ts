import type { BrowserWindowConstructorOptions } from 'electron';

export interface WindowOptionsInput {
  preloadPath: string;
  iconPath?: string;
  title?: string;
}

/**
 * The one place window security is decided (Electron security checklist): no Node in the
 * page, an isolated preload world, the Chromium sandbox, web security on. Pure, so it is tested
 * without Electron; electron/window.ts is the only caller.
 */
export function mainWindowOptions(input: WindowOptionsInput): BrowserWindowConstructorOptions {
  return {
    width: 1180,
    height: 800,
    minWidth: 820,
    minHeight: 560,
    title: input.title ?? 'RigLease',
    // Shown once the first paint is ready, so the user never sees a white flash.
    show: false,
    backgroundColor: '#111418',
    autoHideMenuBar: true,
    ...(input.iconPath ? { icon: input.iconPath } : {}),
    webPreferences: {
      preload: input.preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      spellcheck: false,
      safeDialogs: true,
    },
  };
}

/**
 * The "Try the demo" window: the same protections, but NO preload — the page talks HTTP to the
 * demo's own local server (src/app/demo/demo-session.ts), so it never sees the real agent's IPC.
 */
export function demoWindowOptions(input: { iconPath?: string }): BrowserWindowConstructorOptions {
  const base = mainWindowOptions({ preloadPath: '', title: 'RigLease demo', ...(input.iconPath ? { iconPath: input.iconPath } : {}) });
  const { preload: _none, ...webPreferences } = base.webPreferences ?? {};
  return { ...base, webPreferences };
}
