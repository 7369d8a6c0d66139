import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { app } from 'electron';
import type { Agent } from '../src/app/agent.js';
import type { Logger } from '../src/util/logger.js';
import { loginItemPlan } from './desktop-options.js';

async function apply(enabled: boolean, logger: Logger): Promise<void> {
  const plan = loginItemPlan({ enabled, platform: process.platform, execPath: process.execPath, env: process.env, homeDir: app.getPath('home') });
  if (plan.kind === 'electron') {
    app.setLoginItemSettings(plan.settings);
  } else if (plan.content === null) {
    await rm(plan.file, { force: true });
  } else {
    await mkdir(path.dirname(plan.file), { recursive: true });
    await writeFile(plan.file, plan.content, { mode: 0o644 });
  }
  logger.info('launch at login', { enabled, how: plan.kind });
}

/**
 * Launch at login follows settings `general.launchAtLogin` (opt-in, off by default): applied at
 * start and whenever the setting changes. A development build (`npm start`) never registers
 * itself: the login item would start the bare Electron binary.
 */
export function bindLoginItem(agent: Agent, logger: Logger): () => void {
  if (!app.isPackaged) {
    logger.info('launch at login is only applied by the installed app');
    return () => undefined;
  }
  let applied: boolean | null = null;
  const sync = (enabled: boolean) => {
    if (enabled === applied) return;
    applied = enabled;
    apply(enabled, logger).catch((err: unknown) => logger.warn('could not change launch at login', { error: String(err) }));
  };
  void agent.settings
    .all()
    .then((s) => sync(s.general.launchAtLogin))
    .catch((err: unknown) => logger.warn('settings not read for launch at login', { error: String(err) }));
  return agent.hub.subscribe('settings.changed', (s) => sync(s.general.launchAtLogin));
}
