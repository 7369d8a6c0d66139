import { darwinCandidates } from './darwin.js';
import { linuxCandidates } from './linux.js';
import { parseDockerHost } from './parse-docker-host.js';
import type { DockerEndpoint, EndpointInput } from './types.js';
import { win32Candidates } from './win32.js';

export type { DockerEndpoint, EndpointInput } from './types.js';
export { parseDockerHost } from './parse-docker-host.js';

/**
 * The engines to try, in order: DOCKER_HOST alone when set (the user chose it), else the
 * platform's defaults. Platform is passed in so Linux CI covers the macOS and Windows lists.
 */
export function dockerEndpointCandidates(input: EndpointInput & { platform: NodeJS.Platform }): { candidates: DockerEndpoint[]; fromEnv: boolean; invalid: string | null } {
  const fromEnv = input.env['DOCKER_HOST']?.trim();
  if (fromEnv) {
    const parsed = parseDockerHost(fromEnv, input.env);
    return parsed ? { candidates: [parsed], fromEnv: true, invalid: null } : { candidates: [], fromEnv: true, invalid: fromEnv };
  }
  const byPlatform: Partial<Record<NodeJS.Platform, (i: EndpointInput) => DockerEndpoint[]>> = {
    linux: linuxCandidates,
    darwin: darwinCandidates,
    win32: win32Candidates,
  };
  return { candidates: (byPlatform[input.platform] ?? linuxCandidates)(input), fromEnv: false, invalid: null };
}
