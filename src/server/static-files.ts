import { createReadStream } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { BASE_HEADERS, sendError } from '../core/http-util.js';
import { contentSecurityPolicy } from './security.js';

const MIME: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.txt': 'text/plain; charset=utf-8',
  '.wasm': 'application/wasm',
};

export function mimeType(file: string): string {
  return MIME[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
}

/**
 * Maps a URL path to a file strictly inside `root`, or null. Decodes once, refuses NUL bytes,
 * backslashes and any `..` segment, and never follows a symlink out of the root.
 */
export async function resolveStatic(root: string, urlPath: string): Promise<string | null> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return null;
  const segments = decoded.split('/').filter((s) => s !== '');
  if (segments.some((s) => s === '..' || s === '.')) return null;
  const candidate = path.join(root, ...segments);
  try {
    const realRoot = await realpath(root);
    const real = await realpath(candidate);
    if (real !== realRoot && !real.startsWith(realRoot + path.sep)) return null;
    const info = await stat(real);
    return info.isFile() ? real : null;
  } catch {
    return null;
  }
}

/**
 * Serves the built renderer. Unknown paths without a file extension fall back to index.html
 * (client-side routes); unknown files 404. The page gets the strict CSP.
 */
export async function serveStatic(req: IncomingMessage, res: ServerResponse, root: string, pathname: string): Promise<void> {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    sendError(res, 405, 'invalid_input', `${req.method} is not allowed here.`);
    return;
  }
  let file = pathname === '/' ? null : await resolveStatic(root, pathname);
  if (!file) {
    const looksLikeRoute = path.posix.extname(pathname) === '';
    const traversal = pathname.includes('..') || /%2e|%2f|%5c|\\/i.test(pathname);
    if (looksLikeRoute && !traversal) file = await resolveStatic(root, '/index.html');
  }
  if (!file) {
    if (pathname === '/' || path.posix.extname(pathname) === '') {
      sendError(res, 404, 'not_found', 'The RigLease web UI is not built.', 'Run `npm run build`, then start the server again.');
    } else {
      sendError(res, 404, 'not_found', `No file ${pathname}.`);
    }
    return;
  }
  const info = await stat(file);
  const isHtml = file.endsWith('.html');
  res.writeHead(200, {
    ...BASE_HEADERS,
    'Content-Type': mimeType(file),
    'Content-Length': String(info.size),
    'Content-Security-Policy': contentSecurityPolicy(req.headers.host ?? ''),
    // HTML must be re-read after every build; hashed assets could be cached, but a local UI gains little.
    'Cache-Control': isHtml ? 'no-store' : 'no-cache',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'X-Frame-Options': 'DENY',
  });
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  createReadStream(file).on('error', () => res.destroy()).pipe(res);
}
