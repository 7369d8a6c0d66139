import { mkdtemp, rm } from 'node:fs/promises';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { passphraseSecretStore } from '../store/passphrase-secret-store.js';
import { pathsUnder } from '../store/paths.js';
import { silentLogger } from '../util/logger.js';
import { Agent } from './agent.js';

/**
 * Building an Agent must start nothing: a one-shot CLI command builds one, runs one method and
 * exits, and a timer or a Docker/chain connection begun at construction would keep it alive or
 * touch things it was never asked to. The loops start in `start()` and `stop()` ends them all.
 */
let home: string;
let dockerSocket: string;
let dockerServer: net.Server;
let rpcServer: http.Server;
const seen = { docker: 0, rpc: 0 };

beforeAll(async () => {
  home = await mkdtemp(path.join(os.tmpdir(), 'riglease-agent-lifecycle-'));
  // Stand-ins that only count who knocks: a Docker socket and a chain RPC endpoint.
  dockerSocket = path.join(home, 'docker.sock');
  dockerServer = net.createServer((s) => {
    seen.docker++;
    s.destroy();
  });
  await new Promise<void>((resolve) => dockerServer.listen(dockerSocket, resolve));
  rpcServer = http.createServer((_req, res) => {
    seen.rpc++;
    res.destroy();
  });
  await new Promise<void>((resolve) => rpcServer.listen(0, '127.0.0.1', resolve));
});

afterAll(async () => {
  await new Promise((resolve) => dockerServer.close(resolve));
  await new Promise((resolve) => rpcServer.close(resolve));
  await rm(home, { recursive: true, force: true });
});

afterEach(() => vi.restoreAllMocks());

function build(): Agent {
  const rpc = rpcServer.address() as net.AddressInfo;
  return new Agent({
    host: 'headless',
    paths: pathsUnder(home),
    secrets: passphraseSecretStore(path.join(home, 'secrets'), async () => 'lifecycle passphrase'),
    logger: silentLogger,
    version: '0.0.0-test',
    env: { RIGLEASE_HOME: home, PATH: '/nonexistent', DOCKER_HOST: `unix://${dockerSocket}`, RIGLEASE_CHAIN_RPC: `http://127.0.0.1:${rpc.port}`, RIGLEASE_CHAIN_ID: 'riglease-lifecycle-1' },
  });
}

/** Every interval and timeout made while `spy` is on, and which intervals were cleared. */
function watchTimers() {
  const intervals = new Set<unknown>();
  const cleared = new Set<unknown>();
  let timeouts = 0;
  const setI = globalThis.setInterval;
  const setT = globalThis.setTimeout;
  const clearI = globalThis.clearInterval;
  vi.spyOn(globalThis, 'setInterval').mockImplementation(((...args: Parameters<typeof setInterval>) => {
    const h = setI(...args);
    intervals.add(h);
    return h;
  }) as typeof setInterval);
  vi.spyOn(globalThis, 'setTimeout').mockImplementation(((...args: Parameters<typeof setTimeout>) => {
    timeouts++;
    return setT(...args);
  }) as typeof setTimeout);
  vi.spyOn(globalThis, 'clearInterval').mockImplementation(((h: Parameters<typeof clearInterval>[0]) => {
    cleared.add(h);
    clearI(h);
  }) as typeof clearInterval);
  return { intervals, cleared, timeouts: () => timeouts };
}

const settle = () => new Promise<void>((resolve) => setImmediate(() => setImmediate(resolve)));
const timersKeepingAlive = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;

describe('the Agent assembly', () => {
  it('builds without starting a timer or calling Docker or the chain; stop() without start() is fine', async () => {
    const before = timersKeepingAlive();
    const timers = watchTimers();
    const agent = build();
    await settle();
    expect(timers.intervals.size).toBe(0);
    expect(timers.timeouts()).toBe(0);
    expect(seen).toEqual({ docker: 0, rpc: 0 });
    // A one-shot command runs a method and stops: the process has nothing left to wait for.
    expect((await agent.handlers['app.info']!({}, { via: 'cli' })) as { host: string }).toMatchObject({ host: 'headless' });
    await agent.stop();
    expect(timersKeepingAlive()).toBeLessThanOrEqual(before);
  });

  it('start() starts the loops once; stop() clears every interval they made and leaves no timer keeping the process alive', async () => {
    const before = timersKeepingAlive();
    const agent = build();
    const timers = watchTimers();
    agent.start();
    agent.start();
    await settle();
    expect(timers.intervals.size).toBeGreaterThan(0);
    await agent.stop();
    await settle();
    const left = [...timers.intervals].filter((h) => !timers.cleared.has(h));
    expect(left.map((h) => String((h as { _onTimeout?: unknown })._onTimeout))).toEqual([]);
    // The test runner's own timers come and go: none may be added.
    expect(timersKeepingAlive()).toBeLessThanOrEqual(before);
  });
});
