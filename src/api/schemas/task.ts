import { z } from 'zod';
import { ApiErrorShape } from '../errors.js';

export const TaskId = z.string().regex(/^[a-z0-9-]{1,64}$/, 'a task id is lower-case letters, digits and dashes');

export const TaskRef = z.object({ id: TaskId, kind: z.string() });
export type TaskRef = z.infer<typeof TaskRef>;

export const TaskState = z.enum(['running', 'succeeded', 'failed', 'cancelled']);
export type TaskState = z.infer<typeof TaskState>;

/** `{task, step, of, message, percent?}` from ARCHITECTURE.md, plus the state a late window needs. */
export const TaskSnapshot = z.object({
  task: TaskId,
  kind: z.string(),
  state: TaskState,
  step: z.number().int().nonnegative(),
  of: z.number().int().nonnegative(),
  message: z.string(),
  percent: z.number().min(0).max(100).optional(),
  startedAt: z.string(),
  endedAt: z.string().optional(),
  /** The step that failed, so the UI can say where it stopped. */
  failedStep: z.number().int().optional(),
  error: ApiErrorShape.optional(),
  log: z.array(z.string()).max(500),
  result: z.unknown().optional(),
});
export type TaskSnapshot = z.infer<typeof TaskSnapshot>;
