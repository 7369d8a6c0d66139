import type { Handler } from '../../api/dispatch.js';
import { requireEgressConfirmation } from '../../provider/stack/egress-confirm.js';
import type { SettingsStore } from '../../store/settings-store.js';

export function settingsHandlers(settings: Pick<SettingsStore, 'all' | 'get' | 'set' | 'setMany' | 'problems'>): {
  'settings.all': Handler<'settings.all'>;
  'settings.get': Handler<'settings.get'>;
  'settings.set': Handler<'settings.set'>;
  'settings.setMany': Handler<'settings.setMany'>;
  'settings.problems': Handler<'settings.problems'>;
} {
  return {
    'settings.all': async () => settings.all(),
    'settings.get': async ({ key }) => ({ key, value: await settings.get(key) }),
    'settings.set': async ({ key, value, confirm }) => {
      // Whatever key is set (the list, one item, the whole stack section), a new hole in the fence needs the person's yes.
      await settings.set(key, value, (cur, nxt) => requireEgressConfirmation(cur.stack.allowPrivateEgress, nxt.stack.allowPrivateEgress, confirm === true));
      return { key, value: await settings.get(key) };
    },
    'settings.setMany': async ({ changes, confirm }) => {
      await settings.setMany(changes, (cur, nxt) => requireEgressConfirmation(cur.stack.allowPrivateEgress, nxt.stack.allowPrivateEgress, confirm === true));
      return { changes: await Promise.all(changes.map(async ({ key }) => ({ key, value: await settings.get(key) }))) };
    },
    'settings.problems': async () => ({ problems: settings.problems() }),
  };
}
