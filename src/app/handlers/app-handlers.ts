import type { Handler } from '../../api/dispatch.js';
import type { Agent } from '../agent.js';

export function appHandlers(agent: Agent): { 'app.info': Handler<'app.info'> } {
  return {
    'app.info': async () => ({
      name: 'RigLease',
      version: agent.deps.version,
      host: agent.deps.host,
      platform: agent.platform,
      home: agent.deps.paths.home,
      demo: agent.deps.demo ?? false,
    }),
  };
}
