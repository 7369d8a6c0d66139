import { z } from 'zod';
import { method } from '../method.js';
import { StackActionResult, StackLogs, StackLogsInput, StackPlan, StackStatus, StackUninstallInput } from '../schemas/stack.js';
import { TaskRef } from '../schemas/task.js';

const none = z.object({}).strict();

export const stackMethods = {
  'stack.plan': method({
    input: none,
    output: StackPlan,
    summary: 'What "up" would create from the current settings: container, volumes, network, ports, manifests, egress rules',
  }),
  'stack.up': method({
    input: none,
    output: TaskRef,
    summary: 'Start providing: bring the k3s + Akash provider stack to the planned state (a task with progress and a live log)',
  }),
  'stack.upgrade': method({
    input: none,
    output: TaskRef,
    summary: 'Apply the pinned versions of this release and changed settings (a task, like up)',
  }),
  'stack.down': method({ input: none, output: StackActionResult, summary: 'Stop the provider stack; data volumes are kept' }),
  'stack.start': method({ input: none, output: StackActionResult, summary: 'Start a stopped provider stack again' }),
  'stack.restart': method({ input: none, output: StackActionResult, summary: 'Restart the k3s container' }),
  'stack.status': method({
    input: none,
    output: StackStatus,
    summary: 'Each component with state, age and why it is not ready, and each GPU as the cluster sees it',
  }),
  'stack.logs': method({ input: StackLogsInput, output: StackLogs, summary: 'The last lines of one component\'s logs' }),
  'stack.logsFollow': method({
    input: StackLogsInput.pick({ component: true }),
    output: TaskRef,
    summary: 'Stream one component\'s logs into a task\'s live log until the task is cancelled',
  }),
  'stack.uninstall': method({
    input: StackUninstallInput,
    output: StackActionResult,
    summary: 'Remove the stack; volumes are kept unless purge is set. Refused without confirm: true, saying what is lost',
  }),
} as const;
