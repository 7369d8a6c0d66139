/**
 * The theme choice itself, without React: boot.ts applies the remembered one before the first
 * paint (the `general.theme` setting arrives later, and a dark-theme user would otherwise see a
 * light flash on every start); theme.ts keeps it in step with the setting.
 */
export type ThemeChoice = 'system' | 'light' | 'dark';

/** This browser's copy of the last choice it saw; the agent's setting stays the truth. */
const KEY = 'riglease.theme';

export function isTheme(v: unknown): v is ThemeChoice {
  return v === 'system' || v === 'light' || v === 'dark';
}

export function applyTheme(theme: ThemeChoice): void {
  // 'system' removes the pin: CSS then follows prefers-color-scheme through color-scheme.
  if (theme === 'system') delete document.documentElement.dataset.theme;
  else document.documentElement.dataset.theme = theme;
}

export function rememberedTheme(): ThemeChoice {
  try {
    const saved = window.localStorage.getItem(KEY);
    return isTheme(saved) ? saved : 'system';
  } catch {
    // Storage refused (a locked-down profile): follow the system until the setting arrives.
    return 'system';
  }
}

export function rememberTheme(theme: ThemeChoice): void {
  try {
    window.localStorage.setItem(KEY, theme);
  } catch {
    // Not remembered: the next start shows the system theme until the setting arrives.
  }
}
