/** Where to reach a Docker engine: what we show the user and what dockerode needs. */
export interface DockerEndpoint {
  /** `unix:///var/run/docker.sock`, `npipe:////./pipe/docker_engine`, `tcp://host:2375`. */
  uri: string;
  /** Local socket or pipe path; null for tcp. */
  socketPath: string | null;
  /** For tcp endpoints. */
  host: string | null;
  port: number | null;
  protocol: 'http' | 'https' | null;
}

export interface EndpointInput {
  env: NodeJS.ProcessEnv;
  homeDir: string;
}
