import os from 'node:os';
import type { Handlers } from '../api/dispatch.js';
import type { SecretStore } from '../store/secret-store.js';
import { SettingsStore } from '../store/settings-store.js';
import type { Paths } from '../store/paths.js';
import type { Logger } from '../util/logger.js';
import { EventHub } from './event-hub.js';
import { TaskRegistry } from './task-registry.js';
import { appHandlers } from './handlers/app-handlers.js';
import { hardwareHandlers } from './handlers/hardware-handlers.js';
import { settingsHandlers } from './handlers/settings-handlers.js';
import { taskHandlers } from './handlers/task-handlers.js';
import { createHardwareService, type HardwareService } from '../hardware/index.js';

export type HostKind = 'electron' | 'headless' | 'cli';

/** Everything the agent needs from its host; Electron and the headless server each pass their own. */
export interface AgentDeps {
  host: HostKind;
  paths: Paths;
  secrets: SecretStore;
  logger: Logger;
  version: string;
  env?: NodeJS.ProcessEnv;
  platform?: NodeJS.Platform;
  demo?: boolean;
}

/**
 * The composition root: builds each part from plain constructors and exposes one handler per
 * contract method. Hosts bind `handlers` with the shared dispatch loop and forward `hub` events.
 */
export class Agent {
  readonly hub = new EventHub();
  readonly tasks: TaskRegistry;
  readonly settings: SettingsStore;
  readonly hardware: HardwareService;
  readonly handlers: Handlers;
  readonly env: NodeJS.ProcessEnv;
  readonly platform: NodeJS.Platform;

  constructor(readonly deps: AgentDeps) {
    this.env = deps.env ?? process.env;
    this.platform = deps.platform ?? process.platform;
    this.tasks = new TaskRegistry(this.hub);
    this.settings = new SettingsStore(deps.paths.settingsFile, (file, keptAs, reason) =>
      deps.logger.warn('settings file could not be read; kept aside and started from defaults', { file, keptAs, reason }),
    );
    this.hardware = createHardwareService({
      env: this.env,
      platform: this.platform,
      homeDir: os.homedir(),
      settings: async () => (await this.settings.all()).hardware,
      hub: this.hub,
      logger: deps.logger.child('hardware'),
    });
    this.handlers = {
      ...appHandlers(this),
      ...hardwareHandlers(this),
      ...settingsHandlers(this),
      ...taskHandlers(this),
    };
  }

  /** Stops every child process and timer the agent owns; called on quit. */
  async stop(): Promise<void> {
    await this.hardware.stop();
  }
}
