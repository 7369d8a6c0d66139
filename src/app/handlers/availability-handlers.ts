import type { Handler } from '../../api/dispatch.js';
import type { Agent } from '../agent.js';

export function availabilityHandlers(agent: Agent): {
  'availability.get': Handler<'availability.get'>;
  'availability.set': Handler<'availability.set'>;
  'availability.history': Handler<'availability.history'>;
} {
  return {
    // A fresh evaluation (GPU processes come from a scan at most one check interval old).
    'availability.get': async () => agent.availability.tick(),
    'availability.set': async (input) => agent.availability.set(input),
    'availability.history': async ({ limit }) => agent.availability.history.read(limit),
  };
}
