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

export function navigate(path: string): void {
  window.location.hash = hrefFor(path);
}

/** True when `path` is the route or below it (`/leases/123` is inside `/leases`). */
export function routeMatches(routePath: string, path: string): boolean {
  const route = normalizeRoutePath(routePath);
  return path === route || path.startsWith(`${route}/`);
}
