import type { Handler } from '../../api/dispatch.js';
import { Settings } from '../../api/schemas/settings.js';
import type { TaskRegistry } from '../../core/task-registry.js';
import type { Paths } from '../../store/paths.js';
import type { Logger } from '../../util/logger.js';
import type { DiagnosticsService } from '../diagnostics/diagnostics-service.js';
import { RepairService, type RepairStack } from '../diagnostics/repair.js';
import { demoRefusal } from '../demo/demo-handlers.js';
import type { RepairAction } from '../../api/schemas/diagnostics.js';

export interface DiagnosticsHandlerDeps {
  diagnostics: Pick<DiagnosticsService, 'checks' | 'export'>;
  /** Read at each call: demo mode wraps the stack after it is built. */
  stack: () => RepairStack;
  tasks: TaskRegistry;
  paths: Paths;
  settings: { update(mutate: (draft: Settings) => void): Promise<Settings> };
  demo: boolean;
  logger: Logger;
}

export function diagnosticsHandlers(deps: DiagnosticsHandlerDeps): {
  'diagnostics.checks': Handler<'diagnostics.checks'>;
  'diagnostics.export': Handler<'diagnostics.export'>;
  'diagnostics.repairPreview': Handler<'diagnostics.repairPreview'>;
  'diagnostics.repair': Handler<'diagnostics.repair'>;
} {
  // Built on first use: previews and confirm tokens live as long as the agent.
  let repairs: RepairService | null = null;
  const repair = (): RepairService =>
    (repairs ??= new RepairService({
      // Read at call time: demo mode wraps the stack after construction.
      stack: { status: () => deps.stack().status(), restart: () => deps.stack().restart(), uninstall: (p, c) => deps.stack().uninstall(p, c), up: () => deps.stack().up() },
      tasks: deps.tasks,
      paths: deps.paths,
      resetSettings: async () => void (await deps.settings.update((draft) => Object.assign(draft, Settings.parse({})))),
      logger: deps.logger.child('repair'),
    }));
  // Demo mode: a restart is simulated by the demo stack; deleting volumes or the data folder is not.
  const allowed = (action: RepairAction): void => {
    if (deps.demo && action !== 'restart-stack') throw demoRefusal(action === 'reset-k3s' ? 'Resetting k3s' : 'A factory reset');
  };
  return {
    'diagnostics.checks': async () => deps.diagnostics.checks(),
    'diagnostics.export': async ({ path }) => deps.diagnostics.export(path),
    'diagnostics.repairPreview': async ({ action, wipeWallet }) => {
      allowed(action);
      return repair().preview(action, wipeWallet);
    },
    'diagnostics.repair': async ({ action, wipeWallet, confirmToken }) => {
      allowed(action);
      return repair().run(action, wipeWallet, confirmToken);
    },
  };
}
