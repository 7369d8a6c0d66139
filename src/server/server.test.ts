import { mkdtemp, mkdir, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { Agent } from '../app/agent.js';
import { passphraseSecretStore } from '../store/passphrase-secret-store.js';
import { pathsUnder } from '../store/paths.js';
import { silentLogger } from '../util/logger.js';
import { startServer, type RunningServer } from './server.js';
import { rawRequest } from './test-helpers.js';

let home: string;
let staticDir: string;
let agent: Agent;
let server: RunningServer;
let bearer: Record<string, string>;

beforeAll(async () => {
  home = await mkdtemp(path.join(os.tmpdir(), 'riglease-server-'));
  staticDir = path.join(home, 'ui');
  await mkdir(path.join(staticDir, 'assets'), { recursive: true });
  await writeFile(path.join(staticDir, 'index.html'), '<!doctype html><title>RigLease UI</title>');
  await writeFile(path.join(staticDir, 'assets', 'app.js'), 'console.log("ui")');
  await writeFile(path.join(home, 'secret.txt'), 'OUTSIDE-THE-ROOT');
  await symlink(path.join(home, 'secret.txt'), path.join(staticDir, 'assets', 'link.txt'));
  agent = new Agent({
    host: 'headless',
    paths: pathsUnder(home),
    secrets: passphraseSecretStore(path.join(home, 'secrets'), async () => 'test passphrase'),
    logger: silentLogger,
    version: '0.0.0-test',
    env: { RIGLEASE_HOME: home, PATH: '/nonexistent' },
  });
  server = await startServer({ agent, port: 0, staticDir, logger: silentLogger });
  bearer = { authorization: `Bearer ${server.token}` };
});

afterAll(async () => {
  await server?.close();
  await agent?.stop();
  await rm(home, { recursive: true, force: true });
});

const rpc = (body: unknown, headers: Record<string, string> = bearer) =>
  rawRequest(server.port, { method: 'POST', path: '/api/rpc', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });

function openSocket(headers: Record<string, string>): Promise<{ ws: WebSocket } | { status: number }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${server.port}/api/events`, { headers });
    ws.once('open', () => resolve({ ws }));
    ws.once('unexpected-response', (_req, res) => resolve({ status: res.statusCode ?? 0 }));
    ws.once('error', reject);
  });
}

function nextMessage(ws: WebSocket, predicate: (m: { type: string; event?: string; payload?: unknown }) => boolean): Promise<{ type: string; event?: string; payload?: unknown }> {
  return new Promise((resolve) => {
    const on = (data: WebSocket.RawData) => {
      const m = JSON.parse(data.toString()) as { type: string; event?: string };
      if (predicate(m)) {
        ws.off('message', on);
        resolve(m);
      }
    };
    ws.on('message', on);
  });
}

describe('token', () => {
  it('prints a login URL on loopback with the token in it', () => {
    expect(server.loginUrl).toBe(`http://127.0.0.1:${server.port}/?token=${server.token}`);
  });

  it('refuses a request without a token with a 401 envelope', async () => {
    const res = await rawRequest(server.port, { path: '/api/health' });
    expect(res.status).toBe(401);
    expect(JSON.parse(res.body)).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
    expect((await rpc({ method: 'app.info', input: {} }, {})).status).toBe(401);
  });

  it('refuses a wrong token', async () => {
    const res = await rawRequest(server.port, { path: '/api/health', headers: { authorization: 'Bearer not-the-token' } });
    expect(res.status).toBe(401);
    expect(JSON.parse(res.body).error.code).toBe('unauthorized');
  });

  it('answers with the right bearer token, and the API is not cached', async () => {
    const health = await rawRequest(server.port, { path: '/api/health', headers: bearer });
    expect(health.status).toBe(200);
    expect(health.headers['cache-control']).toBe('no-store');
    const info = await rpc({ method: 'app.info', input: {} });
    expect(JSON.parse(info.body)).toMatchObject({ ok: true, value: { name: 'RigLease', host: 'headless', home } });
  });

  it('moves /?token= into the fragment with a redirect, sets no cookie, and serves the UI without a credential', async () => {
    const login = await rawRequest(server.port, { path: `/?token=${server.token}` });
    expect(login.status).toBe(302);
    expect(login.headers.location).toBe(`/#token=${server.token}`);
    expect(login.headers['set-cookie']).toBeUndefined();
    expect(login.headers['referrer-policy']).toBe('no-referrer');
    // The page holds no secret: a browser cannot attach a header to a navigation.
    const page = await rawRequest(server.port, { path: '/' });
    expect(page.status).toBe(200);
    expect(page.body).toContain('RigLease UI');
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.headers['content-security-policy']).toContain(`connect-src 'self' ws://127.0.0.1:${server.port}`);
    expect(page.headers['x-content-type-options']).toBe('nosniff');
    expect(page.headers['referrer-policy']).toBe('no-referrer');
    // The API is not: no credential, no answer.
    expect((await rawRequest(server.port, { path: '/api/health' })).status).toBe(401);
    expect((await rawRequest(server.port, { path: '/api/nothing-here' })).status).toBe(401);
  });

  it('refuses a wrong ?token= with a 401 and no redirect', async () => {
    const res = await rawRequest(server.port, { path: '/?token=guess' });
    expect(res.status).toBe(401);
    expect(res.headers.location).toBeUndefined();
  });

  it('takes the token on a WebSocket as the riglease.bearer subprotocol and answers with riglease.v1 only', async () => {
    const own = `http://127.0.0.1:${server.port}`;
    const ws = new WebSocket(`ws://127.0.0.1:${server.port}/api/events`, ['riglease.v1', `riglease.bearer.${server.token}`], { headers: { origin: own } });
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    expect(ws.protocol).toBe('riglease.v1');
    ws.close();
    const wrong = await new Promise<number>((resolve, reject) => {
      const bad = new WebSocket(`ws://127.0.0.1:${server.port}/api/events`, ['riglease.v1', 'riglease.bearer.wrong'], { headers: { origin: own } });
      bad.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
      bad.once('error', reject);
    });
    expect(wrong).toBe(401);
  });
});

