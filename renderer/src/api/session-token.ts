/**
 * The headless server's access token, as this tab keeps it. The login link `/?token=…` is
 * redirected to `/#token=…`; the fragment never goes to any server, and this takes it into
 * sessionStorage (scoped to scheme, host and port, unlike a cookie, which every port of
 * 127.0.0.1 would receive) and out of the address bar and the history.
 */
const STORAGE_KEY = 'riglease.token';
// The characters `serve --token` allows; each is also valid in a WebSocket subprotocol.
const FRAGMENT = /^#token=([A-Za-z0-9._~-]+)$/;

/** Call once before the router reads the hash; returns the token this tab holds, or null. */
export function adoptSessionToken(): string | null {
  const m = FRAGMENT.exec(window.location.hash);
  if (m) {
    window.sessionStorage.setItem(STORAGE_KEY, m[1]!);
    window.history.replaceState(null, '', `${window.location.pathname}${window.location.search}`);
  }
  return sessionToken();
}

export function sessionToken(): string | null {
  return window.sessionStorage.getItem(STORAGE_KEY);
}
