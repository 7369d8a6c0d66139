import type { Handler } from '../../api/dispatch.js';
import type { ChainService } from '../../provider/chain/index.js';
import type { Logger } from '../../util/logger.js';

type ReclaimMethod = 'leases.reclaimPreview' | 'leases.reclaim' | 'leases.closeReclaimed';

/**
 * AEP-82 reclamation. Giving notice and ending a lease both need `confirm: true` (the schema
 * refuses anything else), so a caller has always seen `leases.reclaimPreview` or said yes.
 * Every change is logged with its lease and reason.
 */
export function reclaimHandlers(deps: { chain: () => Promise<ChainService>; logger: Logger }): { [M in ReclaimMethod]: Handler<M> } {
  const log = deps.logger.child('reclaim');
  return {
    'leases.reclaimPreview': async ({ owner, dseq, gseq, oseq, reason }) => (await deps.chain()).reclaim.preview({ owner, dseq, gseq, oseq }, reason),
    'leases.reclaim': async ({ owner, dseq, gseq, oseq, reason }) => {
      const out = await (await deps.chain()).reclaim.start({ owner, dseq, gseq, oseq }, reason);
      log.info('notice given on a lease (AEP-82)', { lease: `${owner}/${dseq}/${gseq}/${oseq}`, reason, deadline: out.deadlineIso, tx: out.tx.hash });
      return out;
    },
    'leases.closeReclaimed': async ({ owner, dseq, gseq, oseq }) => {
      const out = await (await deps.chain()).reclaim.close({ owner, dseq, gseq, oseq });
      log.info('lease ended after its notice (AEP-82)', { lease: `${owner}/${dseq}/${gseq}/${oseq}`, height: out.closedAtHeight, tx: out.tx.hash });
      return out;
    },
  };
}
