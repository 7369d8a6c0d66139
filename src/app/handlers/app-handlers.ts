import type { Handler } from '../../api/dispatch.js';
import type { Out } from '../../api/contract.js';

/** What `app.info` says about this agent, fixed when it is built. */
export type AppInfoDeps = Omit<Out<'app.info'>, 'name'>;

export function appHandlers(info: AppInfoDeps): { 'app.info': Handler<'app.info'> } {
  return {
    'app.info': async () => ({ name: 'RigLease', ...info }),
  };
}
