import type { Handlers } from '../api/dispatch.js';
import type { TaskSnapshot } from '../api/schemas/task.js';
import type { EventHub } from '../core/event-hub.js';
import { runMethod } from './run-method.js';

/**
 * What a CLI command sees of the in-process agent: the contract's methods and its events, the
 * same surface a window or a remote client has. Commands that need more are hosts.
 */
export interface InProcessApi {
  readonly handlers: Handlers;
  readonly hub: Pick<EventHub, 'subscribe'>;
}

/**
 * Resolves with the task's last snapshot once it has ended, through the contract: the ending
 * `task.progress` event, or `task.get` when it ended before we listened.
 */
export async function taskEnded(api: InProcessApi, id: string): Promise<TaskSnapshot> {
  let off = (): void => undefined;
  try {
    return await new Promise<TaskSnapshot>((resolve, reject) => {
      off = api.hub.subscribe('task.progress', (t) => {
        if (t.task === id && t.state !== 'running') resolve(t);
      });
      runMethod(api, 'task.get', { id }).then((t) => {
        if (t.state !== 'running') resolve(t);
      }, reject);
    });
  } finally {
    off();
  }
}

/** Asks a running task to stop (Ctrl-C); an error here changes nothing, the task's end says what happened. */
export function cancelTask(api: InProcessApi, id: string): void {
  runMethod(api, 'task.cancel', { id }).catch(() => undefined);
}
