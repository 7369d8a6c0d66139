import type { TrayView } from '../src/app/tray-model.js';
import type { AppTray } from './tray.js';

/** What the Electron e2e spec reads from the main process through `electronApp.evaluate`. */
export interface E2eHooks {
  trayView(): TrayView | null;
  clickTray(id: string): void;
  windowCount(): number;
}

export const E2E_HOOKS_KEY = '__rigleaseE2e';

/**
 * Only with RIGLEASE_E2E_HOOKS=1 (set by e2e/electron.spec.ts): the tray cannot be clicked by
 * Playwright, so the spec reads the drawn view and clicks items by id. Never set in the app.
 */
export function exposeE2eHooks(env: NodeJS.ProcessEnv, parts: { tray: AppTray | null; onTrayAction(id: string): void; windowIds: Set<number> }): void {
  if (env['RIGLEASE_E2E_HOOKS'] !== '1') return;
  const hooks: E2eHooks = {
    trayView: () => parts.tray?.view() ?? null,
    clickTray: (id) => parts.onTrayAction(id),
    windowCount: () => parts.windowIds.size,
  };
  Object.assign(globalThis, { [E2E_HOOKS_KEY]: hooks });
}
