import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { Agent } from '../app/agent.js';
import { passphraseSecretStore } from '../store/passphrase-secret-store.js';
import { pathsUnder } from '../store/paths.js';
import { silentLogger } from '../util/logger.js';
import { MAX_EVENT_SOCKETS, startServer, type RunningServer } from './server.js';
import { rawRequest } from './test-helpers.js';

let home: string;
let agent: Agent;
let server: RunningServer;

beforeAll(async () => {
  home = await mkdtemp(path.join(os.tmpdir(), 'riglease-server-hardening-'));
  agent = new Agent({ host: 'headless', paths: pathsUnder(home), secrets: passphraseSecretStore(path.join(home, 'secrets'), async () => 'test passphrase'), logger: silentLogger, version: '0.0.0-test', env: { RIGLEASE_HOME: home, PATH: '/nonexistent' } });
  server = await startServer({ agent, port: 0, staticDir: null, logger: silentLogger });
});

afterAll(async () => {
  await server?.close();
  await agent?.stop();
  await rm(home, { recursive: true, force: true });
});

describe('headless server hardening', () => {
  it('accepts no cookie as a credential, not even one holding the token itself', async () => {
    for (const planted of [`riglease_token=${server.token}`, `riglease_token_${server.port}=${server.token}`, `token=${server.token}`]) {
      expect((await rawRequest(server.port, { path: '/api/health', headers: { cookie: planted } })).status).toBe(401);
    }
  });

  it('after the token check redirects to a path on this server only', async () => {
    for (const [asked, expected] of [
      [`/.//evil.example/?token=${server.token}`, '/evil.example/'],
      [`//evil.example/?token=${server.token}`, '/'],
      [`/%2F%2Fevil.example/?token=${server.token}`, '/%2F%2Fevil.example/'],
      [`/\\evil.example/?token=${server.token}`, '/'],
      [`/dashboard?tab=gpu&token=${server.token}`, '/dashboard?tab=gpu'],
    ] as const) {
      const res = await rawRequest(server.port, { path: asked });
      expect(res.status).toBe(302);
      const location = res.headers.location ?? '';
      expect(location).toBe(`${expected}#token=${server.token}`);
      expect(location).not.toMatch(/^[/\\]{2}/);
      expect(new URL(location, `http://127.0.0.1:${server.port}`).host).toBe(`127.0.0.1:${server.port}`);
    }
  });

  it(`accepts at most ${MAX_EVENT_SOCKETS} event sockets and tells the next one why it is closed`, async () => {
    const origin = `http://127.0.0.1:${server.port}`;
    const open = (): Promise<WebSocket> =>
      new Promise((resolve, reject) => {
        const ws = new WebSocket(`ws://127.0.0.1:${server.port}/api/events`, { headers: { authorization: `Bearer ${server.token}`, origin } });
        ws.once('open', () => resolve(ws));
        ws.once('error', reject);
      });
    const held: WebSocket[] = [];
    try {
      for (let i = 0; i < MAX_EVENT_SOCKETS; i++) held.push(await open());
      const extra = await open();
      const closed = await new Promise<{ code: number; reason: string }>((resolve) => extra.once('close', (code, reason) => resolve({ code, reason: reason.toString() })));
      expect(closed.code).toBe(1013);
      expect(closed.reason).toMatch(/Too many open RigLease windows \(32\)/);
      // Closing one makes room again.
      held.pop()!.close();
      await new Promise((r) => setTimeout(r, 100));
      held.push(await open());
      expect(held.every((ws) => ws.readyState === WebSocket.OPEN)).toBe(true);
    } finally {
      for (const ws of held) ws.terminate();
    }
  });
});
