import path from 'node:path';
import type { DockerEndpoint, EndpointInput } from './types.js';
import { socketEndpoint } from './parse-docker-host.js';

/**
 * Docker Desktop for Mac puts its socket in ~/.docker/run/docker.sock and only links
 * /var/run/docker.sock when the "allow the default socket" option is on; try both.
 */
export function darwinCandidates(input: EndpointInput): DockerEndpoint[] {
  return [socketEndpoint(path.posix.join(input.homeDir, '.docker/run/docker.sock')), socketEndpoint('/var/run/docker.sock')];
}
