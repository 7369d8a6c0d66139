import type { Handler } from '../../api/dispatch.js';
import type { Agent } from '../agent.js';

export function diagnosticsHandlers(agent: Agent): {
  'diagnostics.checks': Handler<'diagnostics.checks'>;
  'diagnostics.export': Handler<'diagnostics.export'>;
} {
  return {
    'diagnostics.checks': async () => agent.diagnostics.checks(),
    'diagnostics.export': async ({ path }) => agent.diagnostics.export(path),
  };
}
