import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { probeDocker } from '../hardware/docker/docker-probe.js';
import { createDockerConnection, type DockerConnectionInput } from './docker-connection.js';

/**
 * A tiny engine on a real Unix socket: answers the Engine API's `_ping`, `version` and `info`
 * with its own name, so a test can tell which socket a client reached.
 */
async function tinyEngine(socketPath: string, name: string): Promise<http.Server> {
  await mkdir(path.dirname(socketPath), { recursive: true });
  const server = http.createServer((req, res) => {
    const url = (req.url ?? '').replace(/^\/v[\d.]+/, '');
    if (url.startsWith('/_ping')) return void res.end('OK');
    res.setHeader('content-type', 'application/json');
    if (url.startsWith('/version')) return void res.end(JSON.stringify({ Version: name, ApiVersion: '1.47', Os: 'linux' }));
    if (url.startsWith('/info')) return void res.end(JSON.stringify({ ServerVersion: name, OSType: 'linux', Runtimes: { runc: {} }, DockerRootDir: '/var/lib/docker' }));
    res.statusCode = 404;
    res.end(JSON.stringify({ message: `no ${url}` }));
  });
  await new Promise<void>((resolve) => server.listen(socketPath, resolve));
  return server;
}

const servers: http.Server[] = [];
const dirs: string[] = [];
afterAll(async () => {
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

async function scratch(): Promise<string> {
  const d = await mkdtemp(path.join(os.tmpdir(), 'rl-conn-'));
  dirs.push(d);
  return d;
}

/** What the readiness scan reports and what the shared client (the stack's, the farm's…) reaches. */
async function bothSides(input: DockerConnectionInput): Promise<{ scanned: string; scannedVersion: string | null; clientVersion: string }> {
  const connection = createDockerConnection(input);
  const status = await probeDocker({ connection, env: input.env, platform: input.platform, timeoutMs: 3000 });
  const version = (await connection.client().version()) as { Version: string };
  return { scanned: status.endpoint, scannedVersion: status.version, clientVersion: version.Version };
}

// The system socket comes first on Linux by design; where it exists it would (rightly) win.
const systemSocket = existsSync('/var/run/docker.sock');

describe('one Docker endpoint for the scan and the stack, per socket layout', () => {
  it.skipIf(systemSocket)("Linux Docker Desktop: ~/.docker/desktop/docker.sock", async () => {
    const home = await scratch();
    const sock = path.join(home, '.docker/desktop/docker.sock');
    servers.push(await tinyEngine(sock, 'desktop-linux'));
    const r = await bothSides({ env: {}, platform: 'linux', homeDir: home });
    expect(r).toEqual({ scanned: `unix://${sock}`, scannedVersion: 'desktop-linux', clientVersion: 'desktop-linux' });
  });

  it.skipIf(systemSocket)('rootless Docker: $XDG_RUNTIME_DIR/docker.sock', async () => {
    const home = await scratch();
    const runtime = path.join(home, 'run-user');
    const sock = path.join(runtime, 'docker.sock');
    servers.push(await tinyEngine(sock, 'rootless'));
    const r = await bothSides({ env: { XDG_RUNTIME_DIR: runtime }, platform: 'linux', homeDir: home });
    expect(r).toEqual({ scanned: `unix://${sock}`, scannedVersion: 'rootless', clientVersion: 'rootless' });
  });

  it("macOS Docker Desktop: ~/.docker/run/docker.sock, ahead of the system socket", async () => {
    const home = await scratch();
    const sock = path.join(home, '.docker/run/docker.sock');
    servers.push(await tinyEngine(sock, 'desktop-mac'));
    const r = await bothSides({ env: {}, platform: 'darwin', homeDir: home });
    expect(r).toEqual({ scanned: `unix://${sock}`, scannedVersion: 'desktop-mac', clientVersion: 'desktop-mac' });
  });

  it('DOCKER_HOST wins over a per-user socket', async () => {
    const home = await scratch();
    const chosen = path.join(home, 'chosen.sock');
    servers.push(await tinyEngine(path.join(home, '.docker/run/docker.sock'), 'desktop-mac'));
    servers.push(await tinyEngine(chosen, 'chosen'));
    const r = await bothSides({ env: { DOCKER_HOST: `unix://${chosen}` }, platform: 'darwin', homeDir: home });
    expect(r).toEqual({ scanned: `unix://${chosen}`, scannedVersion: 'chosen', clientVersion: 'chosen' });
  });

  it('Windows: the named pipe, without looking at the disk', async () => {
    const c = createDockerConnection({ env: {}, platform: 'win32', homeDir: 'C:\\Users\\ana' });
    expect(await c.resolve()).toMatchObject({ endpoint: { uri: 'npipe:////./pipe/docker_engine' }, present: true, fromEnv: false });
  });

  it('an engine that starts after the agent is found by the client made before it', async () => {
    const home = await scratch();
    const connection = createDockerConnection({ env: {}, platform: 'darwin', homeDir: home });
    // Nothing yet: the first request fails, and the client forgets the guess.
    await expect(connection.client().ping()).rejects.toMatchObject({ code: 'ENOENT' });
    const sock = path.join(home, '.docker/run/docker.sock');
    servers.push(await tinyEngine(sock, 'late'));
    expect(((await connection.client().version()) as { Version: string }).Version).toBe('late');
    expect((await connection.resolve()).endpoint?.uri).toBe(`unix://${sock}`);
  });

  it('an unusable DOCKER_HOST is reported, not guessed around', async () => {
    const c = createDockerConnection({ env: { DOCKER_HOST: 'ssh://me@box' }, platform: 'linux', homeDir: '/nowhere' });
    expect(await c.resolve()).toEqual({ endpoint: null, present: false, fromEnv: true, invalid: 'ssh://me@box' });
    expect(() => c.client()).toThrow(/DOCKER_HOST=ssh:\/\/me@box is not a form RigLease understands/);
  });
});
