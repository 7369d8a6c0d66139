import type Docker from 'dockerode';
import { ORDER_LOG_NAME } from '../../provider/pricing/bid-script.js';
import { PROVIDER_CONFIG_NODE_DIR, readNodeFileState } from '../../provider/stack/node-file.js';
import type { OrderLogSource } from './orders-view-service.js';

/**
 * The bid script's log, read from the stack's k3s container over the Docker API (the same
 * hostPath the price table is written to: the provider pod's /config).
 */
export function nodeOrderLog(docker: () => Docker, prefix: () => Promise<string>): OrderLogSource {
  return {
    async read() {
      const p = await prefix();
      const file = `${PROVIDER_CONFIG_NODE_DIR}/${ORDER_LOG_NAME}`;
      let current;
      try {
        current = await readNodeFileState(docker(), p, file);
      } catch (err) {
        const code = (err as { code?: unknown } | null)?.code;
        if (code === 'ENOENT' || code === 'ECONNREFUSED') return { source: 'no-stack' as const, files: [], message: 'Docker is not running, so neither is the provider: no orders to show.' };
        throw err;
      }
      if (!current.container) return { source: 'no-stack' as const, files: [], message: 'The provider stack is not installed yet: no orders to show.' };
      const older = await readNodeFileState(docker(), p, `${file}.1`);
      const files = [older.container ? older.body : null, current.body].filter((t): t is string => t !== null);
      return {
        source: 'node' as const,
        files,
        message: files.length === 0 ? 'The bid script has not seen an order yet.' : `Read from the provider's /config/${ORDER_LOG_NAME}.`,
      };
    },
  };
}