describe('Origin and Host', () => {
  it('refuses a POST from another site even with the token', async () => {
    const res = await rpc({ method: 'app.info', input: {} }, { ...bearer, origin: 'http://evil.example' });
    expect(res.status).toBe(403);
    expect(JSON.parse(res.body).error.code).toBe('forbidden');
  });

  it('accepts our own page under either loopback name', async () => {
    const res = await rpc({ method: 'app.info', input: {} }, { ...bearer, origin: `http://localhost:${server.port}` });
    expect(res.status).toBe(200);
  });

  it('refuses a request whose Host is not ours (DNS rebinding)', async () => {
    const res = await rawRequest(server.port, { path: '/api/health', headers: { ...bearer, host: `rebind.attacker.example:${server.port}` } });
    expect(res.status).toBe(403);
    const login = await rawRequest(server.port, { path: `/?token=${server.token}`, headers: { host: `rebind.attacker.example:${server.port}` } });
    expect(login.status).toBe(403);
    expect(login.headers.location).toBeUndefined();
  });

  it('refuses a WebSocket from another site, without an Origin, or without the token', async () => {
    const own = `http://127.0.0.1:${server.port}`;
    expect(await openSocket({ ...bearer, origin: 'http://evil.example' })).toEqual({ status: 403 });
    expect(await openSocket({ ...bearer })).toEqual({ status: 403 });
    expect(await openSocket({ origin: own })).toEqual({ status: 401 });
    expect(await openSocket({ origin: own, authorization: 'Bearer wrong' })).toEqual({ status: 401 });
  });
});

