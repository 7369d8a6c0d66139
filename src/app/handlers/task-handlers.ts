import type { Handler } from '../../api/dispatch.js';
import type { Agent } from '../agent.js';

export function taskHandlers(agent: Agent): {
  'task.get': Handler<'task.get'>;
  'task.list': Handler<'task.list'>;
  'task.cancel': Handler<'task.cancel'>;
} {
  return {
    'task.get': async ({ id }) => agent.tasks.get(id),
    'task.list': async () => agent.tasks.list(),
    'task.cancel': async ({ id }) => agent.tasks.cancel(id),
  };
}
