import { CALL_TIMEOUT_MS, RPC_PATH, startEarlyCalls } from './api/early-calls.js';
import { adoptSessionToken } from './api/session-token.js';
import { applyTheme, rememberedTheme } from './components/theme-choice.js';

// The first paint already wears the person's theme (theme.ts follows the setting from then on).
applyTheme(rememberedTheme());

// The page's entry, kept tiny: before the shell's JavaScript (React, the schemas, the Dashboard)
// is fetched, parsed and run, the calls every load makes are already on their way to the agent.
// Inside Electron the preload's IPC answers at once: nothing to start early there.
if (!window.riglease) {
  // Before the router reads the hash: `#token=…` is the login link's, not a route.
  const token = adoptSessionToken();
  const path = window.location.hash.replace(/^#/, '') || '/';
  // What the shell asks at every start: its header, the theme, the status line's rig state.
  const shell = [['app.info', {}], ['settings.get', { key: 'general.theme' }], ['rig.status', {}]] as const;
  // The bare URL also asks rig.status to pick the landing screen (app.tsx): the Dashboard, unless
  // the rig is not set up. The Dashboard's summary shares the agent's one read with rig.status.
  // (Not its outside check: the first one reaches beyond this machine, which a rig that lands on
  // Set up must not do just for opening the page.)
  const landing = path === '/' ? ([['rig.status', {}]] as const) : [];
  const dashboard = path === '/' || path === '/dashboard' ? ([['dashboard.summary', {}]] as const) : [];
  startEarlyCalls(
    new URL(RPC_PATH, window.location.href).toString(),
    token,
    [...shell, ...landing, ...dashboard],
    CALL_TIMEOUT_MS,
  );
}

void import('./main.js');
