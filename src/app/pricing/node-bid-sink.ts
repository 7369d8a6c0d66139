import { isNoEngine, type DockerConnection } from '../../core/docker-connection.js';
import { BID_CONFIG_NAME } from '../../provider/pricing/bid-script.js';
import { PROVIDER_CONFIG_NODE_DIR, readNodeFileState, writeNodeFile } from '../../provider/stack/node-file.js';
import type { BidConfigSink } from './pricing-service.js';

export interface NodeBidSinkDeps {
  /** The agent's one Docker engine. */
  docker: Pick<DockerConnection, 'client'>;
  /** The settings store: the stack's container name prefix is read at each write. */
  settings: { all(): Promise<{ stack: { namePrefix: string } }> };
}

/** The table goes into the stack's k3s container, where the provider pod mounts it at /config. */
export function nodeBidSink(deps: NodeBidSinkDeps): BidConfigSink {
  return {
    async write(config) {
      const r = await writeNodeFile(deps.docker.client(), (await deps.settings.all()).stack.namePrefix, PROVIDER_CONFIG_NODE_DIR, BID_CONFIG_NAME, config).catch((err: unknown) => {
        if (isNoEngine(err)) return { written: false as const, reason: 'Docker is not running, so neither is the provider.' };
        throw err;
      });
      return r.written
        ? { delivered: true, message: `Written to the provider's /config volume${r.atomic ? '' : ' (in place)'}; the next order is priced with it.` }
        : { delivered: false, message: `${r.reason} The table is kept and written when the stack starts.` };
    },
    async read() {
      const r = await readNodeFileState(deps.docker.client(), (await deps.settings.all()).stack.namePrefix, `${PROVIDER_CONFIG_NODE_DIR}/${BID_CONFIG_NAME}`).catch((err: unknown) => {
        if (isNoEngine(err)) return { container: false as const };
        throw err;
      });
      return r.container ? r.body : 'no-stack';
    },
  };
}
