import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import net from 'node:net';

/**
 * The pure security decisions of the headless server: token, cookie, Host and Origin.
 * Kept apart from the sockets so each rule can be read (and tested) on its own.
 */

/**
 * The login cookie's name carries the server's port. Browsers do not scope cookies by port
 * (RFC 6265 §8.5): a cookie set by 127.0.0.1:7878 is sent to every port of 127.0.0.1, tenant
 * services forwarded there included, and any of them can set one that we would receive. With
 * the port in the name, this server reads only the cookie it set itself — another RigLease, a
 * tenant page or a second serve on another port can neither replace ours nor plant one we
 * accept — and the value is a per-port key derived from the token (cookieValue), so a cookie
 * that reached another port does not reveal the token that scripts send as a Bearer header.
 */
export function tokenCookieName(port: number): string {
  return `riglease_token_${port}`;
}

/** What the cookie holds: derived from the token and the port, never the token itself. */
export function cookieValue(token: string, port: number): string {
  return createHmac('sha256', token).update(`riglease-cookie:${port}`).digest('base64url');
}

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

export function parseCookies(header: string | undefined): Map<string, string> {
  const out = new Map<string, string>();
  if (!header) return out;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    const name = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim();
    if (!out.has(name)) out.set(name, value);
  }
  return out;
}

/** The credential a request carries: `Authorization: Bearer …` first, else this port's cookie. */
export function presentedCredential(headers: { authorization?: string | undefined; cookie?: string | undefined }, port: number): { kind: 'bearer' | 'cookie'; value: string } | null {
  const auth = headers.authorization;
  if (auth) {
    const m = /^Bearer\s+(\S+)\s*$/i.exec(auth);
    return m ? { kind: 'bearer', value: m[1]! } : null;
  }
  const cookie = parseCookies(headers.cookie).get(tokenCookieName(port));
  return cookie === undefined ? null : { kind: 'cookie', value: cookie };
}

/** True when the request carries this server's token (as a Bearer header) or this port's cookie. */
export function credentialMatches(given: { kind: 'bearer' | 'cookie'; value: string } | null, token: string, port: number): boolean {
  if (given === null) return false;
  return tokenMatches(given.value, given.kind === 'bearer' ? token : cookieValue(token, port));
}

export function tokenCookie(token: string, port: number): string {
  return `${tokenCookieName(port)}=${cookieValue(token, port)}; HttpOnly; SameSite=Strict; Path=/`;
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
