import { useCallback, useEffect, useState } from 'react';
import { useClient } from '../api/client-context.js';
import { useEvent } from '../api/hooks.js';

export type ThemeChoice = 'system' | 'light' | 'dark';

function apply(theme: ThemeChoice): void {
  // 'system' removes the pin: CSS then follows prefers-color-scheme through color-scheme.
  if (theme === 'system') delete document.documentElement.dataset.theme;
  else document.documentElement.dataset.theme = theme;
}

/** The `general.theme` setting, applied to <html> and kept in step with other windows. */
export function useTheme(): { theme: ThemeChoice; setTheme: (t: ThemeChoice) => void } {
  const client = useClient();
  const [theme, setLocal] = useState<ThemeChoice>('system');

  useEffect(() => {
    let current = true;
    client
      .call('settings.get', { key: 'general.theme' })
      .then(({ value }) => {
        if (current && isTheme(value)) setLocal(value);
      })
      // No settings (not signed in, agent down): the OS preference is a fine fallback.
      .catch(() => undefined);
    return () => {
      current = false;
    };
  }, [client]);

  useEvent('settings.changed', (s) => setLocal(s.general.theme));
  useEffect(() => apply(theme), [theme]);

  const setTheme = useCallback(
    (t: ThemeChoice) => {
      setLocal(t);
      client.call('settings.set', { key: 'general.theme', value: t }).catch(() => undefined);
    },
    [client],
  );
  return { theme, setTheme };
}

function isTheme(v: unknown): v is ThemeChoice {
  return v === 'system' || v === 'light' || v === 'dark';
}
