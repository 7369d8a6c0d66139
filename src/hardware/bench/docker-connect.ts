import Docker from 'dockerode';
import { RigError } from '../../api/errors.js';
import { dockerEndpointCandidates, parseDockerHost, type DockerEndpoint } from '../docker-endpoint/index.js';

/**
 * The user's Docker engine for benchmark containers: the endpoint the hardware scan reached
 * (it tried DOCKER_HOST, Docker Desktop's sockets, the named pipe…), else the resolver's first
 * candidate. No request timeout on the client: a benchmark container runs for minutes and
 * every call here has its own timeout.
 */
export function benchDocker(input: { scannedEndpoint: string | null; env: NodeJS.ProcessEnv; homeDir: string; platform: NodeJS.Platform }): Docker {
  let endpoint: DockerEndpoint | null = input.scannedEndpoint ? parseDockerHost(input.scannedEndpoint, input.env) : null;
  endpoint ??= dockerEndpointCandidates(input).candidates[0] ?? null;
  if (!endpoint) throw new RigError('unavailable', 'No Docker engine address is known (DOCKER_HOST is not usable).', 'Install and start Docker, or fix DOCKER_HOST.');
  return endpoint.socketPath
    ? new Docker({ socketPath: endpoint.socketPath })
    : new Docker({ host: endpoint.host ?? 'localhost', port: endpoint.port ?? 2375, protocol: endpoint.protocol ?? 'http' });
}
