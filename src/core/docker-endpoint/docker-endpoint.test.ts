import { describe, expect, it } from 'vitest';
import { dockerEndpointCandidates, parseDockerHost } from './index.js';

const home = '/home/ana';

describe('dockerEndpointCandidates per platform', () => {
  it('Linux: the system socket, then Docker Desktop for Linux, then rootless', () => {
    const { candidates } = dockerEndpointCandidates({ env: { XDG_RUNTIME_DIR: '/run/user/1000' }, homeDir: home, platform: 'linux' });
    expect(candidates.map((c) => c.uri)).toEqual([
      'unix:///var/run/docker.sock',
      'unix:///home/ana/.docker/desktop/docker.sock',
      'unix:///run/user/1000/docker.sock',
    ]);
  });

  it("macOS: Docker Desktop's per-user socket first", () => {
    const { candidates } = dockerEndpointCandidates({ env: {}, homeDir: '/Users/ana', platform: 'darwin' });
    expect(candidates.map((c) => c.socketPath)).toEqual(['/Users/ana/.docker/run/docker.sock', '/var/run/docker.sock']);
  });

  it('Windows: the docker_engine named pipe', () => {
    const { candidates } = dockerEndpointCandidates({ env: {}, homeDir: 'C:\\Users\\ana', platform: 'win32' });
    expect(candidates).toEqual([{ uri: 'npipe:////./pipe/docker_engine', socketPath: '//./pipe/docker_engine', host: null, port: null, protocol: null }]);
  });

  it('DOCKER_HOST wins on every platform', () => {
    for (const platform of ['linux', 'darwin', 'win32'] as const) {
      const r = dockerEndpointCandidates({ env: { DOCKER_HOST: 'tcp://10.0.0.5:2375' }, homeDir: home, platform });
      expect(r.fromEnv).toBe(true);
      expect(r.candidates).toHaveLength(1);
      expect(r.candidates[0]).toMatchObject({ host: '10.0.0.5', port: 2375, protocol: 'http' });
    }
  });
});

describe('parseDockerHost', () => {
  it.each([
    ['unix:///tmp/riglease-docker.sock', { socketPath: '/tmp/riglease-docker.sock' }],
    ['npipe:////./pipe/dockerDesktopLinuxEngine', { socketPath: '//./pipe/dockerDesktopLinuxEngine' }],
    ['tcp://localhost', { host: 'localhost', port: 2375, protocol: 'http' }],
  ])('%s', (value, want) => {
    expect(parseDockerHost(value, {})).toMatchObject(want);
  });

  it('uses https and 2376 when DOCKER_TLS_VERIFY is set', () => {
    expect(parseDockerHost('tcp://h', { DOCKER_TLS_VERIFY: '1' })).toMatchObject({ port: 2376, protocol: 'https' });
  });

  it('refuses what it cannot use', () => {
    expect(parseDockerHost('ssh://me@h', {})).toBeNull();
    expect(parseDockerHost('unix://', {})).toBeNull();
  });
});
