import type { DockerEndpoint } from './types.js';

export function socketEndpoint(socketPath: string): DockerEndpoint {
  return { uri: `unix://${socketPath}`, socketPath, host: null, port: null, protocol: null };
}

/**
 * DOCKER_HOST as the docker CLI accepts it: `unix:///path`, `npipe:////./pipe/name`,
 * `tcp://host:port` (https when DOCKER_TLS_VERIFY is set). Returns null for a value we cannot use.
 */
export function parseDockerHost(value: string, env: NodeJS.ProcessEnv): DockerEndpoint | null {
  const v = value.trim();
  if (v.startsWith('unix://')) {
    const p = v.slice('unix://'.length);
    return p ? socketEndpoint(p) : null;
  }
  if (v.startsWith('npipe://')) {
    // npipe:////./pipe/docker_engine → //./pipe/docker_engine
    const p = v.slice('npipe://'.length).replace(/^\/\/\/?/, '//');
    return { uri: v, socketPath: p, host: null, port: null, protocol: null };
  }
  if (v.startsWith('tcp://') || v.startsWith('http://') || v.startsWith('https://')) {
    try {
      const url = new URL(v.replace(/^tcp:/, 'http:'));
      const tls = v.startsWith('https://') || !!env['DOCKER_TLS_VERIFY'];
      const port = url.port ? Number(url.port) : tls ? 2376 : 2375;
      return { uri: v, socketPath: null, host: url.hostname, port, protocol: tls ? 'https' : 'http' };
    } catch {
      return null;
    }
  }
  return null;
}
