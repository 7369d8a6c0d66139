import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createDockerConnection } from '../../core/docker-connection.js';
import { testDockerEngine } from '../../../test/docker/engine.js';
import { TimeoutError } from '../with-timeout.js';
import { classifyDockerError, probeDocker } from './docker-probe.js';

const engine = await testDockerEngine();
const probe = (DOCKER_HOST: string) => {
  const env = { ...process.env, DOCKER_HOST };
  return probeDocker({ connection: createDockerConnection({ env, platform: 'linux', homeDir: os.homedir() }), env, platform: 'linux', timeoutMs: 5000 });
};

describe.skipIf(!engine.ok)('probeDocker against the real test engine', () => {
  it('finds it, reads its version and runtimes, and says it cannot give GPUs without the nvidia runtime', async () => {
    if (!engine.ok) return;
    const [status, version, info] = await Promise.all([
      probe(engine.host),
      engine.docker.version() as Promise<{ Version: string; ApiVersion: string }>,
      engine.docker.info() as Promise<{ Runtimes: Record<string, unknown>; DockerRootDir: string }>,
    ]);
    expect(status).toMatchObject({ found: true, reachable: true, problem: null, endpoint: engine.host });
    expect(status.version).toBe(version.Version);
    expect(status.apiVersion).toBe(version.ApiVersion);
    expect(status.rootDir).toBe(info.DockerRootDir);
    expect(status.runtimes).toEqual(Object.keys(info.Runtimes).sort());
    // This engine has no nvidia runtime: the probe must not claim GPU support.
    expect(status.runtimes.includes('nvidia')).toBe(status.gpuCapable);
  });
});

describe('probeDocker when there is no engine', () => {
  it('says absent when the socket does not exist', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'rl-dock-'));
    const status = await probe(`unix://${path.join(dir, 'docker.sock')}`);
    expect(status).toMatchObject({ found: false, reachable: false, problem: 'absent' });
  });

  it('says not_running when the socket file is left but nothing listens', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'rl-dock-'));
    const sock = path.join(dir, 'docker.sock');
    // A process that listens and dies without cleaning up: exactly what a crashed dockerd leaves behind.
    spawnSync(process.execPath, ['-e', `require('net').createServer().listen(${JSON.stringify(sock)}, () => process.kill(process.pid, 'SIGKILL'))`]);
    expect(existsSync(sock)).toBe(true);
    const status = await probe(`unix://${sock}`);
    expect(status).toMatchObject({ found: true, reachable: false, problem: 'not_running' });
  });

  it('says error for a DOCKER_HOST it cannot use', async () => {
    const status = await probe('ssh://me@host');
    expect(status.problem).toBe('error');
    expect(status.message).toContain('ssh://me@host');
  });
});

describe('classifyDockerError', () => {
  // Running as root, a mode-000 socket cannot produce EACCES here, so the error objects node
  // raises are classified directly (same shape: an Error with `code`).
  const err = (code: string) => Object.assign(new Error(`connect ${code} /var/run/docker.sock`), { code, syscall: 'connect' });
  it.each([
    ['EACCES', 'permission_denied'],
    ['EPERM', 'permission_denied'],
    ['ENOENT', 'absent'],
    ['ECONNREFUSED', 'not_running'],
    ['ETIMEDOUT', 'timeout'],
    ['EHOSTUNREACH', 'error'],
  ])('%s → %s', (code, problem) => {
    expect(classifyDockerError(err(code))).toBe(problem);
  });

  it('maps our own timeout to timeout', () => {
    expect(classifyDockerError(new TimeoutError(3000))).toBe('timeout');
  });
});
