import { useCallback, useEffect, useState } from 'react';
import { useClient } from '../api/client-context.js';
import { useEvent } from '../api/hooks.js';
import { applyTheme, isTheme, rememberedTheme, rememberTheme, type ThemeChoice } from './theme-choice.js';

export type { ThemeChoice } from './theme-choice.js';

/** The `general.theme` setting, applied to <html> and kept in step with other windows. */
export function useTheme(): { theme: ThemeChoice; setTheme: (t: ThemeChoice) => void } {
  const client = useClient();
  // The choice boot.ts already applied, until the setting's answer says otherwise.
  const [theme, setLocal] = useState<ThemeChoice>(rememberedTheme);

  useEffect(() => {
    let current = true;
    client
      .call('settings.get', { key: 'general.theme' })
      .then(({ value }) => {
        if (current && isTheme(value)) setLocal(value);
      })
      // No settings (not signed in, agent down): the remembered choice (or the system's) stays.
      .catch(() => undefined);
    return () => {
      current = false;
    };
  }, [client]);

  useEvent('settings.changed', (s) => setLocal(s.general.theme));
  useEffect(() => {
    applyTheme(theme);
    rememberTheme(theme);
  }, [theme]);

  const setTheme = useCallback(
    (t: ThemeChoice) => {
      setLocal(t);
      client.call('settings.set', { key: 'general.theme', value: t }).catch(() => undefined);
    },
    [client],
  );
  return { theme, setTheme };
}
