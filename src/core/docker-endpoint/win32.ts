import type { DockerEndpoint, EndpointInput } from './types.js';

/** Docker Desktop (and Docker Engine for Windows) listen on this named pipe. */
export function win32Candidates(_input: EndpointInput): DockerEndpoint[] {
  return [{ uri: 'npipe:////./pipe/docker_engine', socketPath: '//./pipe/docker_engine', host: null, port: null, protocol: null }];
}
