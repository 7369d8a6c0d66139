import { isNoEngine, type DockerConnection } from '../../core/docker-connection.js';
import { BID_CONFIG_NAME } from '../../provider/pricing/bid-script.js';
import { PROVIDER_CONFIG_NODE_DIR, readNodeFileState, writeNodeFile } from '../../provider/stack/node-file.js';
import type { BidConfigSink } from './pricing-service.js';

export interface NodeBidSinkDeps {
  /** The agent's one Docker engine. */
  docker: Pick<DockerConnection, 'client' | 'resolve'>;
  /** The settings store: the stack's container name prefix is read at each write. */
  settings: { all(): Promise<{ stack: { namePrefix: string } }> };
}

/** The table goes into the stack's k3s container, where the provider pod mounts it at /config. */
export function nodeBidSink(deps: NodeBidSinkDeps): BidConfigSink {
  // No socket, no engine: said without making a Docker client, so an agent on a machine without
  // Docker never loads the Docker libraries just to learn that. (An unusable DOCKER_HOST still
  // reaches the client, whose error says what is wrong with it.)
  const engineAbsent = async () => {
    const r = await deps.docker.resolve();
    return r.invalid === null && !r.present;
  };
  return {
    async write(config) {
      if (await engineAbsent()) return { delivered: false, message: 'Docker is not running, so neither is the provider. The table is kept and written when the stack starts.' };
      const r = await writeNodeFile(deps.docker.client(), (await deps.settings.all()).stack.namePrefix, PROVIDER_CONFIG_NODE_DIR, BID_CONFIG_NAME, config).catch((err: unknown) => {
        if (isNoEngine(err)) return { written: false as const, reason: 'Docker is not running, so neither is the provider.' };
        throw err;
      });
      return r.written
        ? { delivered: true, message: `Written to the provider's /config volume${r.atomic ? '' : ' (in place)'}; the next order is priced with it.` }
        : { delivered: false, message: `${r.reason} The table is kept and written when the stack starts.` };
    },
    async read() {
      if (await engineAbsent()) return 'no-stack';
      const r = await readNodeFileState(deps.docker.client(), (await deps.settings.all()).stack.namePrefix, `${PROVIDER_CONFIG_NODE_DIR}/${BID_CONFIG_NAME}`).catch((err: unknown) => {
        if (isNoEngine(err)) return { container: false as const };
        throw err;
      });
      return r.container ? r.body : 'no-stack';
    },
  };
}
