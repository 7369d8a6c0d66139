import type { Handler } from '../../api/dispatch.js';
import type { TaskRegistry } from '../../core/task-registry.js';

export function taskHandlers(tasks: Pick<TaskRegistry, 'get' | 'list' | 'cancel'>): {
  'task.get': Handler<'task.get'>;
  'task.list': Handler<'task.list'>;
  'task.cancel': Handler<'task.cancel'>;
} {
  return {
    'task.get': async ({ id }) => tasks.get(id),
    'task.list': async () => tasks.list(),
    'task.cancel': async ({ id }) => tasks.cancel(id),
  };
}
