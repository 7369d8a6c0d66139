import path from 'node:path';
import type { DockerEndpoint, EndpointInput } from './types.js';
import { socketEndpoint } from './parse-docker-host.js';

/**
 * Docker Engine's default socket, then Docker Desktop for Linux's per-user socket
 * (~/.docker/desktop/docker.sock), then rootless Docker ($XDG_RUNTIME_DIR/docker.sock).
 */
export function linuxCandidates(input: EndpointInput): DockerEndpoint[] {
  const list = [socketEndpoint('/var/run/docker.sock'), socketEndpoint(path.posix.join(input.homeDir, '.docker/desktop/docker.sock'))];
  const runtime = input.env['XDG_RUNTIME_DIR'];
  if (runtime) list.push(socketEndpoint(path.posix.join(runtime, 'docker.sock')));
  return list;
}
