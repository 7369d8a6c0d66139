import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Settings } from '../api/schemas/settings.js';
import { runMethod } from '../cli/run-method.js';
import { startServer, type RunningServer } from '../server/server.js';
import { rawRequest } from '../server/test-helpers.js';
import { passphraseSecretStore } from '../store/passphrase-secret-store.js';
import { pathsUnder } from '../store/paths.js';
import { silentLogger } from '../util/logger.js';
import { Agent } from './agent.js';

let home: string;
let agent: Agent;
let server: RunningServer;
const heard: Settings[] = [];

beforeAll(async () => {
  home = await mkdtemp(path.join(os.tmpdir(), 'rl-settings-changed-'));
  // A 'cli' agent starts no timers; the HTTP host binds the same handlers as the daemon's.
  agent = new Agent({
    host: 'cli',
    paths: pathsUnder(home),
    secrets: passphraseSecretStore(path.join(home, 'secrets'), async () => 'test passphrase'),
    logger: silentLogger,
    version: '0.0.0-test',
    env: { RIGLEASE_HOME: home, PATH: '/nonexistent' },
  });
  agent.hub.subscribe('settings.changed', (s) => heard.push(s));
  server = await startServer({ agent, port: 0, staticDir: null, logger: silentLogger });
});

afterAll(async () => {
  await server?.close();
  await agent?.stop();
  await rm(home, { recursive: true, force: true });
});

const rpc = async (method: string, input: unknown): Promise<{ ok: boolean }> => {
  const res = await rawRequest(server.port, {
    method: 'POST',
    path: '/api/rpc',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${server.token}` },
    body: JSON.stringify({ method, input }),
  });
  return JSON.parse(res.body) as { ok: boolean };
};

/** The Settings screen and every open window refresh on settings.changed: each write must announce itself once. */
describe('settings.changed comes from the store, once per write', () => {
  it('a CLI write (riglease settings set) announces the new settings once', async () => {
    heard.length = 0;
    await runMethod(agent, 'settings.set', { key: 'general.theme', value: 'dark' });
    expect(heard).toHaveLength(1);
    expect(heard[0]?.general.theme).toBe('dark');
  });

  it('an API write (network.set over HTTP) announces the new settings once', async () => {
    heard.length = 0;
    expect((await rpc('network.set', { network: 'sandbox' })).ok).toBe(true);
    expect(heard).toHaveLength(1);
    expect(heard[0]?.general.network).toBe('sandbox');
  });

  it('a refused write announces nothing', async () => {
    heard.length = 0;
    expect((await rpc('settings.set', { key: 'general.theme', value: 'purple' })).ok).toBe(false);
    expect(heard).toHaveLength(0);
  });
});
