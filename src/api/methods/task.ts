import { z } from 'zod';
import { method } from '../method.js';
import { TaskId, TaskSnapshot } from '../schemas/task.js';

export const taskMethods = {
  'task.get': method({ input: z.object({ id: TaskId }).strict(), output: TaskSnapshot, summary: 'The state of one long task' }),
  'task.list': method({ input: z.object({}).strict(), output: z.array(TaskSnapshot), summary: 'Recent long tasks, newest first' }),
  'task.cancel': method({ input: z.object({ id: TaskId }).strict(), output: TaskSnapshot, summary: 'Ask a running task to stop' }),
} as const;
