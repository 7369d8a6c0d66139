import { useEffect, useState } from 'react';

/**
 * Hash routing: `#/readiness`. Hashes work the same from file:// (Electron) and http (the
 * headless server) and never ask the server for a second document.
 */
export function currentPath(hash: string = window.location.hash): string {
  const raw = hash.replace(/^#/, '').split('?')[0] ?? '';
  if (raw === '' || raw === '/') return '/';
  return raw.startsWith('/') ? raw.replace(/\/+$/, '') : `/${raw}`;
}

export function useHashPath(): string {
  const [path, setPath] = useState(() => currentPath());
  useEffect(() => {
    const onChange = (): void => setPath(currentPath());
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  return path;
}

/** `#/readiness` or `/readiness` → `/readiness`: registry entries may be written either way. */
export function normalizeRoutePath(path: string): string {
  return currentPath(path.startsWith('#') ? path : `#${path}`);
}

export function hrefFor(path: string): string {
  return `#${normalizeRoutePath(path)}`;
}

/**
 * Goes to a screen. `replace` takes the place of the current history entry: the bare URL's
 * landing does, or Back would return to the bare URL, which lands again, and never get out.
 */
export function navigate(path: string, { replace = false }: { replace?: boolean } = {}): void {
  if (replace) window.location.replace(hrefFor(path));
  else window.location.hash = hrefFor(path);
}

/** True when `path` is the route or below it (`/leases/123` is inside `/leases`). */
export function routeMatches(routePath: string, path: string): boolean {
  const route = normalizeRoutePath(routePath);
  return path === route || path.startsWith(`${route}/`);
}
