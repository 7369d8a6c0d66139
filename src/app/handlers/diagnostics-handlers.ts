import type { Handler } from '../../api/dispatch.js';
import { Settings } from '../../api/schemas/settings.js';
import type { Agent } from '../agent.js';
import { RepairService } from '../diagnostics/repair.js';
import { demoRefusal } from '../demo/demo-handlers.js';
import type { RepairAction } from '../../api/schemas/diagnostics.js';

export function diagnosticsHandlers(agent: Agent): {
  'diagnostics.checks': Handler<'diagnostics.checks'>;
  'diagnostics.export': Handler<'diagnostics.export'>;
  'diagnostics.repairPreview': Handler<'diagnostics.repairPreview'>;
  'diagnostics.repair': Handler<'diagnostics.repair'>;
} {
  // Built on first use: previews and confirm tokens live as long as the agent.
  let repairs: RepairService | null = null;
  const repair = (): RepairService =>
    (repairs ??= new RepairService({
      // Read at call time: demo mode wraps agent.stack after construction.
      stack: { status: () => agent.stack.status(), restart: () => agent.stack.restart(), uninstall: (p, c) => agent.stack.uninstall(p, c), up: () => agent.stack.up() },
      tasks: agent.tasks,
      paths: agent.deps.paths,
      resetSettings: async () => void (await agent.settings.update((draft) => Object.assign(draft, Settings.parse({})))),
      logger: agent.deps.logger.child('repair'),
    }));
  // Demo mode: a restart is simulated by the demo stack; deleting volumes or the data folder is not.
  const allowed = (action: RepairAction): void => {
    if (agent.deps.demo && action !== 'restart-stack') throw demoRefusal(action === 'reset-k3s' ? 'Resetting k3s' : 'A factory reset');
  };
  return {
    'diagnostics.checks': async () => agent.diagnostics.checks(),
    'diagnostics.export': async ({ path }) => agent.diagnostics.export(path),
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
