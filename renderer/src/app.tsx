import { useEffect, useState, type ReactNode } from 'react';
import { useCall } from './api/hooks.js';
import { ErrorView } from './components/error-view.js';
import { StatusLine } from './components/status-line.js';
import { ToastStack } from './components/toasts/toast-stack.js';
import { useTheme, type ThemeChoice } from './components/theme.js';
import { pages, type PageEntry } from './pages/registry.js';
import { keepEarlyCallsForLanding } from './api/early-calls.js';
import { currentPath, hrefFor, navigate, routeMatches, useHashPath } from './routing.js';

/**
 * The shell: nav on the left (from the page registry), the status line on top, the routed
 * screen below. It knows nothing about any screen beyond its registry entry.
 */
export function App(): ReactNode {
  const path = useHashPath();
  const info = useCall('app.info', {});
  const { theme, setTheme } = useTheme();
  // Narrow screens fold the nav behind a button; choosing a screen folds it again.
  const [menuOpen, setMenuOpen] = useState(false);
  useEffect(() => setMenuOpen(false), [path]);
  const fallback = pages[0];
  // Only asked on the bare URL: where to land depends on the rig's state.
  const landing = useCall('rig.status', path === '/' ? {} : null);
  // The bare URL (and `#/`) opens the Dashboard, or Set up while the rig is not ready or not
  // set up: an empty Dashboard tells a newcomer nothing about what to do first.
  const landingState = landing.data?.status.state;
  const landingTarget =
    path !== '/' || !fallback
      ? null
      : landingState === 'not_ready' || landingState === 'setup'
        ? '/onboarding'
        : landingState !== undefined || landing.error
          ? fallback.path
          : null;
  // Once the target is known it is drawn at once; the address follows in the effect below.
  const page = pages.find((p) => routeMatches(p.path, landingTarget ?? path));

  useEffect(() => {
    // The answer can arrive after the person (or a link) already chose a screen, whose hashchange
    // has not reached this render yet: the live address decides, never the render's `path`.
    if (landingTarget === null || currentPath() !== '/') return;
    keepEarlyCallsForLanding();
    navigate(landingTarget, { replace: true });
  }, [landingTarget]);

  useEffect(() => {
    document.title = page ? `${page.title} · RigLease` : 'RigLease';
  }, [page]);

  // Without a session nothing else can work: say so plainly instead of a page of errors.
  if (info.error?.code === 'unauthorized') {
    return (
      <main className="shell-main" data-testid="refused">
        <div className="page">
          <h1>RigLease</h1>
          <ErrorView error={info.error} title="This page is not signed in to the RigLease agent" />
        </div>
      </main>
    );
  }

  return (
    <div className="shell">
      <nav className={menuOpen ? 'shell-nav shell-nav-open' : 'shell-nav'} aria-label="Screens">
        <div className="shell-brand">RigLease</div>
        <button type="button" className="button shell-menu-button" aria-expanded={menuOpen} onClick={() => setMenuOpen((o) => !o)} data-testid="menu-button">
          {menuOpen ? 'Close' : `☰ ${page?.title ?? 'Screens'}`}
        </button>
        {pages.map((p) => (
          <NavItem key={p.id} entry={p} active={p === page} />
        ))}
        <div className="shell-nav-footer">
          <label className="muted small" htmlFor="theme-select">
            Theme
          </label>
          <select
            id="theme-select"
            className="button"
            value={theme}
            onChange={(e) => setTheme(e.target.value as ThemeChoice)}
            data-testid="theme-select"
          >
            <option value="system">Like the system</option>
            <option value="light">Light</option>
            <option value="dark">Dark</option>
          </select>
        </div>
      </nav>
      <StatusLine info={info.data} />
      {info.data?.demo ? <div className="demo-banner">Demo mode: a simulated rig. Nothing here touches real Docker or the chain.</div> : null}
      <main className="shell-main">
        {page ? <page.component /> : path === '/' ? null : <NotFound path={path} />}
      </main>
      <ToastStack />
    </div>
  );
}

function NavItem({ entry, active }: { entry: PageEntry; active: boolean }): ReactNode {
  return (
    <a href={hrefFor(entry.path)} aria-current={active ? 'page' : undefined} data-testid={`nav-${entry.id}`}>
      <span className="shell-nav-icon" aria-hidden="true">
        {entry.icon ?? '•'}
      </span>
      {entry.title}
    </a>
  );
}

function NotFound({ path }: { path: string }): ReactNode {
  return (
    <div className="page">
      <h1>Nothing at {path}</h1>
      <p className="muted">
        This screen does not exist (yet). <a href={hrefFor(pages[0]?.path ?? '/')}>Go to {pages[0]?.title ?? 'the start'}</a>.
      </p>
    </div>
  );
}