describe('RPC', () => {
  it('answers an unknown method with an unknown_method envelope', async () => {
    const res = await rpc({ method: 'wallet.steal', input: {} });
    expect(JSON.parse(res.body)).toMatchObject({ ok: false, error: { code: 'unknown_method' } });
  });

  it('answers bad input, bad JSON, a wrong shape or content type with invalid_input', async () => {
    const bad = JSON.parse((await rpc({ method: 'settings.get', input: { key: 42 } })).body);
    expect(bad).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    const notJson = await rawRequest(server.port, { method: 'POST', path: '/api/rpc', headers: { ...bearer, 'content-type': 'application/json' }, body: '{"method":' });
    expect(notJson.status).toBe(400);
    expect(JSON.parse(notJson.body).error.code).toBe('invalid_input');
    const shape = await rpc({ method: 'app.info', input: {}, extra: 1 });
    expect(JSON.parse(shape.body).error.code).toBe('invalid_input');
    const form = await rawRequest(server.port, { method: 'POST', path: '/api/rpc', headers: { ...bearer, 'content-type': 'text/plain' }, body: '{"method":"app.info"}' });
    expect(form.status).toBe(415);
  });

  it('refuses a body over the size cap', async () => {
    const res = await rpc({ method: 'settings.set', input: { key: 'general.theme', value: 'x'.repeat(1_100_000) } });
    expect(res.status).toBe(413);
    expect(JSON.parse(res.body).error.code).toBe('invalid_input');
  });
});

describe('events over WebSocket', () => {
  it('delivers hub events to a subscriber and unsubscribes everything when it closes', async () => {
    const opened = await openSocket({ ...bearer, origin: `http://127.0.0.1:${server.port}` });
    if (!('ws' in opened)) throw new Error(`socket refused: ${opened.status}`);
    const { ws } = opened;
    // The agent's own services (the relay follows settings) listen too: count only the socket's.
    const before = agent.hub.listenerCount('settings.changed');
    const subscribed = nextMessage(ws, (m) => m.type === 'subscribed');
    ws.send(JSON.stringify({ type: 'subscribe', event: 'settings.changed' }));
    await subscribed;
    expect(agent.hub.listenerCount('settings.changed')).toBe(before + 1);

    const event = nextMessage(ws, (m) => m.type === 'event');
    const set = await rpc({ method: 'settings.set', input: { key: 'general.theme', value: 'dark' } });
    expect(JSON.parse(set.body).ok).toBe(true);
    expect(await event).toMatchObject({ type: 'event', event: 'settings.changed', payload: { general: { theme: 'dark' } } });

    const refused = nextMessage(ws, (m) => m.type === 'error');
    ws.send(JSON.stringify({ type: 'subscribe', event: 'wallet.mnemonic' }));
    expect(await refused).toMatchObject({ type: 'error' });

    ws.close();
    await expect.poll(() => agent.hub.listenerCount('settings.changed'), { timeout: 2000 }).toBe(before);
  });
});

describe('static files', () => {
  // The UI's files need no token (a page cannot send one when it is opened).
  const noHeaders = (): Record<string, string> => ({});

  it('serves assets with their MIME type and falls back to index.html for app routes', async () => {
    const js = await rawRequest(server.port, { path: '/assets/app.js', headers: noHeaders() });
    expect(js.status).toBe(200);
    expect(js.headers['content-type']).toBe('text/javascript; charset=utf-8');
    const route = await rawRequest(server.port, { path: '/dashboard/gpus', headers: noHeaders() });
    expect(route.status).toBe(200);
    expect(route.body).toContain('RigLease UI');
    const missing = await rawRequest(server.port, { path: '/assets/missing.js', headers: noHeaders() });
    expect(missing.status).toBe(404);
  });

  it('never serves a file outside the UI folder', async () => {
    for (const p of ['/..%2fsecret.txt', '/%2e%2e/secret.txt', '/assets/..%2f..%2fsecret.txt', '/..\\secret.txt', '/assets/link.txt', '/%2e%2e%2f%2e%2e%2fetc%2fpasswd']) {
      const res = await rawRequest(server.port, { path: p, headers: noHeaders() });
      expect(res.body, p).not.toContain('OUTSIDE-THE-ROOT');
      expect(res.body, p).not.toContain('root:');
      expect(res.status, p).toBe(404);
    }
  });
});
