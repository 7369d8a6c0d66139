import type { Handler } from '../../api/dispatch.js';
import { dockerError } from '../../provider/stack/stack-service.js';
import type { StackService } from '../../provider/stack/stack-service.js';

type StackMethod = 'stack.plan' | 'stack.up' | 'stack.upgrade' | 'stack.down' | 'stack.start' | 'stack.restart' | 'stack.status' | 'stack.logs' | 'stack.logsFollow' | 'stack.uninstall';

/** Docker's raw errors (engine down, refused) reach the user as a RigError that says what to do. */
async function guarded<T>(work: () => Promise<T> | T): Promise<T> {
  try {
    return await work();
  } catch (err) {
    throw dockerError(err);
  }
}

export function stackHandlers(stack: StackService): { [M in StackMethod]: Handler<M> } {
  return {
    'stack.plan': () => guarded(() => stack.plan()),
    'stack.up': () => guarded(() => stack.up('stack.up')),
    'stack.upgrade': () => guarded(() => stack.up('stack.upgrade')),
    'stack.down': () => guarded(() => stack.down()),
    'stack.start': () => guarded(() => stack.start()),
    'stack.restart': () => guarded(() => stack.restart()),
    'stack.status': () => guarded(() => stack.status()),
    'stack.logs': ({ component, tail }) => guarded(() => stack.logs(component, tail)),
    'stack.logsFollow': ({ component }) => guarded(() => stack.followLogs(component)),
    'stack.uninstall': ({ purge, confirm }) => guarded(() => stack.uninstall(purge, confirm)),
  };
}
