import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import net from 'node:net';
import { WS_BEARER_PREFIX } from '../api/ws-protocol.js';

/**
 * The pure security decisions of the headless server: token, Host and Origin.
 * Kept apart from the sockets so each rule can be read (and tested) on its own.
 */

/*
 * No cookie carries the token. Browsers do not scope cookies by port (RFC 6265 §8.5): one set by
 * 127.0.0.1:7878 is sent to every port of 127.0.0.1, a tenant's ingress forwarded there
 * included. The page keeps the token in sessionStorage (scoped to scheme, host AND port) and
 * sends it itself: `Authorization: Bearer` on calls, and on the WebSocket (where a browser can
 * set no header) as the `riglease.bearer.<token>` subprotocol. See README.md.
 */

/** 32 random bytes, URL-safe, so it can travel in `/?token=` without escaping. */
export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

/**
 * Constant-time comparison. Hashing both sides first gives equal-length buffers, so neither
 * the content nor the length of the real token leaks through timing.
 */
export function tokenMatches(given: string | null | undefined, expected: string): boolean {
  if (typeof given !== 'string' || given.length === 0) return false;
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

/**
 * The credential a request carries: `Authorization: Bearer …`, else (WebSocket only) the
 * `riglease.bearer.…` subprotocol. A cookie is never read, so one planted by another port is
 * worthless.
 */
export function presentedCredential(headers: { authorization?: string | undefined; 'sec-websocket-protocol'?: string | undefined }): string | null {
  const auth = headers.authorization;
  if (auth) {
    const m = /^Bearer\s+(\S+)\s*$/i.exec(auth);
    return m ? m[1]! : null;
  }
  const offered = (headers['sec-websocket-protocol'] ?? '').split(',').map((p) => p.trim());
  const carried = offered.find((p) => p.startsWith(WS_BEARER_PREFIX));
  return carried === undefined ? null : carried.slice(WS_BEARER_PREFIX.length);
}

/**
 * Where to send the browser after the token check: a path on this server only. URL parsing
 * turns `/.//evil.example/` into the path `//evil.example/`, which a browser reads as another
 * host (and `/\evil` too), so leading slashes and backslashes collapse to one slash.
 */
export function sameOriginPath(pathname: string, search: string): string {
  const path = `/${pathname.replace(/^[/\\]+/, '')}`;
  return `${path}${search ? `?${search}` : ''}`;
}

const LOOPBACK_NAMES = new Set(['localhost', '127.0.0.1', '::1']);

export function isLoopbackHost(host: string): boolean {
  const h = stripBrackets(host).toLowerCase();
  return LOOPBACK_NAMES.has(h) || /^127\.\d+\.\d+\.\d+$/.test(h);
}

export function isWildcardHost(host: string): boolean {
  const h = stripBrackets(host);
  return h === '0.0.0.0' || h === '::';
}

export interface HostPolicy {
  /** The address the server listens on, as given (`127.0.0.1`, `0.0.0.0`, `192.168.1.5`, `::1`). */
  bindHost: string;
  port: number;
  /** Extra names the machine answers to when bound beyond loopback (its hostname). */
  extraNames?: string[];
}

/**
 * Which `Host` headers are ours. A DNS-rebinding attack arrives with the attacker's domain
 * name in Host, so only loopback names, the bound address, IP literals (for a wildcard bind)
 * and the machine's own hostname are accepted, always with our port.
 */
export function hostAllowed(hostHeader: string | undefined, policy: HostPolicy): boolean {
  if (!hostHeader) return false;
  const parsed = splitHostPort(hostHeader);
  if (!parsed || parsed.port !== policy.port) return false;
  const name = parsed.host.toLowerCase();
  if (isLoopbackHost(policy.bindHost)) return isLoopbackHost(name);
  if (name === stripBrackets(policy.bindHost).toLowerCase() || isLoopbackHost(name)) return true;
  if (isWildcardHost(policy.bindHost)) {
    if (net.isIP(name) !== 0) return true;
    return (policy.extraNames ?? []).some((n) => n.toLowerCase() === name);
  }
  return false;
}

/**
 * An Origin is ours when it is `http://<the Host we were reached by>`; 127.0.0.1 and
 * localhost of the same port count as the same place (people type either).
 */
export function originAllowed(origin: string, hostHeader: string | undefined, policy: HostPolicy): boolean {
  if (!hostAllowed(hostHeader, policy)) return false;
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false;
  }
  if (url.protocol !== 'http:' || url.username || url.password || (url.pathname !== '/' && url.pathname !== '')) return false;
  const port = url.port === '' ? 80 : Number(url.port);
  if (port !== policy.port) return false;
  const ours = splitHostPort(hostHeader!)!.host.toLowerCase();
  const theirs = stripBrackets(url.hostname).toLowerCase();
  if (theirs === ours) return true;
  return isLoopbackHost(theirs) && isLoopbackHost(ours);
}

/** The page's Content-Security-Policy; the WebSocket URL is the one the page was loaded from. */
export function contentSecurityPolicy(hostHeader: string): string {
  return [
    "default-src 'self'",
    `connect-src 'self' ws://${hostHeader}`,
    "img-src 'self' data:",
    "style-src 'self'",
    "script-src 'self'",
    "object-src 'none'",
    "frame-ancestors 'none'",
    "base-uri 'none'",
  ].join('; ');
}

/** `host:port` in URL form: IPv6 addresses get brackets. */
export function formatHostPort(host: string, port: number): string {
  const h = stripBrackets(host);
  return net.isIPv6(h) ? `[${h}]:${port}` : `${h}:${port}`;
}

function splitHostPort(value: string): { host: string; port: number } | null {
  // Browsers leave the port out only when it is the scheme's default.
  const m = /^(\[[0-9a-fA-F:.]+\]|[^:[\]/\s]+)(?::(\d{1,5}))?$/.exec(value.trim());
  if (!m) return null;
  return { host: stripBrackets(m[1]!), port: m[2] === undefined ? 80 : Number(m[2]) };
}

function stripBrackets(host: string): string {
  return host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
}
