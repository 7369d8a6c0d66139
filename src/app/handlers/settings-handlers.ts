import type { Handler } from '../../api/dispatch.js';
import type { Agent } from '../agent.js';

export function settingsHandlers(agent: Agent): {
  'settings.all': Handler<'settings.all'>;
  'settings.get': Handler<'settings.get'>;
  'settings.set': Handler<'settings.set'>;
} {
  return {
    'settings.all': async () => agent.settings.all(),
    'settings.get': async ({ key }) => ({ key, value: await agent.settings.get(key) }),
    'settings.set': async ({ key, value }) => {
      const next = await agent.settings.set(key, value);
      agent.hub.publish('settings.changed', next);
      return { key, value: await agent.settings.get(key) };
    },
  };
}
